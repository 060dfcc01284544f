"""The engine: detect → decide → transform → report, over streamed sheets.

Every cell is read. The structure of a sheet (title lines, header rows, a form's labels) and the
policy of each column only choose what happens to what the analyzer finds; title lines, header
rows, sheet names and JSON keys are scanned like any cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain

from ckanext.jatext.headers import header_key
from ckanext.jatext.width import digits, fold

from . import fixedwidth
from . import structure as structure_
from .analyzer import Finding, TextAnalyzer
from .columns import ANALYZE, KEEP, TRANSFORM, ColumnPolicy, decide
from .config import EngineConfig
from .entities import CONTACT
from .errors import InputError
from .kanon import KAnonymity
from .layouts import GENERIC, Layout, detect
from .offline import configure
from .operators import Operators, neutralize_formula
from .organisation import inside_organisation, is_business, is_organisation
from .report import ColumnReport, Report, SheetReport
from .sheet import Sheet
from .structure import kind
from .tables import open_table, write_table
from .vocabulary import PUBLIC_SUBJECTS, header_entity, is_quasi, is_summary, is_vocabulary

CHUNK_CHARS = 1_000_000  # a batch of rows holds at most this much text (memory stays flat)
STRUCTURE_ROWS = 40  # rows looked at to find title lines and header rows
FREE = ColumnPolicy(ANALYZE, "自由記述（各セルを検査）/ free text (every cell checked)")
# Totals and footnotes under a table (合計, ※問合せ：岐阜市 ごみ減量推進課 058-…): free text whose
# organisations' contacts stay.
NOTE = ColumnPolicy(ANALYZE, "合計・注記の行 / totals and notes", public_contacts=True)
_COUNT = re.compile(r"[0-9,]+ ?(?:名|人|件|世帯|戸|組|団体|か所|箇所)")
# Cues that a contact detail belongs to a person, not to the organisation the text names.
PERSONAL_CUES = ("携帯", "ケータイ", "自宅", "個人", "本人", "私", "実行委員", "世話人", "代表者", "宅")
ROLE_MAILBOXES = frozenset(
    (
        "info",
        "contact",
        "office",
        "admin",
        "support",
        "webmaster",
        "kouhou",
        "koho",
        "soumu",
        "jimukyoku",
        "toiawase",
        "otoiawase",
        "mail",
        "service",
        "center",
        "sales",
        "press",
        "inquiry",
        "ask",
        "desk",
        "reception",
        "uketsuke",
        "madoguchi",
        "bousai",
        "kankyo",
        "fukushi",
        "kyoiku",
        "event",
        "entry",
        "shimin",
    )
)
FREE_MAIL = (
    "gmail.com",
    "yahoo.co.jp",
    "ymail.ne.jp",
    "icloud.com",
    "me.com",
    "mac.com",
    "hotmail.com",
    "hotmail.co.jp",
    "outlook.com",
    "outlook.jp",
    "live.jp",
    "live.com",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "nifty.com",
    "biglobe.ne.jp",
    "ocn.ne.jp",
    "so-net.ne.jp",
    "yahoo.com",
    "aol.com",
)


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


def is_mobile(value: str) -> bool:
    """A mobile or PHS number (070/080/090), either width, any separators.

    >>> is_mobile("０９０－１２３４－５６７８"), is_mobile("058-265-4141"), is_mobile("+81 90 1234 5678")
    (True, False, True)
    """
    number = digits(value)
    if fold(value).strip().startswith("+81"):
        number = "0" + number[2:].lstrip("0")
    return len(number) == 11 and number[:3] in ("070", "080", "090")


# Changes whenever the engine's decisions change (a scrubbed cache made by another version is
# made again, not filtered): bump it with any change to detection or column policies.
ENGINE_VERSION = "2026-11-30.1"


class Engine:
    """Build once, reuse: GiNZA and Presidio are loaded on the first text that needs them."""

    def __init__(self, config: EngineConfig | None = None):
        configure()
        self.config = config or EngineConfig()
        secret = self.config.hash_secret.encode("utf-8") if self.config.hash_secret else None
        self.operators = Operators(self.config.operators, self.config.default_operator, secret)
        self.analyzer = TextAnalyzer(self.config)

    def signature(self) -> str:
        """The engine's version and configuration (secrets hashed): what its output depends on."""
        import dataclasses
        import hashlib

        settings = dataclasses.asdict(self.config)
        if settings.get("hash_secret"):
            settings["hash_secret"] = hashlib.sha256(settings["hash_secret"].encode()).hexdigest()
        return hashlib.sha256(
            json.dumps([ENGINE_VERSION, settings], sort_keys=True, default=str, ensure_ascii=False).encode(
                "utf-8"
            )
        ).hexdigest()[:32]

    # -- text ---------------------------------------------------------------------------------
    def analyze_text(self, text: str) -> dict:
        """Findings in one text and the text with them replaced by their operators."""
        findings = self.findings(text)
        return {
            "findings": [f.to_dict() for f in findings],
            "anonymized": self.operators.apply_spans(
                text, [(f.entity_type, f.start, f.end) for f in findings]
            ),
        }

    def findings(self, text: str) -> list[Finding]:
        """What the analyzer finds in a free text, without names that are part of an
        organisation's or a place's name (株式会社木村工務店)."""
        return self._personal(text, self.analyzer.analyze(text))

    def scrub_text(self, text: str) -> str:
        """A free text with everything personal replaced (file names, sheet names, titles)."""
        return self.operators.apply_spans(
            text, [(f.entity_type, f.start, f.end) for f in self.findings(text)]
        )

    # -- tables -------------------------------------------------------------------------------
    def scrub_sheets(
        self, sheets: Iterable[Sheet], columns: dict[str, str] | None = None, report: Report | None = None
    ) -> tuple[Iterator[Sheet], Report]:
        """Scrubbed sheets (lazy) and the report they fill as they are consumed."""
        report = report or Report()
        self._engine_info(report)

        def generate() -> Iterator[Sheet]:
            names: set[str] = set()
            for sheet in sheets:
                yield self._sheet(sheet, columns or {}, report, names)
            report.complete = True
            self._engine_info(report)

        return generate(), report

    def scrub_file(
        self,
        src: str,
        dst: str,
        filename: str | None = None,
        columns: dict[str, str] | None = None,
        encoding: str = "utf-8",
    ) -> Report:
        table = open_table(src, filename=filename, config=self.config)
        sheets, report = self.scrub_sheets(table.sheets, columns, Report(table.format, table.encoding))
        write_table(dst, table.format, sheets, encoding=encoding)
        return report

    def scan_file(
        self, src: str, filename: str | None = None, columns: dict[str, str] | None = None
    ) -> Report:
        table = open_table(src, filename=filename, config=self.config)
        sheets, report = self.scrub_sheets(table.sheets, columns, Report(table.format, table.encoding))
        for sheet in sheets:
            for _ in sheet.rows:
                pass
        return report

    # -- internals ------------------------------------------------------------------------------
    def _engine_info(self, report: Report) -> None:
        report.engine = {
            "ner": self.config.ner,
            "k_threshold": self.config.k_threshold,
            "stats": dict(self.analyzer.stats),
        }
        uses_hash = any(
            op.get("type") == "hash"
            for op in list(self.config.operators.values()) + [self.config.default_operator]
        )
        if (
            uses_hash
            and self.operators.random_secret
            and not any(w.get("code") == "hash_secret" for w in report.warnings)
        ):
            report.warnings.append(
                {
                    "code": "hash_secret",
                    "ja": "ハッシュの秘密鍵が未設定のため、仮名はこの処理の中でのみ一定です。",
                    "en": "No hash secret is configured: pseudonyms are stable within this run only.",
                }
            )

    def _personal(self, text: str, found: Sequence[Finding]) -> list[Finding]:
        out = []
        for f in found:
            if f.entity_type == "PERSON":
                trimmed = _trim_person(text, f)
                if trimmed is None or inside_organisation(text, trimmed.start, trimmed.end):
                    continue
                f = trimmed
            out.append(f)
        return out

    def _header_findings(self, cell: str, found: Sequence[Finding]) -> list[Finding]:
        """Findings in a header cell, without the header's own words (「カナ」 in 「氏名カナ」)."""
        return [f for f in self._personal(cell, found) if not is_vocabulary(cell[f.start : f.end])]

    def _personal_row(self, cells: Sequence[str]) -> bool:
        """Whether the analyzer finds anything personal in a row (then it is data, not a header)."""
        return any(
            self._header_findings(c, found)
            for c, found in zip(cells, self.analyzer.analyze_many(list(cells)))
        )

    def _sheet_name(self, name: str, srep: SheetReport, used: set[str]) -> str:
        """Sheet names are data (a workbook with one sheet per resident, named after them)."""
        found = self._personal(name, self.analyzer.analyze(name))
        for f in found:
            srep.name_findings.found(f.entity_type, name[f.start : f.end])
        out = self.operators.apply_spans(name, [(f.entity_type, f.start, f.end) for f in found])
        unique, n = out, 2
        while unique in used:
            unique, n = f"{out} ({n})", n + 1
        used.add(unique)
        return unique

    def _sheet(self, sheet: Sheet, overrides: dict[str, str], report: Report, used: set[str]) -> Sheet:
        cfg = self.config
        header_kind = sheet.meta.get("header") or ("none" if sheet.meta.get("text") else "row")
        srep = SheetReport(sheet.name, GENERIC)
        report.sheets.append(srep)
        name = self._sheet_name(sheet.name, srep, used)
        rows = iter(sheet.rows)
        sample = next(chunks(rows, cfg.sample_rows, 2 * CHUNK_CHARS), [])
        if header_kind == "none":
            spans = fixedwidth.columns([r[0] if r else "" for r in sample])
            if spans:
                return self._fixed_width(sheet, name, sample, rows, spans, srep, overrides)
        if header_kind == "none":  # plain text: a synthetic header, every line is data
            grid, shape = sample, structure_.Structure(0, 0, list(sheet.header), (), "テキスト / text")
        else:
            grid = [list(sheet.header)] + sample
            width = max((len(r) for r in grid[:STRUCTURE_ROWS]), default=0)
            shape = structure_.detect(
                grid[:STRUCTURE_ROWS], width, self._personal_row, fixed_header=header_kind == "keys"
            )
        names = shape.names
        layout: Layout = detect(names) if shape.header_rows else GENERIC
        data = grid[shape.data_start :]
        if layout.public and not layout.name.startswith("自治体標準") and _repeated_subject(names, data):
            layout = Layout(
                "generic",
                False,
                "施設名などが行ごとに繰り返される（利用・予約の記録）/ the facility "
                "repeats over the rows: a record of uses, not a list of facilities",
            )
        srep.layout = layout
        srep.structure = {
            "title_rows": shape.title_rows,
            "header_rows": shape.header_rows,
            "label_columns": list(shape.label_columns),
            "reason": shape.reason,
        }
        srep.header_row = shape.title_rows + 1 if shape.header_rows else None
        decisions = self._decide(names, data, layout, overrides, sheet, header_kind)
        srep.columns = [
            ColumnReport(i, n, d, cfg.examples_per_column) for i, (n, d) in enumerate(zip(names, decisions))
        ]
        qi = [i for i, d in enumerate(decisions) if d.quasi and d.policy == KEEP]
        kanon = KAnonymity([names[i] for i in qi], cfg.k_threshold, cfg.max_groups, cfg.smallest_groups)
        owners = _owner_columns(names, decisions)
        subject = next((i for i, d in enumerate(decisions) if d.name_column), None) if layout.public else None
        kinds = _kind_column(names, data) if layout.public else None
        nested = (
            {i for i, k in (sheet.meta.get("kinds") or {}).items() if "nested" in k}
            if sheet.meta.get("json_rows")
            else set()
        )
        context = _SheetContext(
            decisions, srep, kanon, qi, owners, shape.label_columns, nested, subject, kinds
        )

        def generate() -> Iterator[list[str]]:
            if shape.title_rows:
                srep.preamble = ColumnReport(
                    -1,
                    "（表題行）",
                    ColumnPolicy(ANALYZE, "見出し行より上の表題・注記 / title rows above the header"),
                    cfg.examples_per_column,
                )
                for row in grid[: shape.title_rows]:
                    yield self._free_row(row, srep.preamble)
            if shape.header_rows:
                srep.header = ColumnReport(
                    -2,
                    "（見出し行）",
                    ColumnPolicy(ANALYZE, "見出し行も検査 / header rows are scanned too"),
                    cfg.examples_per_column,
                )
                for row in grid[shape.title_rows : shape.data_start]:
                    yield self._free_row(row, srep.header, unique=header_kind == "keys")
            for chunk in chunks(chain(data, rows), cfg.chunk_rows, CHUNK_CHARS):
                yield from self._chunk(chunk, context)
            srep.k_anonymity = kanon.result()

        out = generate()
        if header_kind == "none":
            return Sheet(name, list(sheet.header), out, sheet.meta)
        first = next(out, None)
        return Sheet(name, first if first is not None else [], out, sheet.meta)

    def _fixed_width(
        self,
        sheet: Sheet,
        name: str,
        sample: list[list[str]],
        rows: Iterator[list[str]],
        spans: list[tuple[int, int]],
        srep: SheetReport,
        overrides: dict[str, str],
    ) -> Sheet:
        """A text file of fixed-width records: each field is read as a column of a table without
        a header; other lines (header and trailer records) as free text."""
        cfg = self.config
        names = [f"（列{i + 1}）" for i in range(len(spans))]
        records = [fixedwidth.split(r[0], spans) for r in sample if r and fixedwidth.is_record(r[0], spans)]
        bare = Sheet(sheet.name, [""] * len(spans), iter(()), {})
        decisions = self._decide([""] * len(spans), records, GENERIC, overrides, bare, "row")
        srep.structure = {
            "fixed_width": True,
            "columns": len(spans),
            "reason": "固定長のレコード（各欄を列として検査）/ fixed-width records (each field read "
            "as a column)",
        }
        srep.header_row = None
        srep.columns = [
            ColumnReport(i, n, d, cfg.examples_per_column) for i, (n, d) in enumerate(zip(names, decisions))
        ]
        preamble = srep.preamble = ColumnReport(
            -1,
            "（レコード以外の行）",
            ColumnPolicy(ANALYZE, "見出し・トレーラ等の行 / header and trailer lines"),
            cfg.examples_per_column,
        )
        qi = [i for i, d in enumerate(decisions) if d.quasi and d.policy == KEEP]
        kanon = KAnonymity([names[i] for i in qi], cfg.k_threshold, cfg.max_groups, cfg.smallest_groups)
        context = _SheetContext(decisions, srep, kanon, qi, {}, (), set())

        def generate() -> Iterator[list[str]]:
            for chunk in chunks(chain(sample, rows), cfg.chunk_rows, CHUNK_CHARS):
                lines = [r[0] if r else "" for r in chunk]
                at = [i for i, line in enumerate(lines) if fixedwidth.is_record(line, spans)]
                done = iter(self._chunk([fixedwidth.split(lines[i], spans) for i in at], context))
                records_at = set(at)
                for i, line in enumerate(lines):
                    if i in records_at:
                        yield [fixedwidth.join(line, spans, next(done))]
                    else:
                        yield self._free_row([line], preamble)
            srep.k_anonymity = kanon.result()

        return Sheet(name, list(sheet.header), generate(), sheet.meta)

    def _decide(
        self,
        names: list[str],
        data: list[list[str]],
        layout: Layout,
        overrides: dict[str, str],
        sheet: Sheet,
        header_kind: str,
    ) -> list[ColumnPolicy]:
        if header_kind == "none":
            return [ColumnPolicy(ANALYZE, "テキストファイル / plain text") for _ in names]
        cfg = self.config
        raw_header = list(sheet.header)

        def plain(i: int, person_table: bool) -> ColumnPolicy:
            values = [r[i] for r in data if len(r) > i and not is_summary(r[0] if r else "")]
            override = overrides.get(names[i]) or (
                overrides.get(raw_header[i]) if i < len(raw_header) else None
            )
            return decide(
                names[i],
                values,
                layout,
                self.analyzer,
                override=override,
                quasi_extra=cfg.quasi_identifiers,
                person_table=person_table,
            )

        nested = {i for i, k in (sheet.meta.get("kinds") or {}).items() if k == {"nested"}}

        def column(i: int, person_table: bool) -> ColumnPolicy:
            d = plain(i, person_table)
            if i in nested and d.by_values:  # the JSON text of a record is not a value
                return ColumnPolicy(
                    ANALYZE,
                    "入れ子のレコード（キーを見出しとして検査）/ nested record (keys read as headers)",
                )
            return d

        decisions = [column(i, False) for i in range(len(names))]
        person_table = not layout.public and any(
            d.policy == TRANSFORM and d.entity in ("PERSON", "MY_NUMBER", "PERSONAL_ID") for d in decisions
        )
        if person_table:
            decisions = [d if d.policy == TRANSFORM else column(i, True) for i, d in enumerate(decisions)]
        if layout.public:
            _owner_contacts(decisions)
        return decisions

    def _free_row(self, row: list[str], col: ColumnReport, unique: bool = False) -> list[str]:
        """A row outside the table proper (title, notes, header): every cell analyzed as free text.
        ``unique``: the cells are keys (JSON), two replaced keys must not collide."""
        out: list[str] = []
        for cell, found in zip(row, self.analyzer.analyze_many(row)):
            found = self._header_findings(cell, found)
            # 「作成：岐阜市 市民協働推進課 058-…」: the publisher's office stays.
            found = [
                f
                for f in found
                if not (
                    f.entity_type in CONTACT
                    and _organisational_contact(f, cell, found)
                    and _attributed_to_organisation(f, cell)
                )
            ]
            for f in found:
                col.found(f.entity_type, cell[f.start : f.end])
            new = self.operators.apply_spans(cell, [(f.entity_type, f.start, f.end) for f in found])
            if unique and new != cell:
                base, n = new, 2
                while new in out or new in row:
                    new, n = f"{base}{n}", n + 1
            out.append(neutralize_formula(new))
            col.cells_changed += out[-1] != cell
        return out

    def _chunk(self, chunk: list[list[str]], ctx: _SheetContext) -> Iterator[list[str]]:
        limit = self.config.max_cell_chars
        width = max((len(r) for r in chunk), default=0)
        findings: dict[int, list[list[Finding]]] = {}
        for i in range(width):
            d = ctx.decision(i)
            if d.policy == TRANSFORM and not (d.owner or d.by_values or ctx.labels):
                continue  # every cell goes whatever is found
            texts = [row[i] if len(row) > i else "" for row in chunk]
            if any(len(t) > limit for t in texts):
                raise InputError(
                    "too_large",
                    f"{limit:,} 文字を超えるセルがあります。",
                    f"A cell holds more than {limit:,} characters.",
                )
            findings[i] = self.analyzer.analyze_many(texts)
        for r, row in enumerate(chunk):
            if not any(c and c.strip() for c in row):
                yield row
                continue
            yield self._row(row, r, findings, ctx)

    def _row(
        self, row: list[str], r: int, findings: dict[int, list[list[Finding]]], ctx: _SheetContext
    ) -> list[str]:
        ops = self.operators
        srep = ctx.srep
        out = list(row)
        # Totals and notes under a table: 合計 …, ※問合せ …, or a lone first cell in a wide table.
        note = bool(row) and (
            is_summary(row[0])
            or (len(ctx.decisions) >= 3 and len(row[0]) >= 8 and not any(c and c.strip() for c in row[1:]))
        )
        natural = not note and ctx.natural_person(
            row, findings[ctx.subject][r] if ctx.subject in findings else None
        )
        for i, cell in enumerate(row):
            d = NOTE if note else ctx.decision(i)
            col = ctx.column(i)
            if not cell or not cell.strip():
                continue
            entity = d.entity if d.policy == TRANSFORM else None
            if natural and d.policy == KEEP and d.public_contacts and d.allow & CONTACT:
                entity = sorted(d.allow & CONTACT - {"JP_POSTAL_CODE"} or d.allow & CONTACT)[0]
            elif natural and i == ctx.subject and _pure_name(cell.strip()):
                entity = "PERSON"  # 商号又は名称 of a sole proprietor: 佐藤 直樹
            label_entity = ctx.label_entity(row, i)
            if label_entity and not is_organisation(cell):
                entity = label_entity  # a form: 生年月日 | 昭和51年3月23日
            if (
                entity
                and d.owner
                and (
                    ctx.owner_is_organisation(d.owner, row)
                    or (d.adopted and ctx.row_is_organisation(row, d.anchors))
                )
            ):
                entity = None  # 開設者: 株式会社… and its office contact details
            if entity and d.owner and d.entity in CONTACT and i in findings:
                own = self._personal(cell, findings[i][r])
                if any(
                    f.entity_type in CONTACT
                    and _organisational_contact(f, cell, own)
                    and _attributed_to_organisation(f, cell)
                    for f in own
                ):
                    entity = None  # 連絡先: 岩崎コミュニティセンター 058-… (not the 代表者's)
            if (
                entity
                and d.by_values
                and d.entity == "PERSON"
                and (
                    kind(cell) in ("number", "code")
                    or is_summary(cell)
                    or _COUNT.fullmatch(fold(cell).strip())
                )
            ):
                entity = None  # a count or a total in a column of names
            if entity and label_entity and entity in CONTACT and ctx.row_has_organisation(row):
                entity, d = None, NOTE  # a form's 施工業者 | 株式会社… | 電話 | 058-…
            if entity:
                out[i] = self._transform(entity, cell, i in ctx.nested)
                col.found(entity, cell)
            elif i in ctx.nested and cell[:1] in "{[":
                out[i] = self._scrub_nested(cell, col)
            else:
                found = self._personal(cell, findings[i][r]) if i in findings else []
                drop = [f for f in found if not self._stays(f, cell, found, d)]
                for f in drop:
                    col.found(f.entity_type, cell[f.start : f.end])
                if drop:
                    out[i] = ops.apply_spans(cell, [(f.entity_type, f.start, f.end) for f in drop])
            safe = neutralize_formula(out[i])
            if safe is not out[i]:
                srep.formulas_neutralized += 1
                out[i] = safe
            if out[i] != cell:
                col.cells_changed += 1
        if ctx.qi:
            ctx.kanon.add([out[i] if i < len(out) else "" for i in ctx.qi])
        srep.rows += 1
        return out

    def _stays(self, f: Finding, cell: str, found: list[Finding], d: ColumnPolicy) -> bool:
        """Whether a finding is the public content of its column (kept) rather than personal."""
        if f.entity_type in CONTACT:
            if not _organisational_contact(f, cell, found):
                return False
            if d.public_contacts:
                return f.entity_type in d.allow or d.policy != KEEP or not d.allow
            # Any table: an office's number written after the office's name
            # (学校代表 058-…, 岐阜市 防災政策課 058-…) belongs to the office.
            return _attributed_to_organisation(f, cell)
        return f.entity_type in d.allow

    def _transform(self, entity: str, cell: str, nested: bool) -> str:
        """Replace a whole cell; a nested JSON value keeps its shape (keys scanned, leaves replaced)."""
        if nested and cell[:1] in "{[":
            try:
                value = json.loads(cell)
            except ValueError:
                value = None
            if isinstance(value, (dict, list)):
                return json.dumps(self._leaves(entity, value), ensure_ascii=False)
        return self.operators.apply(entity, cell)

    def _scrub_nested(self, cell: str, col: ColumnReport) -> str:
        """A nested JSON value (a record inside a record): each key is read as a header, so a leaf
        under 生年月日 is a date of birth; other leaves and every key are scanned as text."""
        try:
            value = json.loads(cell)
        except ValueError:
            return self.scrub_text(cell)

        def walk(node, entity: str | None, org: bool = False):
            if isinstance(node, dict):
                # {"owner": "岐阜市 観光課", "contact": "058-…"}: the office's own number.
                org = any(isinstance(v, str) and is_organisation(v) for v in node.values())
                return {
                    self.scrub_text(str(k)): node[k]
                    if is_quasi(str(k)) and not isinstance(node[k], (dict, list))
                    else walk(node[k], header_entity(str(k)), org)
                    for k in node
                }
            if isinstance(node, list):
                return [walk(v, entity, org) for v in node]
            if node is None or isinstance(node, bool) or node == "":
                return node
            if entity:
                col.found(entity, str(node))
                return self.operators.apply(entity, str(node))
            text = node if isinstance(node, str) else str(node)
            found = self.findings(text)
            drop = [
                f
                for f in found
                if not (org and f.entity_type in CONTACT and _organisational_contact(f, text, found))
            ]
            for f in drop:
                col.found(f.entity_type, text[f.start : f.end])
            scrubbed = self.operators.apply_spans(text, [(f.entity_type, f.start, f.end) for f in drop])
            return node if scrubbed == text else scrubbed

        return json.dumps(walk(value, None), ensure_ascii=False)

    def _leaves(self, entity: str, value):
        if isinstance(value, dict):
            return {
                self.scrub_text(str(k)): self._leaves(header_entity(str(k)) or entity, v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._leaves(entity, v) for v in value]
        if value is None or isinstance(value, bool) or value == "":
            return value
        return self.operators.apply(entity, str(value))


_FIRST_DIGIT = re.compile(r"[0-9０-９]")


def _trim_person(text: str, f: Finding) -> Finding | None:
    """A name has no digits: NER's 「太田1班」 is 太田, its 「加納5丁目」 is 加納 (then a place)."""
    m = _FIRST_DIGIT.search(text, f.start, f.end)
    if m is None:
        return f
    end = m.start()
    while end > f.start and text[end - 1] in " 　":
        end -= 1
    return Finding(f.entity_type, f.start, end, f.score) if end > f.start else None


def _organisational_contact(f: Finding, cell: str, found: list[Finding]) -> bool:
    """A contact detail that belongs to an organisation (an office's landline in a public list),
    not to a person: no person found in the cell, no personal cue before it, not a mobile, not a
    free-mail address."""
    if any(g.entity_type == "PERSON" for g in found):
        return False
    before = cell[max(0, f.start - 12) : f.start]
    if any(cue in before for cue in PERSONAL_CUES):
        return False
    value = cell[f.start : f.end]
    if f.entity_type == "PHONE_NUMBER":
        return not is_mobile(value)
    if f.entity_type == "EMAIL_ADDRESS":
        # An office's mailbox (info@, kouhou@) is its address; taro.yamada36@ is a person's.
        local, _, domain = fold(value).lower().rstrip(".").partition("@")
        return not domain.endswith(FREE_MAIL) and (
            local in ROLE_MAILBOXES or local.split("-")[0] in ROLE_MAILBOXES
        )
    return True


# Words that name an organisation or an office in running text.
_ORGANISATION_MARKER = re.compile(
    r"(?:課|係|室|局|部|センター|事務所|事務局|市役所|役所|役場|学校|園|病院|医院|クリニック|ホーム|施設|会社|"
    r"法人|協会|組合|代表|窓口|本部|支所|出張所|公民館|図書館|会館|薬局|事業所|ステーション|協議会|連合会|"
    r"\(株\)|㈱|\(有\)|㈲)"
)


def _attributed_to_organisation(f: Finding, cell: str) -> bool:
    """An organisation is named in the same clause, shortly before the contact detail."""
    clause = re.split(r"[。\n]", cell[max(0, f.start - 40) : f.start])[-1]
    return bool(_ORGANISATION_MARKER.search(clause))


def _repeated_subject(names: list[str], data: list[list[str]]) -> bool:
    """A public-looking table whose facility (施設名, 会場) repeats row after row is a log of who
    used it (予約・利用記録), i.e. a register of persons."""
    for i, name in enumerate(names):
        key = header_key(name)
        if any(key == w or key.endswith(w) for w in PUBLIC_SUBJECTS):
            values = [r[i].strip() for r in data if len(r) > i and r[i].strip()]
            return len(values) >= 5 and len(set(values)) <= 0.6 * len(values)
    return False


def _owner_contacts(decisions: list[ColumnPolicy]) -> None:
    """A plain contact column right after an owner's name (要望者 | 住所 | 連絡先) is the owner's:
    personal unless the owner is an organisation, like 要望者住所 would be."""
    role, anchors = None, []
    for i, d in enumerate(decisions):
        if d.owner:
            if d.entity == "PERSON":
                if role is None:
                    # 商号又は名称 | 代表者 | 所在地: the business named right before its representative.
                    anchors = [i - 1] if i and decisions[i - 1].name_column else []
                role = d.owner
                anchors.append(i)  # 届出者 | … | 所有者 | 担当者 | 連絡先: any of them
        elif d.name_column:
            if role:
                anchors.append(i)  # 利用者名 | 団体名 | 電話: the user's group, the user's phone
            continue
        elif role and d.policy == KEEP and d.public_contacts and d.allow & CONTACT:
            entity = sorted(d.allow & CONTACT)[0] if len(d.allow & CONTACT) == 1 else "JP_ADDRESS"
            decisions[i] = ColumnPolicy(
                TRANSFORM,
                f"{role}の連絡先（法人・団体でなければ個人情報）/ contact "
                f"of the {role}: personal unless an organisation",
                entity=entity,
                owner=role,
                public_contacts=True,
                adopted=True,
                anchors=tuple(anchors),
            )
        else:
            role, anchors = None, []


# A natural person's full name as a whole cell (佐藤 直樹, 坂本結衣, サトウ ナオキ).
_PURE_NAME = re.compile(
    r"[一-龥々ヶ]{1,4}[ 　]?[一-龥々ぁ-んァ-ヴー]{1,6}|[ァ-ヴー]{2,8}[ 　][ァ-ヴー]{1,8}"
    r"|[ぁ-んー]{2,8}[ 　][ぁ-んー]{1,8}"
)
# Words that open a shop's or a facility's name (理容サイトウ, 美容鈴木, ヘアーサロン山田).
BUSINESS_WORDS = (
    "理容",
    "美容",
    "理髪",
    "ヘア",
    "サロン",
    "カット",
    "民宿",
    "旅館",
    "民泊",
    "ゲストハウス",
    "宿",
    "食堂",
    "喫茶",
    "カフェ",
    "酒店",
    "薬局",
    "整骨",
    "接骨",
    "鍼灸",
    "歯科",
    "医院",
    "商店",
    "工務",
    "塗装",
    "造園",
    "電気",
    "設備",
    "建設",
    "不動産",
    "写真",
    "印刷",
    "クリーニング",
    "学習塾",
    "教室",
)


def _pure_name(text: str) -> bool:
    """A person's full name and nothing else (a sole proprietor listed under his own name)."""
    return (
        bool(_PURE_NAME.fullmatch(text))
        and not is_organisation(text)
        and not any(w in text for w in BUSINESS_WORDS)
    )


# Values of a column that says whether a row is a natural or a legal person (区分: 個人 | 法人).
PERSON_KINDS = ("個人", "個人事業主", "個人事業者")
LEGAL_KINDS = ("法人", "団体", "任意団体", "会社", "組合", "官公署")


def _kind_column(names: list[str], data: list[list[str]]) -> int | None:
    for i in range(len(names)):
        values = {r[i].strip() for r in data if len(r) > i and r[i].strip()}
        if values and values <= set(PERSON_KINDS + LEGAL_KINDS) and values & set(PERSON_KINDS):
            return i
    return None


def _owner_columns(names: list[str], decisions: list[ColumnPolicy]) -> dict[str, int]:
    """For each owner role (開設者, 代表者 ...), the column holding the owner's name."""
    owners: dict[str, int] = {}
    for i, d in enumerate(decisions):
        if d.owner and d.entity == "PERSON" and d.owner not in owners:
            owners[d.owner] = i
    return owners


class _SheetContext:
    """What the row loop needs about one sheet: decisions, report, k-anonymity, owners, forms."""

    def __init__(
        self,
        decisions: list[ColumnPolicy],
        srep: SheetReport,
        kanon: KAnonymity,
        qi: list[int],
        owners: dict[str, int],
        labels: tuple[int, ...],
        nested: set[int],
        subject: int | None = None,
        kinds: int | None = None,
    ):
        self.decisions = decisions
        self.srep = srep
        self.kanon = kanon
        self.qi = qi
        self.owners = owners
        self.labels = labels
        self.nested = nested
        self.subject = subject  # public list: the column naming what each row is about
        self.kinds = kinds  # public list: a 区分 column of 個人 | 法人
        self._extra: dict[int, ColumnReport] = {}

    def label_entity(self, row: list[str], i: int) -> str | None:
        """In a form (項目 | 内容 | 項目 | 内容), the entity that the label left of cell ``i`` names."""
        if not self.labels or i in self.labels:
            return None
        left = [c for c in self.labels if c < i]
        if not left or left[-1] >= len(row):
            return None
        return header_entity(row[left[-1]])

    def decision(self, i: int) -> ColumnPolicy:
        """Cells beyond the header's width (a ragged row, a footnote) are free text."""
        return self.decisions[i] if i < len(self.decisions) else FREE

    def column(self, i: int) -> ColumnReport:
        if i < len(self.srep.columns):
            return self.srep.columns[i]
        if i not in self._extra:
            self._extra[i] = ColumnReport(i, f"（列{i + 1}）", FREE, 3)
            self.srep.columns.append(self._extra[i])
        return self._extra[i]

    def natural_person(self, row: list[str], found: list[Finding] | None) -> bool:
        """Whether a row of a public list is about a natural person (a sole proprietor): its 区分
        says 個人, or its name cell is a person's full name and nothing else."""
        if self.kinds is not None and self.kinds < len(row) and row[self.kinds].strip() in PERSON_KINDS:
            return True
        if self.subject is None or self.subject >= len(row):
            return False
        name = row[self.subject].strip()
        return _pure_name(name) and any(
            f.entity_type == "PERSON" and f.end - f.start >= 0.7 * len(row[self.subject]) for f in found or ()
        )

    def row_has_organisation(self, row: list[str]) -> bool:
        return any(is_organisation(c) for i, c in enumerate(row) if i not in self.labels)

    def row_is_organisation(self, row: list[str], anchors: Sequence[int]) -> bool:
        """The contact belongs to a business: the row's 区分 says 法人, or one of the columns
        naming whose contact it is (the owners, the business before them) is a legal person or a
        trade name. An informal group (…の会) does not count: its contact is a member's phone."""
        if self.kinds is not None and self.kinds < len(row) and row[self.kinds].strip():
            return row[self.kinds].strip() in LEGAL_KINDS  # 区分 says it, whatever the name
        return any(c < len(row) and is_business(row[c]) for c in anchors)

    def owner_is_organisation(self, role: str, row: list[str]) -> bool:
        at = self.owners.get(role)
        return at is not None and at < len(row) and is_organisation(row[at])
