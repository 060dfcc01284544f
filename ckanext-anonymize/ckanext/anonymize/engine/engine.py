"""The engine: detect → decide → transform → report, over streamed sheets."""
from __future__ import annotations

from itertools import chain
from typing import Iterable, Iterator

from .analyzer import Finding, TextAnalyzer
from .columns import ANALYZE, KEEP, TRANSFORM, ColumnPolicy, decide
from .config import EngineConfig
from .errors import InputError
from .kanon import KAnonymity
from .layouts import GENERIC, Layout, detect
from .offline import configure
from .operators import Operators, neutralize_formula
from .report import ColumnReport, Report, SheetReport
from .sheet import Sheet
from .tables import open_table, write_table


CHUNK_CHARS = 1_000_000  # a batch of rows holds at most this much text (memory stays flat)


def chunks(rows: Iterable[list[str]], max_rows: int, max_chars: int) -> Iterator[list[list[str]]]:
    """Batches of rows, cut by count and by total text size.

    >>> [len(c) for c in chunks([["a" * 5]] * 5, 3, 100)], [len(c) for c in chunks([["a" * 60]] * 3, 3, 100)]
    ([3, 2], [2, 1])
    """
    batch, size = [], 0
    for row in rows:
        batch.append(row)
        size += sum(len(c) for c in row)
        if len(batch) >= max_rows or size >= max_chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def header_row(first: list[str], sample: list[list[str]]) -> int:
    """Where the real header is: 0 = the first row; n = the n-th row of ``sample`` (1-based),
    when the first row is a lone title over a table at least three columns wide.

    >>> header_row(["岐阜市AED一覧", "", "", ""], [["", "", "", ""], ["名称", "住所", "緯度", "経度"]])
    2
    >>> header_row(["氏名", "", "年齢"], [["山田", "x", "3"]])
    0
    """
    width = len(first)
    if width < 3 or sum(1 for c in first if c.strip()) > 1:
        return 0
    need = max(2, (width + 1) // 2)
    for i, row in enumerate(sample[:9], start=1):
        if sum(1 for c in row if c.strip()) >= need:
            return i
    return 0


class Engine:
    """Build once, reuse: GiNZA and Presidio are loaded on the first text that needs them."""

    def __init__(self, config: EngineConfig | None = None):
        configure()
        self.config = config or EngineConfig()
        secret = self.config.hash_secret.encode("utf-8") if self.config.hash_secret else None
        self.operators = Operators(self.config.operators, self.config.default_operator, secret)
        self.analyzer = TextAnalyzer(self.config)

    # -- text ---------------------------------------------------------------------------------
    def analyze_text(self, text: str) -> dict:
        """Findings in one text and the text with them replaced by their operators."""
        findings = self.analyzer.analyze(text)
        return {"findings": [f.to_dict() for f in findings],
                "anonymized": self.operators.apply_spans(
                    text, [(f.entity_type, f.start, f.end) for f in findings])}

    # -- tables -------------------------------------------------------------------------------
    def scrub_sheets(self, sheets: Iterable[Sheet], columns: dict[str, str] | None = None,
                     report: Report | None = None) -> tuple[Iterator[Sheet], Report]:
        """Scrubbed sheets (lazy) and the report they fill as they are consumed."""
        report = report or Report()
        self._engine_info(report)

        def generate() -> Iterator[Sheet]:
            for sheet in sheets:
                yield self._sheet(sheet, columns or {}, report)
            report.complete = True
            self._engine_info(report)

        return generate(), report

    def scrub_file(self, src: str, dst: str, filename: str | None = None,
                   columns: dict[str, str] | None = None, encoding: str = "utf-8") -> Report:
        table = open_table(src, filename=filename, config=self.config)
        sheets, report = self.scrub_sheets(table.sheets, columns, Report(table.format, table.encoding))
        write_table(dst, table.format, sheets, encoding=encoding)
        return report

    def scan_file(self, src: str, filename: str | None = None,
                  columns: dict[str, str] | None = None) -> Report:
        table = open_table(src, filename=filename, config=self.config)
        sheets, report = self.scrub_sheets(table.sheets, columns, Report(table.format, table.encoding))
        for sheet in sheets:
            for _ in sheet.rows:
                pass
        return report

    # -- internals ------------------------------------------------------------------------------
    def _engine_info(self, report: Report) -> None:
        report.engine = {"ner": self.config.ner, "k_threshold": self.config.k_threshold,
                         "stats": dict(self.analyzer.stats)}
        uses_hash = any(op.get("type") == "hash" for op in
                        list(self.config.operators.values()) + [self.config.default_operator])
        if uses_hash and self.operators.random_secret and not any(
                w.get("code") == "hash_secret" for w in report.warnings):
            report.warnings.append({
                "code": "hash_secret",
                "ja": "ハッシュの秘密鍵が未設定のため、仮名はこの処理の中でのみ一定です。",
                "en": "No hash secret is configured: pseudonyms are stable within this run only."})

    def _sheet(self, sheet: Sheet, overrides: dict[str, str], report: Report) -> Sheet:
        cfg = self.config
        is_text = bool(sheet.meta.get("text"))
        layout: Layout = GENERIC if is_text else detect(sheet.header)
        srep = SheetReport(sheet.name, layout)
        report.sheets.append(srep)
        rows = iter(sheet.rows)
        sample = next(chunks(rows, cfg.sample_rows, 2 * CHUNK_CHARS), [])
        # Office exports often start with a title row (「岐阜市AED設置一覧」) above the real header.
        at = 0 if is_text else header_row(sheet.header, sample)
        header_cells, preamble = sheet.header, []
        if at:
            preamble = [sheet.header] + sample[:at - 1]
            header_cells, sample = sample[at - 1], sample[at:]
            srep.header_row = at + 1
            layout = detect(header_cells)
            srep.layout = layout
        decisions: list[ColumnPolicy] = []
        for i, header in enumerate(header_cells):
            if is_text:
                decisions.append(ColumnPolicy(ANALYZE, "テキストファイル / plain text"))
                continue
            values = [r[i] for r in sample if len(r) > i]
            decisions.append(decide(header, values, layout, self.analyzer,
                                    override=overrides.get(header),
                                    quasi_extra=cfg.quasi_identifiers))
        srep.columns = [ColumnReport(i, h, d, cfg.examples_per_column)
                        for i, (h, d) in enumerate(zip(header_cells, decisions))]
        qi = [i for i, d in enumerate(decisions) if d.quasi and d.policy == KEEP]
        kanon = KAnonymity([header_cells[i] for i in qi], cfg.k_threshold, cfg.max_groups,
                           cfg.smallest_groups)
        if preamble:
            srep.preamble = ColumnReport(-1, "（表題行）", ColumnPolicy(
                ANALYZE, "見出し行より上の表題・注記 / title rows above the header"), cfg.examples_per_column)
            preamble = [self._free_row(r, srep.preamble) for r in preamble]
            header = preamble.pop(0)
        else:
            header = [neutralize_formula(h) for h in sheet.header]

        def generate() -> Iterator[list[str]]:
            yield from preamble
            if at:
                yield [neutralize_formula(h) for h in header_cells]
            for chunk in chunks(chain(sample, rows), cfg.chunk_rows, CHUNK_CHARS):
                yield from self._chunk(chunk, decisions, srep, kanon, qi)
            srep.k_anonymity = kanon.result()

        return Sheet(sheet.name, header, generate(), sheet.meta)

    def _free_row(self, row: list[str], col: ColumnReport) -> list[str]:
        """A row outside the table proper (title, notes): every cell analyzed as free text."""
        out = []
        for cell, found in zip(row, self.analyzer.analyze_many(row)):
            for f in found:
                col.found(f.entity_type, cell[f.start:f.end])
            new = self.operators.apply_spans(cell, [(f.entity_type, f.start, f.end) for f in found])
            out.append(neutralize_formula(new))
            col.cells_changed += out[-1] != cell
        return out

    def _chunk(self, chunk: list[list[str]], decisions: list[ColumnPolicy], srep: SheetReport,
               kanon: KAnonymity, qi: list[int]) -> Iterator[list[str]]:
        limit = self.config.max_cell_chars
        findings: dict[int, list[list[Finding]]] = {}
        for i, d in enumerate(decisions):
            if d.policy == ANALYZE:
                texts = [row[i] if len(row) > i else "" for row in chunk]
                if any(len(t) > limit for t in texts):
                    raise InputError("too_large", f"{limit:,} 文字を超えるセルがあります。",
                                     f"A cell holds more than {limit:,} characters.")
                findings[i] = self.analyzer.analyze_many(texts, d.entities)
        ops = self.operators
        for r, row in enumerate(chunk):
            if not row:
                yield row
                continue
            out = list(row)
            for i, d in enumerate(decisions):
                cell = row[i]
                col = srep.columns[i]
                if d.policy == TRANSFORM and cell.strip():
                    out[i] = ops.apply(d.entity, cell)
                    col.found(d.entity, cell)
                elif d.policy == ANALYZE and findings[i][r]:
                    found = findings[i][r]
                    for f in found:
                        col.found(f.entity_type, cell[f.start:f.end])
                    out[i] = ops.apply_spans(cell, [(f.entity_type, f.start, f.end) for f in found])
                safe = neutralize_formula(out[i])
                if safe is not out[i]:
                    srep.formulas_neutralized += 1
                    out[i] = safe
                if out[i] != cell:
                    col.cells_changed += 1
            if qi:
                kanon.add([out[i] for i in qi])
            srep.rows += 1
            yield out
