"""One-click normalisation as stages of the publishing pipeline (the ``anonymize`` plugin's).

Staff ask for it per resource (``gifu_conformance_normalise`` sets the resource's
:data:`FLAG` to the standard's spec id); the pipeline then derives the public copy from the
closed original like any upload, with two more stages:

- :class:`NormaliseStage` (a *transform*, before the PII scrub): the standard form of every row
  (:class:`ckanext.gifu.standards.RowNormaliser`, the same code as ``normalise()``): the
  standard's column names and order, 西暦 dates, half-width digits... The scrub, the opt-out
  filter and the review then see the normalised rows. The closed original is never edited.
- :class:`StandardFormFilter` (a *filter*, after the scrub): drops the blank rows (the title
  lines above the header leave blank rows: a transform writes one row per input row, so the
  filters' row keys stay in line) and writes the byte order mark the standard asks for (UTF-8
  with BOM; the pipeline writes UTF-8) as the first character of the header.

Fail closed: a file the stage cannot normalise (not a comma-separated CSV, no standard column
found, an unexpected error) raises :class:`StageError`: the derivation fails with the reason in
Japanese and English and nothing is published. Imported only when the ``anonymize`` plugin's
interface exists (``plugin.py``); the one thing of that plugin gifu imports is that interface.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ckanext.anonymize.interfaces import Row, Sheet, StageContext, StageError
from ckanext.gifu import standards
from ckanext.gifu.logic.conformance import NORMALISE_FLAG as FLAG

log = logging.getLogger(__name__)

VERSION = 1  # of this stage's output: a change makes the scrubbed cache again
READ_AHEAD = 50  # physical rows read ahead to find the header (the checker searches 10 non-blank)
BOM = "\ufeff"


@dataclass(frozen=True)
class _Sheet:
    """A sheet with the standard form's header (the pipeline's sheets keep theirs)."""

    name: str
    header: list[str]
    rows: Iterator[Row]
    meta: dict[str, Any] = field(default_factory=dict)

    def with_rows(self, rows: Iterable[Row]) -> _Sheet:
        return replace(self, rows=iter(rows))


@functools.cache
def spec_version(spec_id: str) -> str:
    """What the output depends on besides the original: this stage's code and the spec."""
    spec = standards.load(spec_id)
    return hashlib.sha256(f"{VERSION}:{spec!r}".encode()).hexdigest()[:16]


def _blank(row: Row) -> bool:
    return not any(c.strip() for c in row)


def _refuse(ja: str, en: str) -> StageError:
    return StageError(
        f"標準形式への正規化ができませんでした。{ja}何も公開していません。元のファイルは変更していません。",
        f"the file could not be normalised into the standard form: {en}; nothing was published and "
        "the original is unchanged",
    )


class NormaliseStage:
    """The standard form of one standard dataset (one instance per spec: the pipeline's cache
    key holds the name and version of the stages that apply, so normalising into another
    standard, or a corrected spec, makes the cache again)."""

    name = "gifu_normalise"
    order = 300  # before the PII scrub (500): the scrub sees the standard's column names

    def __init__(self, spec_id: str):
        self.spec_id = spec_id
        self.version = spec_version(spec_id)

    def applies_to(self, resource: dict[str, Any]) -> bool:
        return resource.get(FLAG) == self.spec_id

    def fingerprint(self, resource: dict[str, Any], dataset: dict[str, Any]) -> str:
        # A spec corrected after the derivation: the sweep derives the public copy again.
        return self.version

    def process(self, sheets: Iterable[Sheet], ctx: StageContext) -> Iterator[Sheet]:
        spec = standards.load(self.spec_id)
        for sheet in sheets:
            meta = dict(getattr(sheet, "meta", None) or {})
            if meta.get("delimiter") != ",":
                raise _refuse(
                    "正規化できるのはカンマ区切りの CSV ファイルだけです（タブ区切り・Excel・JSON は CSV で保存し直してください）。",
                    "only comma-separated CSV files can be normalised (save a TSV, Excel or JSON file as CSV)",
                )
            rows = iter(sheet.rows)
            head: list[Row] = [list(sheet.header)]
            nonblank = 0 if _blank(head[0]) else 1
            while nonblank < standards.conformance.HEADER_SEARCH and len(head) < READ_AHEAD:
                row = next(rows, None)
                if row is None:
                    break
                head.append(row)
                nonblank += not _blank(row)
            index = standards.find_header(spec, head)
            if index is None:
                raise _refuse(
                    f"「{spec.title}」の項目名が一つも見つかりません（最初の {len(head)} 行）。",
                    f"no column of 「{spec.title}」 was found in the first {len(head)} rows",
                )
            normaliser = standards.RowNormaliser(spec, head[index])
            yield _Sheet(sheet.name, normaliser.header, self._rows(normaliser, head, index, rows, ctx), meta)

    def _rows(
        self,
        normaliser: standards.RowNormaliser,
        head: list[Row],
        index: int,
        rest: Iterator[Row],
        ctx: StageContext,
    ) -> Iterator[Row]:
        """One output row per input row (the filters' keys are per input row): the title lines
        and the input's header become blank rows, which :class:`StandardFormFilter` drops."""
        empty = [""] * len(normaliser.header)
        records = 0

        def one(row: Row) -> Row:
            nonlocal records
            if _blank(row):
                return list(empty)
            records += 1
            try:
                return normaliser.row(row)
            except Exception as err:  # fail closed with a reason, whatever went wrong in a cell
                log.exception("normalising a row failed")
                raise _refuse(
                    f"データ {records} 件目を正規化できませんでした（{type(err).__name__}）。",
                    f"record {records} could not be normalised ({type(err).__name__})",
                ) from err

        for position, row in enumerate(head[1:], start=1):
            yield list(empty) if position <= index else one(row)
        for row in rest:
            yield one(row)
        ctx.report.update(
            spec=self.spec_id,
            standard=normaliser.spec.title,
            records=records,
            title_rows=index,
            renamed=normaliser.renamed,
            cells_fixed=dict(normaliser.changed),
            columns=len(normaliser.header),
        )


class _NoKeys:
    def sheet(self, name: str) -> Callable[[Row], Any]:
        return lambda row: None


class StandardFormFilter:
    """After the scrub: blank rows dropped, the byte order mark written (see the module)."""

    name = "gifu_standard_form"
    order = 950
    filter = True

    def applies_to(self, resource: dict[str, Any]) -> bool:
        return bool(resource.get(FLAG))

    def tap_version(self, resource: dict[str, Any], dataset: dict[str, Any]) -> str:
        return str(VERSION)

    def keyer(self, resource: dict[str, Any], dataset: dict[str, Any]) -> _NoKeys:
        return _NoKeys()

    def select(
        self, sheet: str, rows: Iterable[tuple[Row, dict[str, Any]]], ctx: StageContext
    ) -> Iterator[tuple[Row, dict[str, Any]]]:
        pairs = iter(rows)
        first = next(pairs, None)
        if first is None:
            return
        header, keys = first
        # The writer encodes U+FEFF at the start of the file as UTF-8's byte order mark.
        yield ([BOM + header[0], *header[1:]] if header and not header[0].startswith(BOM) else header), keys
        dropped = 0
        for row, row_keys in pairs:
            if _blank(row):
                dropped += 1
                continue
            yield row, row_keys
        ctx.report.update(blank_rows_dropped=dropped)


def stages() -> list[Any]:
    """What gifu contributes to the publishing pipeline."""
    return [*(NormaliseStage(spec_id) for spec_id in standards.ids()), StandardFormFilter()]
