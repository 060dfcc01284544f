"""Check a CSV upload against a standard dataset's spec, and normalise it into the standard form.

:func:`check` reads the bytes (UTF-8 with or without BOM, Shift_JIS/CP932, UTF-16 with BOM) and
returns a :class:`Report`: encoding, title lines above the header, missing, misnamed, duplicate,
unknown and out-of-order columns (a misnamed column gets a suggestion when exactly one column of
the standard claims it), and values in the wrong format with their row numbers as a spreadsheet
shows them (the header is row 1). Each issue says in Japanese and English what is wrong and
whether :func:`normalise` fixes it. The report never quotes a cell: only column names, row
numbers and counts, so it is as public as the column names are.

:func:`normalise` returns new bytes in the standard form: UTF-8 with BOM, CRLF, header on the
first line with the standard's names in its order (absent optional columns added empty, unknown
ones kept at the end), 西暦 ISO dates from 和暦 (in the standard's date columns and in unknown
columns whose name says they hold a date: 設置年月日, 更新日), half-width digits, 〇/× as the
standard's values.
What it cannot decide (a wrong check digit, a longitude in the latitude column, a column two
standard columns could be) it leaves as it was, and the report of its output says so. The input
is never modified: bytes in, new bytes out.

>>> from ckanext.gifu.standards.spec import load
>>> aed = load("aed")
>>> raw = "施設名,緯度,経度\\n市役所,３５．４２,136.76\\n".encode("cp932")
>>> report = check(raw, aed)
>>> report.conforms, report.encoding
(False, 'cp932')
>>> [i.code for i in report.issues][:3]
['encoding', 'misnamed_column', 'missing_required_column']
>>> result = normalise(raw, aed)
>>> result.data[:3] == b"\\xef\\xbb\\xbf", result.data.decode("utf-8-sig").splitlines()[1].count(",")
(True, 23)
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ckanext.gifu.standards import values
from ckanext.gifu.standards.decode import NAMES, Undecodable, decode
from ckanext.gifu.standards.spec import Column, ColumnPattern, Spec
from ckanext.jatext.headers import header_key

ERROR, WARNING, INFO = "error", "warning", "info"
ROWS_LISTED = 20  # row numbers listed per issue; the count says how many there are in all
HEADER_SEARCH = 10  # rows searched for the header (title lines above it are common)


@dataclass(frozen=True)
class Issue:
    """One finding. ``rows`` are spreadsheet row numbers (header = 1), at most ROWS_LISTED."""

    code: str
    severity: str
    message_ja: str
    message_en: str
    column: str | None = None
    suggestion: str | None = None
    rows: tuple[int, ...] = ()
    count: int = 0
    fixable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": f"{self.message_ja} / {self.message_en}",
            "message_ja": self.message_ja,
            "message_en": self.message_en,
            "column": self.column,
            "suggestion": self.suggestion,
            "rows": list(self.rows),
            "count": self.count,
            "fixable": self.fixable,
        }


@dataclass
class Report:
    spec_id: str
    standard: str
    encoding: str | None
    rows: int = 0  # data rows
    header_row: int = 1
    issues: list[Issue] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(i.severity == ERROR for i in self.issues)

    @property
    def fixable(self) -> bool:
        """Whether :func:`normalise` would fix every error."""
        return all(i.fixable for i in self.issues if i.severity == ERROR)

    def codes(self) -> list[str]:
        return [i.code for i in self.issues]

    def to_dict(self) -> dict[str, Any]:
        errors = sum(i.severity == ERROR for i in self.issues)
        warnings = sum(i.severity == WARNING for i in self.issues)
        if self.conforms:
            ja = f"「{self.standard}」の形式に適合しています（警告 {warnings} 件）。"
            en = f"Conforms to 「{self.standard}」 ({warnings} warnings)."
        else:
            ja = f"「{self.standard}」の形式に適合していません（エラー {errors} 件、警告 {warnings} 件）。"
            en = f"Does not conform to 「{self.standard}」 ({errors} errors, {warnings} warnings)."
            if self.fixable:
                ja += "すべて自動で修正できます。"
                en += " Normalising fixes all of them."
        return {
            "standard": self.standard,
            "spec": self.spec_id,
            "conforms": self.conforms,
            "fixable": self.fixable,
            "encoding": self.encoding,
            "rows": self.rows,
            "header_row": self.header_row,
            "errors": errors,
            "warnings": warnings,
            "summary": f"{ja} / {en}",
            "summary_ja": ja,
            "summary_en": en,
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass(frozen=True)
class Normalised:
    data: bytes  # UTF-8 with BOM, the standard form
    fixed: tuple[Issue, ...]  # the issues of the input that normalising fixed
    report: Report  # the check of ``data``


# --- reading ------------------------------------------------------------------------------------


@dataclass
class _Mapped:
    """Where an input column goes: a standard column (by exact or fixed name), a repeating
    pattern column, or nowhere (unknown)."""

    index: int
    header: str
    column: Column | None = None
    how: str = "unknown"  # exact | fixed | unknown | ambiguous | duplicate | contested
    target: str | None = None  # the name it gets in the standard form
    candidates: tuple[str, ...] = ()


@dataclass
class _Table:
    spec: Spec
    encoding: str | None
    delimiter: str = ","
    records: list[list[str]] = field(default_factory=list)
    header_index: int = 0
    mapped: list[_Mapped] = field(default_factory=list)


def _keys(spec: Spec) -> tuple[dict[str, list[Column]], dict[str, list[Column]]]:
    by_name: dict[str, list[Column]] = {}
    by_alias: dict[str, list[Column]] = {}
    for column in spec.columns:
        by_name.setdefault(header_key(column.name), []).append(column)
        for alias in column.aliases:
            claims = by_alias.setdefault(header_key(alias), [])
            if column not in claims:
                claims.append(column)
    return by_name, by_alias


def _match_pattern(patterns: Iterable[ColumnPattern], header: str) -> tuple[ColumnPattern, str] | None:
    folded = unicodedata.normalize("NFKC", header).strip()
    for pattern in patterns:
        if pattern.matches(header):
            return pattern, header
        if pattern.matches(folded):
            return pattern, folded
    return None


def _map_header(spec: Spec, header: list[str]) -> list[_Mapped]:
    by_name, by_alias = _keys(spec)
    exact = {c.name: c for c in spec.columns}
    mapped = []
    for i, raw in enumerate(header):
        name = raw.strip()
        m = _Mapped(i, raw)
        pattern = _match_pattern(spec.patterns, name)
        if name in exact:
            m.column, m.how, m.target = exact[name], "exact", name
        elif pattern:
            m.column, m.target = pattern[0].column, pattern[1]
            m.how = "exact" if pattern[1] == raw else "fixed"
        else:
            key = header_key(name)
            claims = by_name.get(key) or by_alias.get(key) or []
            if len(claims) == 1:
                m.column, m.how, m.target = claims[0], "fixed", claims[0].name
            elif len(claims) > 1:
                m.how, m.candidates = "ambiguous", tuple(c.name for c in claims)
        mapped.append(m)
    # Two input columns for one standard column: the exactly named one keeps it; when neither
    # is, neither is renamed (which one the standard means is for a person to say).
    seen: dict[str, list[_Mapped]] = {}
    for m in mapped:
        if m.target is not None:
            seen.setdefault(m.target, []).append(m)
    for target, group in seen.items():
        if len(group) < 2:
            continue
        keeper = next((m for m in group if m.how == "exact"), None)
        for m in group:
            if m is not keeper:
                m.how = "duplicate" if keeper else "contested"
                m.candidates = (target,)
                m.column, m.target = None, None
    return mapped


def _score(spec: Spec, row: list[str]) -> int:
    return sum(m.how in ("exact", "fixed") for m in _map_header(spec, row))


def _blank(record: list[str]) -> bool:
    return not any(c.strip() for c in record)


def find_header(spec: Spec, records: list[list[str]]) -> int | None:
    """The index of the header among the first non-blank records (title lines may stand above
    it): the one naming most of the standard's columns; None when none names any.

    >>> from ckanext.gifu.standards.spec import load
    >>> find_header(load("aed"), [["AED一覧"], [], ["施設名", "緯度"], ["市役所", "35.4"]])
    2
    >>> find_header(load("aed"), [["a", "b"], ["1", "2"]]) is None
    True
    """
    candidates = [i for i, r in enumerate(records) if not _blank(r)][:HEADER_SEARCH]
    if not candidates:
        return None
    best = max(candidates, key=lambda i: (_score(spec, records[i]), -i))
    return best if _score(spec, records[best]) > 0 else None


def _read(data: bytes, spec: Spec, issues: list[Issue]) -> _Table | None:
    try:
        decoded = decode(bytes(data))
    except Undecodable as e:
        issues.append(
            Issue(
                "encoding",
                ERROR,
                f"文字コードを判別できません（{e.position} バイト目）。UTF-8（BOM付き）で保存し直してください。",
                f"The encoding cannot be recognised (byte {e.position}); save the file as UTF-8 with BOM.",
            )
        )
        return None
    table = _Table(spec, decoded.encoding)
    text = decoded.text
    first_line = text.split("\n", 1)[0]
    if "\t" in first_line and "," not in first_line:
        table.delimiter = "\t"
    try:
        table.records = list(csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter))
    except csv.Error as e:
        issues.append(
            Issue(
                "not_csv",
                ERROR,
                f"CSVとして読めません（{e}）。",
                f"The file cannot be read as CSV ({e}).",
            )
        )
        return None
    nonblank = [i for i, r in enumerate(table.records) if any(c.strip() for c in r)]
    if not nonblank:
        issues.append(Issue("empty", ERROR, "データがありません。", "The file holds no data."))
        return None
    if decoded.encoding != spec.encoding:
        ja, en = NAMES[decoded.encoding]
        want_ja, want_en = NAMES.get(spec.encoding, (spec.encoding, spec.encoding))
        severity = WARNING if decoded.encoding == "utf-8" else ERROR
        issues.append(
            Issue(
                "encoding",
                severity,
                f"文字コードが {ja} です。標準は {want_ja} です。",
                f"The file is in {en}; the standard asks for {want_en}.",
                fixable=True,
            )
        )
    if table.delimiter != ",":
        issues.append(
            Issue(
                "delimiter",
                ERROR,
                "区切り文字がタブです。標準はカンマ区切り（CSV）です。",
                "Fields are separated by tabs; the standard asks for commas (CSV).",
                fixable=True,
            )
        )
    found = find_header(spec, table.records)
    best = table.header_index = nonblank[0] if found is None else found
    table.mapped = _map_header(spec, table.records[best])
    if best > 0:
        issues.append(
            Issue(
                "title_rows",
                WARNING,
                f"見出し行の上に {best} 行あります（表題など）。標準では1行目が見出し（項目名）です。",
                f"{best} rows (a title?) stand above the header; the standard has the header on row 1.",
                rows=tuple(range(1, best + 1))[:ROWS_LISTED],
                count=best,
                fixable=True,
            )
        )
    return table


# --- checking -----------------------------------------------------------------------------------


def _row_numbers(rows: list[int]) -> tuple[tuple[int, ...], int]:
    return tuple(rows[:ROWS_LISTED]), len(rows)


def _rows_text(rows: tuple[int, ...], count: int) -> str:
    shown = "、".join(str(r) for r in rows)
    return shown + (f" ほか（計 {count} 行）" if count > len(rows) else "")


def _rows_text_en(rows: tuple[int, ...], count: int) -> str:
    shown = ", ".join(str(r) for r in rows)
    return shown + (f" and more ({count} rows in all)" if count > len(rows) else "")


def _column_issues(table: _Table, issues: list[Issue]) -> None:
    spec = table.spec
    present = {m.target for m in table.mapped if m.target}
    for m in table.mapped:
        shown = m.header.strip() or f"（{m.index + 1}列目・空欄）"
        if m.how == "fixed":
            issues.append(
                Issue(
                    "misnamed_column",
                    ERROR,
                    f"列名「{shown}」は標準の項目名ではありません。「{m.target}」のことと思われます。",
                    f"Column 「{shown}」 is not a name of the standard; it appears to be 「{m.target}」.",
                    column=m.header,
                    suggestion=m.target,
                    fixable=True,
                )
            )
        elif m.how == "ambiguous":
            options = "」「".join(m.candidates)
            issues.append(
                Issue(
                    "ambiguous_column",
                    ERROR,
                    f"列名「{shown}」は「{options}」のどれを指すか判断できません。列名を標準の項目名に直してください。",
                    f"Column 「{shown}」 could be any of 「{options}」; rename it to the standard's name.",
                    column=m.header,
                )
            )
        elif m.how == "contested":
            others = "」「".join(
                o.header.strip()
                for o in table.mapped
                if o.how == "contested" and o.candidates == m.candidates
            )
            issues.append(
                Issue(
                    "ambiguous_column",
                    ERROR,
                    f"列「{others}」がどれも「{m.candidates[0]}」にあたり、どれが標準の「{m.candidates[0]}」か判断できません。一つを「{m.candidates[0]}」に直してください。",
                    f"Columns 「{others}」 all look like 「{m.candidates[0]}」; rename the one the standard means to 「{m.candidates[0]}」.",
                    column=m.header,
                    suggestion=None,
                )
            )
        elif m.how == "duplicate":
            issues.append(
                Issue(
                    "duplicate_column",
                    ERROR,
                    f"列「{shown}」は「{m.candidates[0]}」と重複しています。どちらか一方にしてください。",
                    f"Column 「{shown}」 duplicates 「{m.candidates[0]}」; keep one of them.",
                    column=m.header,
                )
            )
        elif m.how == "unknown":
            issues.append(
                Issue(
                    "unknown_column",
                    WARNING,
                    f"列「{shown}」は標準にない項目です（正規化では末尾に残します）。",
                    f"Column 「{shown}」 is not in the standard (normalising keeps it at the end).",
                    column=m.header,
                )
            )
    for column in spec.columns:
        if column.name in present:
            continue
        if column.required:
            issues.append(
                Issue(
                    "missing_required_column",
                    ERROR,
                    f"必須項目「{column.name}」の列がありません。",
                    f"Required column 「{column.name}」 is missing.",
                    column=column.name,
                )
            )
        else:
            issues.append(
                Issue(
                    "missing_column",
                    WARNING,
                    f"項目「{column.name}」の列がありません（任意項目。正規化で空の列を加えます）。",
                    f"Column 「{column.name}」 is missing (optional; normalising adds it empty).",
                    column=column.name,
                    fixable=True,
                )
            )
    order = [spec.names.index(m.target) for m in table.mapped if m.target in spec.names]
    if order != sorted(order):
        issues.append(
            Issue(
                "column_order",
                WARNING,
                "列の並びが標準の順序と異なります（正規化で標準の順に並べます）。",
                "The columns are not in the standard's order (normalising reorders them).",
                fixable=True,
            )
        )


def _value_issues(table: _Table, issues: list[Issue]) -> int:
    width = len(table.mapped)
    fix: dict[int, list[int]] = {}
    bad: dict[int, list[int]] = {}
    empty: dict[int, list[int]] = {}
    short: list[int] = []
    long: list[int] = []
    blank: list[int] = []
    count = 0
    mapped = [m for m in table.mapped if m.column is not None]
    for offset, record in enumerate(table.records[table.header_index + 1 :]):
        row = table.header_index + offset + 2
        if not any(c.strip() for c in record):
            blank.append(row)
            continue
        count += 1
        if len(record) < width:
            short.append(row)
        elif len(record) > width and any(c.strip() for c in record[width:]):
            long.append(row)
        for m in mapped:
            assert m.column is not None
            value = record[m.index] if m.index < len(record) else ""
            if not value.strip():
                if m.column.required:
                    empty.setdefault(m.index, []).append(row)
                elif value and m.column.type != "string":
                    fix.setdefault(m.index, []).append(row)  # spaces only: emptied
                continue
            status = values.examine(m.column, value).status
            if status == "fix":
                fix.setdefault(m.index, []).append(row)
            elif status == "bad":
                bad.setdefault(m.index, []).append(row)
    for m in mapped:
        assert m.column is not None
        name = m.target or m.header
        want_ja, want_en = values.expected(m.column)
        if m.index in empty:
            rows, n = _row_numbers(empty[m.index])
            issues.append(
                Issue(
                    "empty_required",
                    ERROR,
                    f"必須項目「{name}」が空欄です（{_rows_text(rows, n)} 行目）。",
                    f"Required 「{name}」 is empty (rows {_rows_text_en(rows, n)}).",
                    column=name,
                    rows=rows,
                    count=n,
                )
            )
        if m.index in fix:
            rows, n = _row_numbers(fix[m.index])
            issues.append(
                Issue(
                    "value_format",
                    ERROR,
                    f"「{name}」の値が標準の形式（{want_ja}）ではありません（{_rows_text(rows, n)} 行目）。正規化で直せます。",
                    f"「{name}」 is not in the standard form, {want_en} (rows {_rows_text_en(rows, n)}); normalising fixes it.",
                    column=name,
                    rows=rows,
                    count=n,
                    fixable=True,
                )
            )
        if m.index in bad:
            rows, n = _row_numbers(bad[m.index])
            issues.append(
                Issue(
                    "value_invalid",
                    ERROR,
                    f"「{name}」の値が正しくありません。{want_ja}で入力してください（{_rows_text(rows, n)} 行目）。",
                    f"「{name}」 is not valid; it must be {want_en} (rows {_rows_text_en(rows, n)}).",
                    column=name,
                    rows=rows,
                    count=n,
                )
            )
    if short:
        rows, n = _row_numbers(short)
        issues.append(
            Issue(
                "short_row",
                WARNING,
                f"列の数が見出しより少ない行があります（{_rows_text(rows, n)} 行目）。正規化で空欄を補います。",
                f"Rows with fewer fields than the header ({_rows_text_en(rows, n)}); normalising pads them.",
                rows=rows,
                count=n,
                fixable=True,
            )
        )
    if long:
        rows, n = _row_numbers(long)
        issues.append(
            Issue(
                "long_row",
                ERROR,
                f"見出しより多い列に値がある行があります（{_rows_text(rows, n)} 行目）。区切りのずれを確認してください。",
                f"Rows with values beyond the header ({_rows_text_en(rows, n)}); check for shifted fields.",
                rows=rows,
                count=n,
            )
        )
    if blank:
        rows, n = _row_numbers(blank)
        issues.append(
            Issue(
                "blank_rows",
                INFO,
                f"空の行があります（{_rows_text(rows, n)} 行目）。正規化で取り除きます。",
                f"Blank rows ({_rows_text_en(rows, n)}); normalising removes them.",
                rows=rows,
                count=n,
                fixable=True,
            )
        )
    return count


def check(data: bytes, spec: Spec) -> Report:
    """The conformance report of ``data`` (a CSV file's bytes) against ``spec``."""
    issues: list[Issue] = []
    table = _read(data, spec, issues)
    if table is None:
        return Report(spec.id, spec.title, None, issues=issues)
    _column_issues(table, issues)
    rows = _value_issues(table, issues)
    return Report(spec.id, spec.title, table.encoding, rows, table.header_index + 1, issues)


# --- normalising --------------------------------------------------------------------------------


def _cell(column: Column | None, value: str) -> str:
    if column is None:
        return value
    if not value.strip():
        return "" if column.type != "string" else value
    verdict = values.examine(column, value)
    return verdict.value if verdict.status == "fix" else value


# The name of a column that holds dates (設置年月日, 更新日, 開設日付), not times or periods.
_DATE_HEADER_ENDINGS = ("年月日", "日付", "日")
_NOT_DATE_HEADERS = (
    "曜日",
    "休日",
    "休診日",
    "定休日",
    "休業日",
    "開館日",
    "営業日",
    "利用可能日",
    "実施日数",
    "日数",
)


def _names_a_date(header: str) -> bool:
    """Whether an unknown column's name says it holds a date.

    >>> [_names_a_date(h) for h in ("設置年月日", "更新日", "開設日付", "定休日", "利用可能曜日", "備考")]
    [True, True, True, False, False, False]
    """
    key = unicodedata.normalize("NFKC", header).strip()
    return key.endswith(_DATE_HEADER_ENDINGS) and not key.endswith(_NOT_DATE_HEADERS)


class RowNormaliser:
    """The standard form one record at a time, for a caller that streams rows (the portal's
    publishing pipeline) as much as for :func:`normalise`.

    ``header``: the input's header row. :attr:`header` is the standard form's: the standard's
    columns in its order (taken from the input where present, absent ones added empty), then
    repeating pattern columns and unknown columns in their input order. :meth:`row` gives one
    input record in that form; :attr:`changed` counts, per output column, the cells it changed
    (counts only, never a value).

    >>> from ckanext.gifu.standards.spec import load
    >>> n = RowNormaliser(load("events"), ["イベント名", "開始日", "メモ"])
    >>> n.header[:3], n.header[-1]
    (['全国地方公共団体コード', 'ID', '地方公共団体名'], 'メモ')
    >>> out = n.row(["花火大会", "令和7年8月1日", "雨天中止"])
    >>> out[n.header.index("開始日")], out[-1], dict(n.changed)
    ('2025-08-01', '雨天中止', {'開始日': 1})

    A column the standard does not define keeps its place at the end; when its name says it holds
    dates, its 和暦 become ISO dates too (an AED list's 設置年月日), and anything else in it stays:

    >>> n = RowNormaliser(load("aed"), ["名称", "設置年月日"])
    >>> [n.row(["市役所", v])[-1] for v in ("平成30年4月1日", "Ｈ３０．４．１", "不明")]
    ['2018-04-01', '2018-04-01', '不明']
    """

    def __init__(self, spec: Spec, header: list[str]):
        self.spec = spec
        self.mapped = _map_header(spec, header)
        for m in self.mapped:
            if m.target is None and m.column is None and _names_a_date(m.header):
                m.column = Column(m.header, "date")  # its 和暦 become ISO dates; other values stay
        by_target = {m.target: m for m in self.mapped if m.target and m.target in spec.names}
        layout: list[tuple[str, _Mapped | None]] = [(c.name, by_target.get(c.name)) for c in spec.columns]
        layout += [(m.target, m) for m in self.mapped if m.target and m.target not in spec.names]
        layout += [(m.header, m) for m in self.mapped if m.target is None]
        self.layout = layout
        self.header = [name for name, _ in layout]
        self.width = len(self.mapped)
        self.changed: dict[str, int] = {}

    @property
    def renamed(self) -> dict[str, str]:
        """Input column → the standard name it was given."""
        return {m.header: m.target for m in self.mapped if m.how == "fixed" and m.target}

    def row(self, record: list[str]) -> list[str]:
        record = list(record) + [""] * (self.width - len(record))
        out = []
        for name, m in self.layout:
            value = _cell(m.column, record[m.index]) if m else ""
            if m is not None and value != record[m.index]:
                self.changed[name] = self.changed.get(name, 0) + 1
            out.append(value)
        if any(c.strip() for c in record[self.width :]):
            out += record[self.width :]  # values beyond the header: kept, and still reported
        return out


def unnormalisable(data: bytes, spec: Spec) -> tuple[str, str] | None:
    """Why :func:`normalise` cannot bring ``data`` into the standard form (Japanese, English),
    or None when it can: bytes that are no text, not comma-separated, or name no column of the
    standard (the same rules as the publishing pipeline's stage, which sees decoded rows).

    >>> from ckanext.gifu.standards.spec import load
    >>> unnormalisable("施設名,緯度\\n市役所,35.4\\n".encode("cp932"), load("aed")) is None
    True
    >>> unnormalisable(b"a,b\\n1,2\\n", load("aed"))[1]
    'no column of 「AED設置箇所一覧」 was found'
    """
    issues: list[Issue] = []
    table = _read(data, spec, issues)
    if table is None:
        first = issues[0] if issues else None
        return (first.message_ja, first.message_en) if first else ("読めません。", "unreadable")
    if table.delimiter != ",":
        return (
            "カンマ区切りの CSV ファイルではありません（CSV で保存し直してください）。",
            "not a comma-separated CSV file (save it as CSV)",
        )
    if find_header(spec, table.records) is None:
        return (
            f"「{spec.title}」の項目名が一つも見つかりません。",
            f"no column of 「{spec.title}」 was found",
        )
    return None


def normalise(data: bytes, spec: Spec) -> Normalised:
    """``data`` in the standard form where the intent is unambiguous; see the module docstring."""
    issues: list[Issue] = []
    table = _read(data, spec, issues)
    if table is None:
        report = Report(spec.id, spec.title, None, issues=issues)
        return Normalised(bytes(data), (), report)
    before = check(data, spec)
    normaliser = RowNormaliser(spec, table.records[table.header_index])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(normaliser.header)
    for record in table.records[table.header_index + 1 :]:
        if not _blank(record):
            writer.writerow(normaliser.row(record))
    result = out.getvalue().encode("utf-8-sig")
    return Normalised(result, tuple(i for i in before.issues if i.fixable), check(result, spec))
