"""The suppression filter of the publishing pipeline: opted-out residents' rows are dropped.

Contributed to the ``anonymize`` plugin through its declared interface only
(``ckanext.anonymize.interfaces``); the matching itself is pure (``suppress.py``).

A *filter* stage of the two-phase pipeline: while the original rows stream through the PII scrub,
:meth:`keyer` computes for each row the keyed digests of its subject columns (氏名 + 生年月日 …,
values as held); the pipeline keeps them beside the scrubbed rows. :meth:`select` then keeps or
drops each scrubbed row. A change of the registry only runs ``select`` again: no new PII scan.

No outcome of an opt-out reveals a value the public file hides (an outsider could otherwise
file an opt-out for a public name and a guessed birth date, and learn the hidden date from
whether the row disappears):

- opt-outs staff have **verified** (the resident's identity checked) match on every subject
  column: the row's digests;
- opt-outs **not yet verified** match on what the published file shows: the scrubbed cells,
  where a replaced value (〈生年月日〉) is no value. A public name drops every row of that name
  (namesakes too, the safe direction); a row whose identifying columns are all hidden is
  matched once the request is verified.

The header row is found wherever it is (title lines above it pass through).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import model, registry
from .keys import combinations
from .suppress import ColumnError, Counts, SuppressionIndex, column_indexes, normalize_cell

try:  # optout works alone; the stage exists only where the pipeline's interface does
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


def _secret_mismatch() -> StageError:
    return StageError(
        "オプトアウト登録簿の鍵（ckanext.optout.secret）が変更されています。照合できないため公開を止めました。",
        "the opt-out registry was hashed with another ckanext.optout.secret; publishing stopped "
        "because rows cannot be matched",
    )


def _missing(sheet: str, missing: list[str]) -> StageError:
    return StageError(
        f"本人を特定する列が見つかりません: {', '.join(missing)}（シート「{sheet}」）。列名を確認してください。",
        f"subject-key column(s) missing in sheet {sheet!r}: {', '.join(missing)}",
    )


class _HeaderSearch:
    """Finds the header among the first rows of a sheet; then the subject columns' positions."""

    def __init__(self, sheet: str, columns: dict[str, str]):
        self.sheet, self.columns = sheet, columns
        self.positions: dict[str, int] | None = None
        self.seen = 0
        self.missing: list[str] = sorted(columns.values())

    def feed(self, row: list[str]) -> bool:
        """Whether ``row`` is a record (below the header). Raises when no header came."""
        if self.positions is not None:
            return True
        self.seen += 1
        try:
            self.positions = column_indexes(list(row), self.columns)
        except ColumnError as exc:
            if self.seen == 1:
                self.missing = exc.missing
            if self.seen >= HEADER_SEARCH_ROWS:
                raise _missing(self.sheet, self.missing) from None
        return False


class _Keyer:
    """Phase 1: the keyed digests of each record's subject values, as held in the original."""

    def __init__(self, columns: dict[str, str], hasher: Any):
        self.columns, self.hasher = columns, hasher
        self.plan = sorted(columns)  # attributes, sorted: the digest's order

    def sheet(self, name: str) -> Callable[[list[str]], Any]:
        search = _HeaderSearch(name, self.columns)

        def take(row: list[str]) -> Any:
            if not search.feed(row):
                return None
            pairs = []
            for attr in self.plan:
                at = search.positions[attr]
                cell = row[at] if at < len(row) else ""
                value = normalize_cell(attr, str(cell)) if cell not in (None, "") else None
                if value:
                    pairs.append((attr, value))
            # Stored beside every row of the scrubbed cache, hence the short keys: "a" the
            # attributes the row has a value for, "d" the hex digest of each combination of them.
            if not pairs:
                return {"a": []}
            names = [a for a, _ in pairs]
            return {
                "a": names,
                "d": {
                    "+".join(combo): self.hasher.digest_pairs([p for p in pairs if p[0] in combo]).hex()
                    for combo in combinations(names)
                },
            }

        return take


