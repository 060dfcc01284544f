"""The suppression stage of the publishing pipeline (order 100): opted-out residents' rows are
dropped before anything else reads the file.

Contributed to the ``anonymize`` plugin through its declared interface only
(``ckanext.anonymize.interfaces``); the matching itself is pure (``suppress.py``).
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from . import registry
from .suppress import ColumnError, Counts, SuppressionIndex, column_indexes, filter_rows

try:  # optout works alone; the stage exists only where the pipeline's interface does
    from ckanext.anonymize.interfaces import StageError
except ImportError:  # pragma: no cover - exercised when anonymize is not installed
    class StageError(Exception):  # type: ignore[no-redef]
        def __init__(self, message_ja: str, message_en: str):
            super().__init__(f"{message_ja} / {message_en}")
            self.message_ja, self.message_en = message_ja, message_en


class SuppressionStage:
    """Drop the rows of residents with an active opt-out in scope (all datasets, or this one)."""

    name = "optout"
    order = 100

    def __init__(self, load_columns=None, load_index=None, hasher=None):
        # Injectable for tests and benchmarks; by default read from the registry tables.
        self._load_columns = load_columns or registry.subject_columns
        self._load_index = load_index or registry.load_index
        self._hasher = hasher

    def applies_to(self, resource: dict[str, Any]) -> bool:
        return bool(self._load_columns(resource["id"]))

    def process(self, sheets: Iterable[Any], ctx: Any) -> Iterator[Any]:
        resource = ctx.resource
        columns = self._load_columns(resource["id"])
        if not columns:
            yield from sheets
            return
        hasher = self._hasher or registry.get_hasher()
        package_id = resource.get("package_id") or (ctx.dataset or {}).get("id")
        try:
            index: SuppressionIndex = self._load_index(package_id, sorted(columns))
        except registry.SecretMismatch:
            raise StageError(
                "オプトアウト登録簿の鍵（ckanext.optout.secret）が変更されています。"
                "照合できないため公開を止めました。",
                "the opt-out registry was hashed with another ckanext.optout.secret; "
                "publishing stopped because rows cannot be matched") from None
        report = ctx.report
        report.update(opt_outs_in_scope=len(index), sheets=0, rows_in=0, rows_dropped=0,
                      rows_kept=0, rows_without_key=0)
        for sheet in sheets:
            try:
                positions = column_indexes(list(sheet.header), columns)
            except ColumnError as exc:
                raise StageError(
                    f"本人を特定する列が見つかりません: {', '.join(exc.missing)}"
                    f"（シート「{sheet.name}」）。列名を確認してください。",
                    f"subject-key column(s) missing in sheet {sheet.name!r}: "
                    f"{', '.join(exc.missing)}") from None
            counts = Counts()
            report["sheets"] += 1
            yield sheet.with_rows(_counted(filter_rows(sheet.rows, positions, index, hasher,
                                                       counts), counts, report))


def _counted(rows: Iterator[list[str]], counts: Counts, report: dict) -> Iterator[list[str]]:
    """Pass rows through; add the sheet's counts to the report once it is exhausted."""
    yield from rows
    for key, value in counts.as_dict().items():
        report[key] = report.get(key, 0) + value
