"""The suppression stages of the publishing pipeline: opted-out residents' rows are dropped.

Contributed to the ``anonymize`` plugin through its declared interface only
(``ckanext.anonymize.interfaces``); the matching itself is pure (``suppress.py``).

Two stages, so that no outcome of an opt-out reveals a value the public file hides (an outsider
could otherwise file an opt-out for a public name and a guessed birth date, and learn the hidden
date from whether the row disappears):

- ``optout`` (order 100, before the scrub) matches the opt-outs staff have **verified** (the
  resident's identity checked) on every subject column, the values as held;
- ``optout_public`` (order 900, after the scrub) matches the opt-outs **not yet verified** on
  what the public file shows: a scrubbed cell (〈生年月日〉) is no value, so a row is matched on its
  public columns alone (a public name drops every row of that name: namesakes too, the safe
  direction), and a row whose identifying columns are all hidden is matched after verification.

Both find the header row themselves (title lines above it stay as they are).
"""
from __future__ import annotations

from itertools import chain
from typing import Any, Iterable, Iterator

from . import model as m
from . import registry
from .suppress import ColumnError, Counts, SuppressionIndex, column_indexes, filter_rows

try:  # optout works alone; the stages exist only where the pipeline's interface does
    from ckanext.anonymize.interfaces import StageError
except ImportError:  # pragma: no cover - exercised when anonymize is not installed
    class StageError(Exception):  # type: ignore[no-redef]
        def __init__(self, message_ja: str, message_en: str):
            super().__init__(f"{message_ja} / {message_en}")
            self.message_ja, self.message_en = message_ja, message_en

HEADER_SEARCH_ROWS = 20
# What the scrub puts in place of a value: a label, a mask, a keyed-hash pseudonym.
MASKS = ("〈", "＊", "*")


def _public_value(value: str) -> bool:
    return not any(mark in value for mark in MASKS)


class SuppressionStage:
    """Drop the rows of residents with an active opt-out in scope (all datasets, or this one)."""

    name = "optout"
    order = 100
    statuses: tuple[str, ...] = (m.VERIFIED,)
    public_only = False

    def __init__(self, load_columns=None, load_index=None, hasher=None, statuses=None):
        # Injectable for tests and benchmarks; by default read from the registry tables.
        self._load_columns = load_columns or registry.subject_columns
        self._load_index = load_index or registry.load_index
        self._hasher = hasher
        if statuses is not None:
            self.statuses = tuple(statuses)

    def applies_to(self, resource: dict[str, Any]) -> bool:
        return bool(self._load_columns(resource["id"]))

    def fingerprint(self, resource: dict[str, Any], dataset: dict[str, Any]) -> str:
        return registry.fingerprint(resource.get("package_id") or dataset.get("id"), resource["id"])

    def process(self, sheets: Iterable[Any], ctx: Any) -> Iterator[Any]:
        resource = ctx.resource
        columns = self._load_columns(resource["id"])
        if not columns:
            yield from sheets
            return
        hasher = self._hasher or registry.get_hasher()
        package_id = resource.get("package_id") or (ctx.dataset or {}).get("id")
        try:
            index: SuppressionIndex = self._load_index(package_id, sorted(columns), self.statuses)
        except registry.SecretMismatch:
            raise StageError(
                "オプトアウト登録簿の鍵（ckanext.optout.secret）が変更されています。"
                "照合できないため公開を止めました。",
                "the opt-out registry was hashed with another ckanext.optout.secret; "
                "publishing stopped because rows cannot be matched") from None
        report = ctx.report
        report.update(opt_outs_in_scope=len(index), sheets=0, rows_in=0, rows_dropped=0,
                      rows_kept=0, rows_without_key=0)
        usable = _public_value if self.public_only else None
        for sheet in sheets:
            above, positions, rows = _find_header(sheet, columns)
            counts = Counts()
            report["sheets"] += 1
            filtered = filter_rows(rows, positions, index, hasher, counts, usable=usable)
            yield sheet.with_rows(chain(above, _counted(filtered, counts, report)))


class PublicSuppressionStage(SuppressionStage):
    """Opt-outs not yet verified, matched on what the scrubbed file shows (see the module)."""

    name = "optout_public"
    order = 900
    statuses = (m.PENDING,)
    public_only = True


def _find_header(sheet: Any, columns: dict[str, str]) -> tuple[list[list[str]], dict[str, int], Iterator]:
    """The rows above the header (passed through), the subject columns' positions, and the rows
    below the header. The header is the first physical row, or the first of the next rows that
    names every subject column (a title and a blank line above a table)."""
    try:
        return [], column_indexes(list(sheet.header), columns), sheet.rows
    except ColumnError as first:
        missing = first.missing
    rows = iter(sheet.rows)
    above: list[list[str]] = []
    for row in rows:
        above.append(row)
        try:
            return above, column_indexes(list(row), columns), rows
        except ColumnError:
            if len(above) >= HEADER_SEARCH_ROWS:
                break
    raise StageError(
        f"本人を特定する列が見つかりません: {', '.join(missing)}（シート「{sheet.name}」）。列名を確認してください。",
        f"subject-key column(s) missing in sheet {sheet.name!r}: {', '.join(missing)}")


def _counted(rows: Iterator[list[str]], counts: Counts, report: dict) -> Iterator[list[str]]:
    """Pass rows through; add the sheet's counts to the report once it is exhausted."""
    yield from rows
    for key, value in counts.as_dict().items():
        report[key] = report.get(key, 0) + value