class SuppressionFilter:
    """Drop the rows of residents with an active opt-out in scope (all datasets, or this one)."""

    name = "optout"
    order = 100
    filter = True

    def __init__(self, load_columns=None, load_index=None, hasher=None):
        # Injectable for tests and benchmarks; by default read from the registry tables.
        self._load_columns = load_columns or registry.subject_columns
        self._load_index = load_index or registry.load_index
        self._hasher = hasher

    def _hash(self):
        return self._hasher or registry.get_hasher()

    def applies_to(self, resource: dict[str, Any]) -> bool:
        return bool(self._load_columns(resource["id"]))

    def fingerprint(self, resource: dict[str, Any], dataset: dict[str, Any]) -> str:
        """Changes whenever the opt-outs in scope change: the public copy must be filtered again."""
        return registry.fingerprint(resource.get("package_id") or dataset.get("id"), resource["id"])

    def tap_version(self, resource: dict[str, Any], dataset: dict[str, Any]) -> str:
        """What the row keys depend on: the subject columns and the secret they are hashed with."""
        message = json.dumps(
            [sorted(self._load_columns(resource["id"]).items()), self._hash().key_id], ensure_ascii=False
        )
        return hashlib.sha256(message.encode("utf-8")).hexdigest()[:32]

    def keyer(self, resource: dict[str, Any], dataset: dict[str, Any]) -> _Keyer:
        return _Keyer(self._load_columns(resource["id"]), self._hash())

    def select(
        self, sheet: str, rows: Iterable[tuple[list[str], dict[str, Any]]], ctx: Any
    ) -> Iterator[tuple[list[str], dict[str, Any]]]:
        """Phase 2: keep the rows (scrubbed cells, keys) of residents without an opt-out."""
        resource = ctx.resource
        columns = self._load_columns(resource["id"])
        hasher = self._hash()
        package_id = resource.get("package_id") or (ctx.dataset or {}).get("id")
        try:
            verified: SuppressionIndex = self._load_index(package_id, sorted(columns), (model.VERIFIED,))
            pending: SuppressionIndex = self._load_index(package_id, sorted(columns), (model.PENDING,))
        except registry.SecretMismatch:
            raise _secret_mismatch() from None
        report = ctx.report
        for key, value in {
            "opt_outs_in_scope": len(verified) + len(pending),
            "verified_in_scope": len(verified),
            "sheets": 0,
            "rows_in": 0,
            "rows_dropped": 0,
            "rows_kept": 0,
            "rows_without_key": 0,
            "dropped_verified": 0,
            "dropped_public_values": 0,
        }.items():
            report.setdefault(key, value)
        report["sheets"] += 1
        search = _HeaderSearch(sheet, columns)
        plan = sorted(columns)
        counts = Counts()
        for row, keys in rows:
            if not search.feed(row):
                yield row, keys
                continue
            counts.rows_in += 1
            key = (keys or {}).get(self.name) or {}
            if len(verified) and key.get("a") and verified.matches_digests(key["a"], key.get("d", {})):
                counts.rows_dropped += 1
                report["dropped_verified"] += 1
                continue
            public = []
            for attr in plan:
                at = search.positions[attr]
                cell = row[at] if at < len(row) else ""
                if cell and _public_value(str(cell)):
                    value = normalize_cell(attr, str(cell))
                    if value:
                        public.append((attr, value))
            if not key.get("a") and not public:
                counts.rows_without_key += 1
            if len(pending) and public and pending.matches_pairs(hasher, public):
                counts.rows_dropped += 1
                report["dropped_public_values"] += 1
                continue
            yield row, keys
        if search.positions is None:
            raise _missing(sheet, search.missing)
        for key, value in counts.as_dict().items():
            report[key] = report.get(key, 0) + value

    def process(self, sheets: Iterable[Any], ctx: Any) -> Iterator[Any]:
        """Both phases in one pass, when nothing transforms the rows in between (tests and
        benchmarks of the matching, and a pipeline without a scrub)."""
        if not self.applies_to(ctx.resource):
            yield from sheets
            return
        keyer = self.keyer(ctx.resource, ctx.dataset)
        for sheet in sheets:
            take = keyer.sheet(sheet.name)
            rows = ((row, {self.name: take(row)}) for row in _with_header(sheet))
            kept = self.select(sheet.name, rows, ctx)
            next(kept)  # the first physical row is never dropped: the header
            yield sheet.with_rows(row for row, _ in kept)


def _with_header(sheet: Any) -> Iterator[list[str]]:
    yield list(sheet.header)
    yield from sheet.rows


# The name under which tests, benchmarks and older code know the stage.
SuppressionStage = SuppressionFilter
