"""A held-out corpus of IRREGULAR files, as Japanese municipal systems and Excel users export
them, with exact position-based ground truth, a neutral reader and a scorer.

Written by the "red team": the files follow what offices really produce (no header, title lines,
two-row headers with merged categories, owner columns in facility lists, private contacts in
public remarks, ASCII headers, kanji-numeral birth dates, JSON keyed by names, one sheet per
resident, key–value forms, 姓/名 split columns, blank headers with totals and footnotes, mailing
labels), not what suits the engine. Fictitious people only (Faker ja_JP, seeded).

Usage::

    from anonymize import irregular
    result = irregular.evaluate(Engine(), workdir, scale=1.0)   # generate, scrub, score
    print(irregular.format_table(result))

The grid (the neutral view of a file, input or output; see ``read_grid``):

- CSV/TSV: every physical row as read by Python's ``csv`` module (title lines and header rows
  included): locator ``("c", 0, row, col)``. TXT: every line is one cell ``("c", 0, line, 0)``.
- XLSX: per sheet, by its position ``s`` in the workbook: the sheet title ``("t", s)`` and every row
  of ``ws.iter_rows(values_only=True)`` ``("c", s, row, col)``. Sheets are matched by position, not
  by name (output titles may be replaced or cut to 31 characters).
- JSON: every key ``("k", parent_path, index_of_key)`` and every scalar ``("v", path)``; a path is a
  tuple of positions (index in an array, or index of the key in an object), never key names,
  so a replaced key still lines up. Objects are read in order, duplicates kept.
- Cell text: ``None`` → ""; a date(time) at midnight → ``YYYY-MM-DD``; an integral float → int;
  JSON ``true/false/null`` → "true"/"false"/"". A locator missing in the output reads as "".

Ground truth per file: ``pii`` = (locator, kind, leak keys) and ``stay`` = (locator, exact text).
A personal value LEAKED when one of its leak keys occurs in the output text at its locator,
compared after NFKC and unifying dash-like characters (so ０９０ー… matches 090-…), and a key
that starts/ends with a digit must not be glued to further digits (``S55.3.1`` is not in
``S55.3.12``). Leak keys: the value as written, surname and given name separately, the address
core (town + block) and the building with its room, a phone's digits and its hyphenated form,
a birth date in every standard spelling (ISO, y/m/d, 年月日, era, era initial, yyyymmdd). Keys
that also occur in the public rest of the same cell are dropped (a surname inside 中島公園).
A must-stay cell is ALTERED when its output text differs from the input text in any way.
Empty cells, and quasi-identifiers (sex, age, postal code) are not scored either way. Must-stay
cells never start with = + - @ (the engine may neutralise those as formulas on purpose).

A file the engine refuses (``InputError``) or crashes on publishes nothing: its PII counts as
removed and every must-stay cell as altered; refusals and crashes are listed separately.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
import traceback
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .corpus import TOPICS, TOWNS, People

SEED = 20261127

# ── text helpers ───────────────────────────────────────────────────────────────────────────

FWX = str.maketrans("0123456789-/.()", "０１２３４５６７８９－／．（）")
# EUC-JP has no U+FF0D: a full-width minus typed there decodes to U+2212.
FWX_EUC = str.maketrans("0123456789-/.()", "０１２３４５６７８９−／．（）")
KD = "〇一二三四五六七八九"
DASHES = re.compile("[‐‑‒–—―−－ーｰ─━]")


def norm(text: str) -> str:
    """The comparison form of leak matching: NFKC, every dash-like character as '-'."""
    return DASHES.sub("-", unicodedata.normalize("NFKC", text))


def kanji_num(n: int) -> str:
    """55 → 五十五, 10 → 十, 31 → 三十一 (the 十 style of hand-written records)."""
    if n < 10:
        return KD[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KD[tens]) + "十" + ("" if ones == 0 else KD[ones])


def kanji_pos(n: int) -> str:
    """55 → 五五, 1980 → 一九八〇 (the positional style of vertical writing)."""
    return "".join(KD[int(c)] for c in str(n))


def _half_kana_table() -> dict[str, str]:
    table = {}
    for cp in range(0xFF66, 0xFF9E):
        h = chr(cp)
        table.setdefault(unicodedata.normalize("NFKC", h), h)
        for mark in "ﾞﾟ":
            full = unicodedata.normalize("NFKC", h + mark)
            if len(full) == 1:
                table.setdefault(full, h + mark)
    table["ー"] = "ｰ"
    return table


HALF = _half_kana_table()


def half_kana(text: str) -> str:
    return "".join(HALF.get(c, " " if c == "　" else c) for c in text)


def hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


# ── eras ───────────────────────────────────────────────────────────────────────────────────

ERAS = [
    ("令和", "R", 5, date(2019, 5, 1)),
    ("平成", "H", 4, date(1989, 1, 8)),
    ("昭和", "S", 3, date(1926, 12, 25)),
    ("大正", "T", 2, date(1912, 7, 30)),
]
LIGATURE = {"令和": "㋿", "平成": "㍻", "昭和": "㍼", "大正": "㍽"}


def era_of(d: date):
    for name, initial, code, start in ERAS:
        if d >= start:
            return name, initial, code, d.year - start.year + 1
    raise ValueError(d)


def date_text(d: date, style: str) -> str:
    """A date in one of the spellings Japanese files mix (birth dates and public dates alike)."""
    y, m, dd = d.year, d.month, d.day
    era, ini, code, ey = era_of(d)
    eyt = "元" if ey == 1 else str(ey)
    return {
        "iso": f"{y}-{m:02d}-{dd:02d}",
        "slash": f"{y}/{m}/{dd}",
        "slash0": f"{y}/{m:02d}/{dd:02d}",
        "ymd8": f"{y}{m:02d}{dd:02d}",
        "nen": f"{y}年{m}月{dd}日",
        "era": f"{era}{eyt}年{m}月{dd}日",
        "era1": f"{era}{ey}年{m}月{dd}日",
        "initial": f"{ini}{ey}.{m}.{dd}",
        "initial0": f"{ini}{ey:02d}.{m:02d}.{dd:02d}",
        "initial_slash": f"{ini}{ey}/{m}/{dd}",
        "era_kanji": f"{era}{'元' if ey == 1 else kanji_num(ey)}年{kanji_num(m)}月{kanji_num(dd)}日",
        "era_kanji_pos": f"{era}{'元' if ey == 1 else kanji_pos(ey)}年{kanji_num(m)}月{kanji_num(dd)}日",
        "lig": f"{LIGATURE[era]}{eyt}年{m}月{dd}日",
        "lig_dot": f"{LIGATURE[era]}{ey}.{m}.{dd}",
        "code7": f"{code}{ey:02d}{m:02d}{dd:02d}",
        "era_sp": f"{era} {ey:>2}年{m:>2}月{dd:>2}日",
    }[style]


def dob_keys(d: date) -> list[str]:
    """Every standard spelling of a birth date: one of them in the output cell is a leak."""
    return [
        date_text(d, s)
        for s in ("iso", "slash", "slash0", "nen", "era", "era1", "initial", "initial0", "ymd8", "era_kanji")
    ]


# ── cells ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class XDate:
    """A real Excel date cell (datetime value + number format)."""

    value: datetime
    number_format: str = "yyyy/m/d"


@dataclass(frozen=True)
class P:
    """A personal value: the whole cell, or a piece of a mixed cell."""

    text: str
    keys: tuple
    kind: str
    value: object = None  # a typed cell value (XDate, int) when not plain text


@dataclass(frozen=True)
class S:
    """A public cell that must come out unchanged."""

    value: object


class M(tuple):
    """A mixed cell: public text pieces and personal pieces (P), concatenated."""

    def __new__(cls, *parts):
        return super().__new__(cls, parts)


@dataclass
class XSheet:
    title: object
    rows: list
    merges: list = field(default_factory=list)


class JObj(list):
    """A JSON object as an ordered list of (key cell, node) pairs (keys may be P or S)."""


def as_text(v) -> str:
    """The neutral text of a cell value (input or output)."""
    if v is None:
        return ""
    if isinstance(v, XDate):
        v = v.value
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _filter_keys(piece: P, remainder: str) -> tuple:
    """Drop leak keys that also occur in the public rest of the cell (中島 in 中島公園)."""
    rest = norm(remainder)
    keys = [k for k in dict.fromkeys(piece.keys) if k and norm(k) not in rest]
    if not keys or keys[0] != piece.keys[0]:
        raise ValueError(f"personal value {piece.text!r} also occurs in the public text {remainder!r}")
    return tuple(keys)


def resolve(cell):
    """(value to write, text, [(kind, keys)], must-stay text or None) of a cell spec."""
    if isinstance(cell, P):
        value = cell.value if cell.value is not None else cell.text
        return value, as_text(value), [(cell.kind, tuple(dict.fromkeys(cell.keys)))], None
    if isinstance(cell, S):
        text = as_text(cell.value)
        if text[:1] in "=+-@" and text:
            raise ValueError(f"must-stay cell looks like a formula: {text!r}")
        return cell.value, text, [], text or None
    if isinstance(cell, M):
        text = "".join(p.text if isinstance(p, P) else p for p in cell)
        people = [p for p in cell if isinstance(p, P)]
        if not people:
            return resolve(S(text))
        remainder = "\x00".join(p for p in cell if isinstance(p, str))
        return text, text, [(p.kind, _filter_keys(p, remainder)) for p in people], None
    return cell, as_text(cell), [], None


# ── documents ──────────────────────────────────────────────────────────────────────────────


@dataclass
class Doc:
    """One file of the corpus: its content (cell specs), how it is written, and its truth."""

    layout: str
    name: str
    encoding: str = "utf-8"
    newline: str = "\r\n"
    quoting: int = csv.QUOTE_MINIMAL
    rows: list = None  # csv / tsv / txt: rows of cells (txt: one cell a row)
    sheets: list = None  # xlsx: XSheet list
    obj: object = None  # json: JObj / list / scalars
    pii: list = field(default_factory=list)
    stay: list = field(default_factory=list)

    @property
    def fmt(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower()

    def finalize(self) -> Doc:
        """Walk the content once: ground truth by locator."""
        self.pii, self.stay = [], []
        if self.fmt in ("csv", "tsv", "txt"):
            for r, row in enumerate(self.rows):
                for c, cell in enumerate(row):
                    self._add(("c", 0, r, c), cell)
        elif self.fmt == "xlsx":
            for s, sheet in enumerate(self.sheets):
                self._add(("t", s), sheet.title)
                for r, row in enumerate(sheet.rows):
                    for c, cell in enumerate(row):
                        self._add(("c", s, r, c), cell)
        else:
            self._walk_json(self.obj, ())
        return self

    def _add(self, loc, cell) -> None:
        _, _, pii, stay = resolve(cell)
        for kind, keys in pii:
            self.pii.append((loc, kind, keys))
        if stay is not None:
            self.stay.append((loc, stay))

    def _walk_json(self, node, path) -> None:
        if isinstance(node, JObj):
            for i, (key, value) in enumerate(node):
                self._add(("k", path, i), S(key) if isinstance(key, str) else key)
                self._walk_json(value, path + (i,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self._walk_json(value, path + (i,))
        else:
            self._add(("v", path), node)

    # writing
    def write(self, folder: str) -> str:
        path = os.path.join(folder, self.name)
        if self.fmt == "xlsx":
            self._write_xlsx(path)
        elif self.fmt == "json":
            data = json.dumps(_json_value(self.obj), ensure_ascii=False, indent=2)
            with open(path, "wb") as f:
                f.write(data.encode(self.encoding))
        else:
            buf = io.StringIO(newline="")
            if self.fmt == "txt":
                for row in self.rows:
                    buf.write(resolve(row[0])[1] + self.newline)
            else:
                w = csv.writer(
                    buf,
                    delimiter="\t" if self.fmt == "tsv" else ",",
                    lineterminator=self.newline,
                    quoting=self.quoting,
                )
                for row in self.rows:
                    w.writerow([resolve(c)[1] for c in row])
            with open(path, "wb") as f:
                f.write(_encode(buf.getvalue(), self.encoding, self.name))
        return path

    def _write_xlsx(self, path: str) -> None:
        import openpyxl

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for sheet in self.sheets:
            ws = wb.create_sheet(resolve(sheet.title)[1])
            for r, row in enumerate(sheet.rows, start=1):
                for c, spec in enumerate(row, start=1):
                    value = resolve(spec)[0]
                    if value in (None, ""):
                        continue
                    cell = ws.cell(row=r, column=c)
                    if isinstance(value, XDate):
                        cell.value, cell.number_format = value.value, value.number_format
                    else:
                        cell.value = value
            for rng in sheet.merges:
                ws.merge_cells(rng)
        wb.save(path)


def _encode(text: str, encoding: str, name: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as e:
        raise ValueError(f"{name}: {text[e.start : e.end]!r} is not in {encoding}") from e


def _json_value(node):
    if isinstance(node, JObj):
        out = {}
        for key, value in node:
            k = resolve(key)[1] if not isinstance(key, str) else key
            if k in out:
                raise ValueError(f"duplicate JSON key {k!r}")
            out[k] = _json_value(value)
        return out
    if isinstance(node, list):
        return [_json_value(v) for v in node]
    return resolve(node)[0]


# ── the neutral reader ─────────────────────────────────────────────────────────────────────


def decode(data: bytes, encoding: str | None = None) -> str:
    """Known encoding, else the first of UTF-8 (BOM or not), CP932, EUC-JP that decodes."""
    for enc in [encoding] if encoding else ["utf-8-sig", "cp932", "euc_jp"]:
        try:
            text = data.decode(enc)
            return text[1:] if text.startswith("\ufeff") else text
        except UnicodeDecodeError:
            continue
    raise ValueError("undecodable file")


class _Pairs(list):
    pass


def read_grid(path: str, fmt: str, encoding: str | None = None) -> dict:
    """The grid of any file (input or output), independent of the engine's readers."""
    grid = {}
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, data_only=True)
        for s, ws in enumerate(wb.worksheets):
            grid[("t", s)] = ws.title
            for r, row in enumerate(ws.iter_rows(values_only=True)):
                for c, v in enumerate(row):
                    grid[("c", s, r, c)] = as_text(v)
        return grid
    with open(path, "rb") as f:
        text = decode(f.read(), encoding)
    if fmt == "json":
        _walk_read(json.loads(text, object_pairs_hook=_Pairs), (), grid)
    elif fmt == "txt":
        for r, line in enumerate(io.StringIO(text, newline=None).read().split("\n")):
            grid[("c", 0, r, 0)] = line
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if fmt == "tsv" else ",")
        for r, row in enumerate(reader):
            for c, v in enumerate(row):
                grid[("c", 0, r, c)] = v
    return grid


def _walk_read(node, path, grid) -> None:
    if isinstance(node, _Pairs):
        for i, (k, v) in enumerate(node):
            grid[("k", path, i)] = k
            _walk_read(v, path + (i,), grid)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _walk_read(v, path + (i,), grid)
    elif node is None:
        grid[("v", path)] = ""
    elif isinstance(node, bool):
        grid[("v", path)] = "true" if node else "false"
    else:
        grid[("v", path)] = as_text(node)


# ── leak matching ──────────────────────────────────────────────────────────────────────────


def leak(keys, out: str) -> str | None:
    """The first leak key found in an output cell, or None (see the module docstring)."""
    n_out = norm(out)
    for key in keys:
        nk = norm(key)
        if not nk:
            continue
        start = n_out.find(nk)
        while start >= 0:
            end = start + len(nk)
            glued = (nk[0].isdigit() and start > 0 and n_out[start - 1].isdigit()) or (
                nk[-1].isdigit() and end < len(n_out) and n_out[end].isdigit()
            )
            if not glued:
                return key
            start = n_out.find(nk, start + 1)
    return None


def self_check(doc: Doc, folder: str) -> None:
    """The written file, read back neutrally, must hold the truth (guards the generator)."""
    grid = read_grid(os.path.join(folder, doc.name), doc.fmt, doc.encoding)
    for loc, _kind, keys in doc.pii:
        if leak(keys[:1], grid.get(loc, "")) is None:
            raise AssertionError(f"{doc.name} {loc}: {keys[0]!r} not in {grid.get(loc)!r}")
    for loc, text in doc.stay:
        if grid.get(loc, "") != text:
            raise AssertionError(f"{doc.name} {loc}: {text!r} != {grid.get(loc)!r}")
    clash = {loc for loc, _, _ in doc.pii} & {loc for loc, _ in doc.stay}
    if clash:
        raise AssertionError(f"{doc.name}: both personal and must-stay at {sorted(clash)[:3]}")


# ── synthetic people ───────────────────────────────────────────────────────────────────────

OTHER_CITIES = [
    ("岐阜県各務原市", ["那加桜町", "鵜沼西町", "蘇原新生町"]),
    ("岐阜県羽島郡笠松町", ["中野", "円城寺"]),
    ("岐阜県本巣市", ["文殊", "政田"]),
    ("岐阜県大垣市", ["林町", "禾森町"]),
    ("愛知県一宮市", ["木曽川町", "今伊勢町"]),
]
BUILDINGS = ["コーポ", "ハイツ", "メゾン", "パレス", "サンハイツ", "グランドール", "レジデンス", "シャトー"]
RELATIONS = ["妻", "夫", "長男", "長女", "次男", "次女", "母", "父", "孫"]


@dataclass
class Person:
    last: str
    first: str
    last_kana: str
    first_kana: str
    last_romaji: str
    first_romaji: str
    sex: str
    dob: date
    city: str
    town: str
    block: tuple  # ("chome", 2, 3, 4) or ("banchi", 1234, 5 or 0)
    building: str  # "" or "ハイツ長良 305号室"
    mobile: str  # digits
    home: str  # digits
    email: str


class Gen:
    """Seeded generator of people and of the pieces of the files."""

    def __init__(self, seed):
        self.people = People(seed)
        self.rnd = self.people.rnd
        self.fake = self.people.fake
        self.euc = False
        self._names = set()

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def pick(self, seq):
        return self.rnd.choice(seq)

    def fw(self, text: str) -> str:
        return text.translate(FWX_EUC if self.euc else FWX)

    def wide(self, text: str, p: float = 0.3) -> str:
        return self.fw(text) if self.chance(p) else text

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rnd.randint(0, (end - start).days))

    def person(self, sex: str | None = None, born=(1935, 2004), last=None, local: bool = False) -> Person:
        while True:
            sex = sex or self.pick("男女")
            if last is None:
                ln, lk, lr = self.fake.last_name_pair()
            else:
                ln, lk, lr = last
            fn, fk, fr = (
                self.fake.first_name_male_pair() if sex == "男" else self.fake.first_name_female_pair()
            )
            if (ln, fn) not in self._names:
                self._names.add((ln, fn))
                break
        dob = self.day(date(born[0], 1, 1), date(born[1], 12, 31))
        if local or self.chance(0.85):
            city, town = "岐阜県岐阜市", self.pick(TOWNS)
        else:
            city, towns = self.pick(OTHER_CITIES)
            town = self.pick(towns)
        if self.chance(0.5):
            block = ("chome", self.rnd.randint(1, 9), self.rnd.randint(1, 30), self.rnd.randint(1, 20))
        else:
            block = ("banchi", self.rnd.randint(1, 2999), self.pick([0, 0, 1, 2, 3, 5, 12]))
        building = ""
        if self.chance(0.3):
            building = (
                f"{self.pick(BUILDINGS)}{town[:2]} {self.rnd.randint(1, 9)}0{self.rnd.randint(1, 9)}号室"
            )
        mobile = f"0{self.pick('789')}0{self.rnd.randint(1000, 9999)}{self.rnd.randint(1000, 9999)}"
        home = f"058{self.rnd.randint(230, 299)}{self.rnd.randint(1000, 9999)}"
        email = (
            f"{fr.lower()}{self.pick(['.', '_', ''])}{lr.lower()}{self.rnd.randint(1, 99)}"
            f"@{self.pick(['example.com', 'example.net', 'example.org', 'mail.example.com'])}"
        )
        return Person(ln, fn, lk, fk, lr, fr, sex, dob, city, town, block, building, mobile, home, email)

    def relative(self, head: Person, relation: str) -> Person:
        """A family member: same surname (and address), other given name and age."""
        sex = (
            "女"
            if relation in ("妻", "長女", "次女", "母")
            else "男"
            if relation in ("夫", "長男", "次男", "父")
            else None
        )
        y = head.dob.year
        born = {
            "妻": (y - 5, y + 5),
            "夫": (y - 5, y + 5),
            "母": (y - 35, y - 20),
            "父": (y - 35, y - 20),
        }.get(relation, (min(y + 20, 2020), min(y + 38, 2023)))
        p = self.person(sex, born, last=(head.last, head.last_kana, head.last_romaji))
        p.city, p.town, p.block, p.building, p.home = (
            head.city,
            head.town,
            head.block,
            head.building,
            head.home,
        )
        return p

    # personal pieces
    def name(self, per: Person, sep: str | None = None) -> P:
        sep = self.pick([" ", "　", ""]) if sep is None else sep
        return P(f"{per.last}{sep}{per.first}", (f"{per.last}{sep}{per.first}", per.last, per.first), "name")

    def surname(self, per: Person) -> P:
        return P(per.last, (per.last,), "name")

    def given(self, per: Person) -> P:
        return P(per.first, (per.first,), "name")

    def kana(self, per: Person, script: str = "kata", sep: str = " ") -> P:
        conv = {"kata": lambda s: s, "half": half_kana, "hira": hiragana}[script]
        last, first = conv(per.last_kana), conv(per.first_kana)
        sep = " " if script == "half" and sep == "　" else sep
        return P(f"{last}{sep}{first}", (f"{last}{sep}{first}", last, first), "kana")

    def dob(self, per: Person, style: str, wide: bool = False) -> P:
        text = date_text(per.dob, style)
        return P(
            self.fw(text) if wide else text, (self.fw(text) if wide else text, *dob_keys(per.dob)), "dob"
        )

    def dob_cell(self, per: Person, number_format: str = "yyyy/m/d") -> P:
        """A birth date as a real Excel date cell."""
        d = per.dob
        return P(
            d.isoformat(),
            (d.isoformat(), *dob_keys(d)),
            "dob",
            XDate(datetime(d.year, d.month, d.day), number_format),
        )

    def block_text(self, per: Person, style: str) -> str:
        if per.block[0] == "chome":
            _, a, b, c = per.block
            return {"jp": f"{a}丁目{b}番{c}号", "dash": f"{a}-{b}-{c}", "mixed": f"{a}丁目{b}-{c}"}[style]
        _, n, sub = per.block
        if style == "jp":
            return f"{n}番地" + (str(sub) if sub else "")
        return f"{n}-{sub}" if sub else f"{n}"

    def address(
        self,
        per: Person,
        prefix: str | None = None,
        style: str | None = None,
        building: bool = True,
        wide: float = 0.2,
    ) -> P:
        """An address; prefix "full" (県+市), "city" (市 only) or "none" (town on, for in-city lists)."""
        style = style or self.pick(["jp", "jp", "dash", "mixed"])
        block = self.block_text(per, style)
        if style != "jp" and self.chance(wide):
            block = self.fw(block)
        core = per.town + block
        prefix = prefix or self.pick(["full", "city", "city"])
        city = per.city if prefix == "full" else per.city.replace("岐阜県", "") if prefix == "city" else ""
        bld = per.building if building else ""
        text = city + core + (self.pick([" ", "　", ""]) + bld if bld else "")
        return P(text, (text, core) + ((bld,) if bld else ()), "address")

    def address_split(self, per: Person):
        """(city + town, block + building): the two address columns of many systems."""
        block = self.block_text(per, self.pick(["jp", "dash"]))
        rest = block + (" " + per.building if per.building else "")
        keys = (rest, block) + ((per.building,) if per.building else ())
        return per.city.replace("岐阜県", "") + per.town, P(rest, keys, "address")

    def phone(self, per: Person, which: str = "mobile", style: str | None = None) -> P:
        digits = per.mobile if which == "mobile" else per.home
        a, b, c = (
            (digits[:3], digits[3:7], digits[7:])
            if which == "mobile"
            else (digits[:3], digits[3:6], digits[6:])
        )
        style = style or self.pick(["dash", "dash", "dash", "plain", "paren", "fw", "fwbar"])
        if style == "local" and which == "mobile":
            style = "dash"
        text = {
            "dash": f"{a}-{b}-{c}",
            "plain": digits,
            "paren": f"{a}({b}){c}",
            "space": f"{a} {b} {c}",
            "fw": self.fw(f"{a}-{b}-{c}"),
            "fwbar": self.fw(f"{a}-{b}-{c}").replace("－", "ー").replace("−", "ー"),
            "local": f"{b}-{c}",
        }[style]
        keys = (text, f"{b}-{c}", b + c) if style == "local" else (text, digits, f"{a}-{b}-{c}")
        return P(text, keys, "phone")

    def email(self, per: Person) -> P:
        local = per.email.split("@")[0]
        return P(per.email, (per.email,) + ((local,) if len(local) >= 6 else ()), "email")

    def my_number(self) -> P:
        from stdnum.jp import in_

        body = "".join(str(self.rnd.randint(0, 9)) for _ in range(11))
        n = body + in_.calc_check_digit(body)
        text = self.pick([n, n, f"{n[:4]} {n[4:8]} {n[8:]}"])
        return P(text, (text, n), "my_number")

    # public pieces
    def office_phone(self) -> str:
        return f"058-{self.rnd.randint(200, 299)}-{self.rnd.randint(1000, 9999)}"

    def public_date(self, style: str = "era", start=date(2024, 4, 1), end=date(2025, 3, 31)) -> str:
        return date_text(self.day(start, end), style)

    def company(self) -> str:
        kind = self.rnd.randrange(6)
        if kind == 0:
            return self.fake.company()  # 有限会社鈴木保険: a surname in a public name
        if kind == 1:
            return f"株式会社{self.pick(['ビューティー', 'ヘアーワークス', 'リアン', 'ブランシェ', 'ぎふ企画'])}{self.pick(['', '岐阜', 'ジャパン'])}"
        if kind == 2:
            return f"有限会社{self.fake.last_name()}{self.pick(['商店', '興産', '美容室', '産業'])}"
        if kind == 3:
            return f"医療法人社団{self.pick(['清流', '金華', '長良', '若葉', '恵愛'])}会"
        if kind == 4:
            return f"社会福祉法人{self.pick(TOWNS)}福祉会"
        return f"合同会社{self.pick(['ミライ', 'ナガラ', 'ヒダマリ', 'サクラ'])}"

    def public_address(self, building: bool = False) -> str:
        town = self.pick(TOWNS)
        text = (
            f"岐阜市{town}{self.rnd.randint(1, 9)}丁目{self.rnd.randint(1, 30)}番地"
            if self.chance(0.5)
            else f"岐阜市{town}{self.rnd.randint(1, 2999)}番地{self.pick(['', '1', '2', '3'])}"
        )
        return text + (
            f" {self.pick(['岐阜', '長良', '金華'])}ビル{self.rnd.randint(1, 5)}階" if building else ""
        )


def _n(base: int, scale: float, lo: int = 3) -> int:
    return max(lo, round(base * scale))


def _pad(row: list, width: int) -> list:
    return row + [""] * (width - len(row))


def _header(names) -> list:
    return [S(h) if h else "" for h in names]


OFFICES = [
    ("岐阜市役所 市民協働推進課", "058-265-4141"),
    ("岐阜市 生涯学習課", "058-214-2364"),
    ("岐阜市 地域協働推進課", "058-214-2154"),
    ("岐阜市 スポーツ振興課", "058-214-2363"),
    ("岐阜市 観光コンベンション課", "058-214-2191"),
    ("岐阜市 高齢福祉課", "058-214-2086"),
]
VENUES = [
    ("岐阜市民会館", "岐阜市美江寺町2丁目6番地"),
    ("長良川国際会議場", "岐阜市長良福光2695番地2"),
    ("みんなの森 ぎふメディアコスモス", "岐阜市司町40番地5"),
    ("岐阜市文化センター", "岐阜市金町5丁目7番地2"),
    ("岐阜市役所本庁舎", "岐阜市司町40番地1"),
    ("ぎふ清流アリーナ", "岐阜市薮田南1丁目"),
    ("岐阜公園", "岐阜市大宮町1丁目"),
    ("長良公園", "岐阜市長良福光"),
    ("金公園", "岐阜市金町5丁目"),
]


# ── layouts ────────────────────────────────────────────────────────────────────────────────


def no_header(g: Gen, scale: float) -> list[Doc]:
    """Ledger exports with NO header row: the first row is already a person's record (CP932)."""
    rows = []
    for i in range(_n(22, scale)):
        per = g.person()
        applied = g.day(date(2024, 4, 1), date(2024, 4, 30))
        rows.append(
            [
                S(f"R06{i + 1:06d}"),
                S(date_text(applied, "ymd8")),
                S(g.pick(["転入", "転居", "転出", "世帯変更"])),
                g.name(per, g.pick([" ", "　"])),
                g.kana(per, "half"),
                "1" if per.sex == "男" else "2",
                g.dob(per, g.pick(["ymd8", "ymd8", "code7", "slash0"])),
                f"50{g.rnd.randint(0, 9)}-{g.rnd.randint(0, 9999):04d}",
                g.address(per, "full"),
                g.phone(per, g.pick(["mobile", "home"]), g.pick(["dash", "plain"])),
                g.my_number(),
                S(g.pick(["本人", "世帯主", "代理人"])),
            ]
        )
    docs = [Doc("no_header", "jyuki_idou_202404.csv", "cp932", rows=rows, quoting=csv.QUOTE_ALL)]
    rows = []
    for i in range(_n(20, scale)):
        per = g.person(born=(1925, 1950), local=True)
        district = g.pick(["長良", "本荘", "加納", "鷺山", "岩野田", "日野"])
        rows.append(
            [
                S(district),
                S(str(i + 1)),
                g.name(per, "　"),
                g.dob(per, g.pick(["era", "era_sp", "initial"])),
                str(2024 - per.dob.year),
                g.address(per, "none", building=False),
                g.phone(per, "home", g.pick(["local", "dash"])),
                S(g.pick(["10000", "20000", "30000"])),
            ]
        )
    docs.append(Doc("no_header", "keirou_daicho.csv", "cp932", rows=rows))
    return docs


SALON_WORDS = [
    "さくら",
    "ひまわり",
    "リボン",
    "ミント",
    "あおぞら",
    "ルナ",
    "ハピネス",
    "フレンズ",
    "シャイン",
    "ブリーズ",
]
SALON_EN = ["Bloom", "Lien", "Felice", "Arte", "Mode", "Nico", "Leaf", "Grace"]


def _salon(g: Gen, owner: Person | None, kind: str) -> str:
    """Shop names often carry the owner's surname: public trade names, they must stay."""
    if owner and g.chance(0.4):
        return g.pick(
            [
                f"{kind}{owner.last}",
                f"{owner.last}{kind}所",
                f"ヘアーサロン{owner.last_kana}",
                f"{kind}{owner.last_kana}",
                f"Hair Salon {owner.last_romaji}",
            ]
        )
    return g.pick(
        [
            f"{kind}室{g.pick(SALON_WORDS)}",
            f"Hair {g.pick(SALON_EN)}",
            f"カットハウス{g.pick(SALON_WORDS)}",
            f"ヘアーサロン{g.pick(TOWNS)}",
            f"{g.pick(SALON_EN)} {g.pick(['hair', 'salon', 'cut'])}",
        ]
    )


def _owner(g: Gen, p_person: float):
    """(person or None, company name or None)."""
    return (g.person(born=(1940, 1995)), None) if g.chance(p_person) else (None, g.company())


def facility_owner(g: Gen, scale: float) -> list[Doc]:
    """Facility lists with owner columns: the facility's own data is public, a sole proprietor's
    name, home address and mobile are personal; company owners stay."""
    docs = []
    head = [
        "番号",
        "施設名",
        "所在地",
        "電話番号",
        "開設者",
        "開設者住所",
        "開設者電話番号",
        "確認年月日",
        "理容師数",
        "備考",
    ]
    rows = [_header(head)]
    for i in range(_n(30, scale)):
        per, corp = _owner(g, 0.65)
        row = [
            S(str(i + 1)),
            S(_salon(g, per, "理容")),
            S(g.public_address(g.chance(0.2))),
            S(g.office_phone()),
        ]
        if per:
            row += [
                g.name(per),
                g.address(per) if g.chance(0.8) else "同上",
                g.phone(per, "mobile" if g.chance(0.75) else "home"),
            ]
        else:
            row += [S(corp), S(g.public_address(True)), S(g.office_phone())]
        row += [
            S(g.public_date(g.pick(["era", "initial"]), date(1985, 1, 1), date(2024, 3, 31))),
            S(str(g.rnd.randint(1, 6))),
            S(g.pick(["", "日曜定休", "令和5年5月移転", "出張理容あり"])),
        ]
        rows.append(row)
    docs.append(Doc("facility_owner", "riyousho_ichiran.csv", "cp932", rows=rows))

    # 美容所: Excel with a title, 代表者 and 管理者 (the 管理美容師, always a person).
    head = ["施設番号", "施設名称", "所在地", "電話", "代表者", "管理者", "確認年月日", "美容師数"]
    rows = [[S("岐阜市美容所一覧（令和6年4月1日現在）")], [], _header(head)]
    for i in range(_n(25, scale)):
        per, corp = _owner(g, 0.55)
        manager = per if per and g.chance(0.5) else g.person(born=(1960, 2000))
        d = g.day(date(1990, 1, 1), date(2024, 3, 31))
        rows.append(
            [
                S(f"B{i + 1:04d}"),
                S(_salon(g, per, "美容")),
                S(g.public_address()),
                S(g.office_phone()),
                g.name(per) if per else S(corp),
                "同左" if manager is per else g.name(manager),
                S(XDate(datetime(d.year, d.month, d.day), "yyyy/m/d")),
                S(g.rnd.randint(1, 12)),
            ]
        )
    docs.append(
        Doc(
            "facility_owner",
            "biyousho_ichiran.xlsx",
            sheets=[XSheet(S("美容所一覧"), rows, merges=["A1:H1"])],
        )
    )

    # 民泊 (住宅宿泊事業) notifications: 届出者, 所有者, 担当者, 連絡先.
    head = [
        "届出番号",
        "届出日",
        "施設名称",
        "施設所在地",
        "届出者",
        "届出者住所",
        "所有者",
        "担当者",
        "連絡先",
        "居室数",
    ]
    rows = [_header(head)]
    for i in range(_n(20, scale)):
        per, corp = _owner(g, 0.6)
        inn = f"{g.pick(['ゲストハウス', '民泊', '宿'])}{g.pick(SALON_WORDS)}"
        row = [S(f"M{i + 1:03d}"), S(g.public_date("slash")), S(inn), S(g.public_address())]
        if per:
            owner = g.pick(["同上", g.name(g.person()), S(g.company())])
            row += [g.name(per), g.address(per), owner, "", g.phone(per)]
        else:
            staff = g.person(born=(1965, 2000))
            row += [
                S(corp),
                S(g.public_address(True)),
                g.pick(["同上", g.name(g.person())]),
                M(g.pick(["管理部 ", "担当：", ""]), g.name(staff)),
                S(g.office_phone()) if g.chance(0.5) else g.phone(staff, "mobile"),
            ]
        rows.append(row + [S(str(g.rnd.randint(1, 5)))])
    docs.append(Doc("facility_owner", "minpaku_todokede.csv", "utf-8-sig", rows=rows))

    # 屋外広告物: 申請者 and 設置者.
    head = [
        "許可番号",
        "許可年月日",
        "表示場所",
        "広告物の種類",
        "申請者",
        "申請者住所",
        "申請者電話",
        "設置者",
    ]
    rows = [_header(head)]
    for _ in range(_n(20, scale)):
        per, corp = _owner(g, 0.5)
        row = [
            S(f"第{g.rnd.randint(100, 999)}号"),
            S(g.public_date("era")),
            S(g.public_address()),
            S(g.pick(["野立看板", "壁面広告", "突出看板", "屋上広告"])),
        ]
        if per:
            row += [g.name(per), g.address(per), g.phone(per, g.pick(["mobile", "home"]))]
        else:
            row += [S(corp), S(g.public_address(True)), S(g.office_phone())]
        row.append(S(f"{g.fake.last_name()}看板株式会社") if g.chance(0.6) else g.name(g.person()))
        rows.append(row)
    docs.append(Doc("facility_owner", "okugai_koukoku.csv", "utf-8", newline="\n", rows=rows))
    return docs


def title_multiheader(g: Gen, scale: float) -> list[Doc]:
    """A title line, a blank line, a two-row header whose first row holds merged categories."""
    cats = ["No.", "基本情報", "", "", "", "連絡先", "", "支給情報", ""]
    subs = ["", "氏名", "フリガナ", "生年月日", "年齢", "住所", "電話番号", "支給日", "金額"]
    width = len(subs)
    rows = [_pad([S("令和6年度 長寿祝金支給対象者名簿")], width), [""] * width, _header(cats), _header(subs)]
    total = 0
    for i in range(_n(24, scale)):
        per = g.person(born=(1925, 1950))
        amount = g.pick([10000, 20000, 30000])
        total += amount
        rows.append(
            [
                S(str(i + 1)),
                g.name(per),
                g.kana(per),
                g.dob(per, g.pick(["slash", "initial", "era"])),
                str(2024 - per.dob.year),
                g.address(per),
                g.phone(per, "home"),
                S(g.public_date(g.pick(["slash", "initial", "era"]), date(2024, 9, 1), date(2024, 9, 20))),
                S(f"{amount:,}"),
            ]
        )
    rows.append(_pad([S("合計")], width - 1) + [S(f"{total:,}")])
    rows.append(_pad([S("※個人情報を含むため取扱注意")], width))
    docs = [Doc("title_multiheader", "chouju_iwaikin_meibo.csv", "cp932", rows=rows)]

    # The same shape in Excel: real merges, birth dates partly real date cells.
    cats = ["No.", "基本情報", None, None, None, "連絡先", None, "受診情報", None]
    subs = ["", "氏名", "ふりがな", "生年月日", "年齢", "住所", "電話番号", "受診日", "受診区分"]
    rows = [
        [S("令和6年度 特定健康診査 受診者名簿")],
        [S("岐阜市 健康増進課")],
        [],
        _header(cats),
        _header(subs),
    ]
    for i in range(_n(24, scale)):
        per = g.person(born=(1950, 1985))
        dob = (
            g.dob_cell(per, g.pick(["yyyy/m/d", '[$-ja-JP]ggge"年"m"月"d"日"']))
            if g.chance(0.5)
            else g.dob(per, g.pick(["slash", "initial", "era"]))
        )
        seen = g.day(date(2024, 6, 1), date(2024, 11, 30))
        phone = g.phone(per)
        if g.chance(0.2):  # typed as a number: Excel drops the leading zero (9012345678)
            phone = P(per.mobile[1:], (per.mobile[1:], per.mobile), "phone", int(per.mobile))
        rows.append(
            [
                S(i + 1),
                g.name(per),
                g.kana(per, "hira"),
                dob,
                2024 - per.dob.year,
                g.address(per),
                phone,
                S(XDate(datetime(seen.year, seen.month, seen.day))),
                S(g.pick(["集団", "個別", "人間ドック"])),
            ]
        )
    summary = [[S("受診区分"), S("人数")]] + [
        [S(k), S(g.rnd.randint(10, 400))] for k in ("集団", "個別", "人間ドック")
    ]
    docs.append(
        Doc(
            "title_multiheader",
            "tokutei_kenshin.xlsx",
            sheets=[
                XSheet(S("受診者名簿"), rows, merges=["A1:I1", "A2:I2", "B4:E4", "F4:G4", "H4:I4"]),
                XSheet(S("集計"), summary),
            ],
        )
    )
    return docs


def _private_contact(g: Gen) -> M:
    per = g.person(born=(1945, 1995))
    t = g.rnd.randrange(7)
    if t == 0:
        return M(
            "当日の問合せは実行委員 ", g.name(per, " "), "（携帯 ", g.phone(per, "mobile", "dash"), "）まで"
        )
    if t == 1:
        return M("連絡先：", g.surname(per), "様 ", g.phone(per, "mobile"))
    if t == 2:
        return M(f"{per.town}自治会長 ", g.name(per), " ", g.phone(per, "home"))
    if t == 3:
        return M("代表 ", g.name(per), "（", g.phone(per, "mobile"), "）")
    if t == 4:
        return M("担当：", g.name(per), " / ", g.email(per))
    if t == 5:
        return M("申込は", g.surname(per), "宅（", g.address(per, building=False), "）へ")
    return M("世話人：", g.name(per), "さん ", g.phone(per, "mobile", "plain"))


def _office_contact(g: Gen) -> str:
    office, phone = g.pick(OFFICES)
    venue, addr = g.pick(VENUES)
    return g.pick(
        [
            f"{office} {phone}",
            f"{office}（電話 {phone}）",
            f"{venue}（{addr}）",
            f"{office}（岐阜市司町40番地1）",
            f"{venue} 事務室 {g.office_phone()}",
        ]
    )


PUBLIC_REMARKS = [
    "雨天中止",
    "参加無料・申込不要",
    "駐車場はありません。公共交通機関をご利用ください。",
    "定員30名（先着順）",
    "小学生以下は保護者同伴",
    "会場：岐阜市司町40番地1 みんなの森",
    "荒天時は翌日に順延",
    "持ち物：タオル、飲み物",
    "手話通訳あり",
]
EVENTS = [
    "清掃ボランティア",
    "防災訓練",
    "夏祭り",
    "健康ウォーキング",
    "子ども将棋教室",
    "花いっぱい運動",
    "ふれあいサロン",
    "盆踊り大会",
    "文化祭",
    "クリスマス会",
]


def public_notes(g: Gen, scale: float) -> list[Doc]:
    """Public lists whose 問合せ/備考 sometimes name a private person (with a mobile)."""
    head = ["No", "開催日", "イベント名", "会場", "会場住所", "主催", "問合せ", "備考"]
    rows = [_header(head)]
    for i in range(_n(70, scale)):
        venue, addr = g.pick(VENUES)
        held = g.day(date(2024, 4, 1), date(2025, 3, 31))
        contact = _private_contact(g) if g.chance(0.35) else S(_office_contact(g))
        remark = _private_contact(g) if g.chance(0.15) else S(g.pick(PUBLIC_REMARKS))
        rows.append(
            [
                S(str(i + 1)),
                S(f"{date_text(held, 'nen')}({'月火水木金土日'[held.weekday()]})"),
                S(f"{g.pick(TOWNS)}地区{g.pick(EVENTS)}"),
                S(venue),
                S(addr),
                S(g.pick(["岐阜市", f"{g.pick(TOWNS)}自治会連合会", "岐阜市社会福祉協議会", "実行委員会"])),
                contact,
                remark,
            ]
        )
    docs = [Doc("public_notes", "event_ichiran.csv", "utf-8-sig", rows=rows)]

    head = ["団体名", "活動分野", "活動場所", "代表者", "連絡先", "会員数", "設立"]
    rows = [[S("市民活動団体一覧")], _header(head)]
    for _ in range(_n(30, scale)):
        rep = g.person(born=(1940, 1990))
        center = f"{g.pick(TOWNS)}コミュニティセンター"
        rows.append(
            [
                S(
                    f"{g.pick(TOWNS)}{g.pick(['こども食堂', '見守り隊', '俳句の会', '環境を守る会', '太極拳クラブ'])}"
                ),
                S(g.pick(["子育て", "福祉", "文化", "環境", "健康"])),
                S(center),
                g.name(rep) if g.chance(0.8) else M("会長 ", g.name(rep, " ")),
                g.phone(rep, "mobile") if g.chance(0.5) else S(f"{center} {g.office_phone()}"),
                S(g.rnd.randint(5, 80)),
                S(f"{g.rnd.randint(1985, 2023)}年"),
            ]
        )
    docs.append(Doc("public_notes", "shimin_dantai.xlsx", sheets=[XSheet(S("団体一覧"), rows)]))
    return docs


def ascii_headers(g: Gen, scale: float) -> list[Doc]:
    """Web-system exports with English headers, half-width kana and full-width digits."""
    head = [
        "id",
        "name",
        "name_kana",
        "gender",
        "birthday",
        "tel",
        "zip",
        "address",
        "email",
        "note",
        "created_at",
        "status",
    ]
    rows = [_header(head)]
    for i in range(_n(24, scale)):
        per = g.person()
        style = g.pick(["iso", "slash", "initial", "ymd8", "nen"])
        if g.chance(0.3):
            kin = g.relative(per, g.pick(["妻", "夫", "長男", "長女", "母"]))
            note = M("緊急連絡先：", g.name(kin), f"（{g.pick(RELATIONS)}）", g.phone(kin, "mobile"))
        else:
            note = S(g.pick(["", "DM不要", "メルマガ希望", "2024年度更新済", "窓口で本人確認済み"]))
        rows.append(
            [
                S(f"M{i + 1:06d}"),
                g.name(per),
                g.kana(per, "half"),
                "M" if per.sex == "男" else "F",
                g.dob(per, style, wide=style in ("slash", "iso") and g.chance(0.3)),
                g.phone(per, g.pick(["mobile", "home"]), g.pick(["dash", "fw", "plain"])),
                f"50{g.rnd.randint(0, 9)}-{g.rnd.randint(0, 9999):04d}",
                g.address(per),
                g.email(per),
                note,
                S(
                    f"2024-{g.rnd.randint(4, 12):02d}-{g.rnd.randint(1, 28):02d} {g.rnd.randint(8, 20)}:"
                    f"{g.rnd.randint(0, 59):02d}:{g.rnd.randint(0, 59):02d}"
                ),
                S(g.pick(["active", "inactive", "pending"])),
            ]
        )
    docs = [Doc("ascii_headers", "members_export.csv", "utf-8", newline="\n", rows=rows)]

    head = ["Code", "Name", "Kana", "DOB", "Phone", "Mobile", "Addr1", "Addr2", "RegDate"]
    rows = [_header(head)]
    for i in range(_n(20, scale)):
        per = g.person()
        addr1, addr2 = g.address_split(per)
        rows.append(
            [
                S(f"{i + 1:07d}"),
                g.name(per, " "),
                g.kana(per, "half"),
                g.dob(per, g.pick(["initial0", "slash0"])),
                g.phone(per, "home") if g.chance(0.5) else "",
                g.phone(per, "mobile", "plain"),
                addr1,
                addr2,
                S(g.public_date("slash0")),
            ]
        )
    docs.append(Doc("ascii_headers", "kojin_data.tsv", "cp932", rows=rows))
    return docs


KANJI_DOB = ["era_kanji", "era_kanji", "era_kanji_pos", "lig", "lig_dot", "initial", "era"]
PUBLIC_LINES = [
    "令和六年五月十日　定例会議（第二会議室）",
    "出席者：福祉政策課長ほか五名",
    "第三回 地域ケア会議 議事録",
    "令和六年度 第一四半期の相談件数は百二十件",
    "次回は令和六年七月一日（月）午後二時から",
    "特記事項なし",
    "岐阜市役所本庁舎にて実施",
    "平成三十年四月一日施行の要綱に基づき対応",
]


def _kanji_record(g: Gen, encoding: str = "utf-8") -> M:
    """A free-text record with a birth date in kanji numerals, ligatures or initials."""
    per = g.person(born=(1926, 2015))
    if g.chance(0.12):  # 元年: the first year of an era (平成元年, 令和元年, 昭和元年's last week)
        per.dob = g.pick(
            [
                g.day(date(1989, 1, 8), date(1989, 12, 31)),
                g.day(date(2019, 5, 1), date(2019, 12, 31)),
                g.day(date(1926, 12, 25), date(1926, 12, 31)),
            ]
        )
    nm = g.name(per, g.pick(["", "　"]))
    wide_ok = encoding != "euc_jp"  # EUC-JP has no ㍼㍻㍽ and no U+FF0D; CP932 has no ㋿
    style = g.pick(KANJI_DOB if wide_ok else [s for s in KANJI_DOB if not s.startswith("lig")])
    if style.startswith("lig") and encoding == "cp932" and per.dob >= date(2019, 5, 1):
        style = "era_kanji"
    dob = g.dob(per, style, wide=style == "initial" and g.chance(0.5))
    topic = g.pick(TOPICS)
    when = g.public_date("era")
    t = g.rnd.randrange(7)
    if t == 0:
        return M(f"{when}　", nm, "様（", dob, "生）来所。", f"{topic}について相談。")
    if t == 1:
        return M(nm, "さん　", dob, "生まれ　電話", g.phone(per, "mobile", "fw" if wide_ok else "dash"))
    if t == 2:
        return M(g.surname(per), "氏（", dob, "生）より", f"{topic}の申請。")
    if t == 3:
        child = g.person(born=(2010, 2017))
        return M(
            g.name(child, ""),
            "君（",
            g.dob(child, g.pick(["era_kanji", "era"])),
            "生）の保護者",
            g.name(per, ""),
            "様より連絡。",
        )
    if t == 4:
        return M("生年月日：", dob, "　氏名：", nm)
    if t == 5:
        return M(nm, "様 ", dob, "生 ", g.address(per, "city", building=False), "在住")
    return M(dob, "生　", nm, "（", g.pick(["独居", "高齢者世帯", "日中独居"]), "）訪問済")


def kanji_dates(g: Gen, scale: float) -> list[Doc]:
    """Free-text records: birth dates in kanji numerals (五十五 / 五五), 元年, ㍼㍻㍽, S55.3.1."""
    rows = [[S("相談記録（令和6年度）")]]
    for _ in range(_n(40, scale)):
        rows.append([_kanji_record(g) if g.chance(0.8) else S(g.pick(PUBLIC_LINES))])
    docs = [Doc("kanji_dates", "soudan_memo.txt", "utf-8", rows=rows)]

    rows = [_header(["記録番号", "記録日", "担当課", "記録"])]
    for i in range(_n(30, scale)):
        rec = _kanji_record(g, "cp932") if g.chance(0.85) else S(g.pick(PUBLIC_LINES))
        rows.append(
            [
                S(f"K{i + 1:05d}"),
                S(g.public_date("era")),
                S(g.pick(["福祉政策課", "高齢福祉課", "子ども支援課"])),
                rec,
            ]
        )
    docs.append(Doc("kanji_dates", "shien_kiroku.csv", "cp932", rows=rows))

    g.euc = True  # EUC-JP has no ligatures and no U+FF0D
    rows = [
        [_kanji_record(g, "euc_jp") if g.chance(0.8) else S(g.pick(PUBLIC_LINES))]
        for _ in range(_n(25, scale))
    ]
    g.euc = False
    docs.append(Doc("kanji_dates", "houmon_nisshi.txt", "euc_jp", newline="\n", rows=rows))
    return docs


def json_keyed(g: Gen, scale: float) -> list[Doc]:
    """JSON keyed by residents' names; arrays of arrays without a header; nested households."""
    obj = JObj()
    for _ in range(_n(20, scale)):
        per = g.person(born=(1930, 1960))
        dob = g.dob(per, g.pick(["iso", "era", "slash"]))
        obj.append(
            (
                g.name(per, ""),
                JObj(
                    [
                        ("フリガナ", g.kana(per, "kata", "")),
                        ("生年月日", dob),
                        ("電話", g.phone(per)),
                        ("住所", g.address(per)),
                        ("要介護度", S(g.pick(["要支援1", "要支援2", "要介護1", "要介護3"]))),
                        ("登録日", S(g.public_date("iso"))),
                        ("担当地区", S(g.pick(["長良", "本荘", "加納", "鷺山"]))),
                    ]
                ),
            )
        )
    docs = [Doc("json_keyed", "kourei_by_name.json", obj=obj)]

    rows = []
    for i in range(_n(20, scale)):
        per = g.person()
        d = per.dob
        # some exports write the birth date as a number: 19800301
        dob = (
            P(date_text(d, "ymd8"), (date_text(d, "ymd8"), *dob_keys(d)), "dob", int(date_text(d, "ymd8")))
            if g.chance(0.3)
            else g.dob(per, "iso")
        )
        rows.append(
            [
                g.name(per, " "),
                dob,
                g.phone(per, "mobile", "dash"),
                g.address(per),
                S(f"R6-{i + 1:04d}"),
                S(g.rnd.randint(0, 12)),
            ]
        )
    docs.append(Doc("json_keyed", "taishosha_rows.json", obj=rows))

    households = []
    for _ in range(_n(12, scale)):
        head = g.person(born=(1945, 1985))
        members = [
            g.relative(head, r)
            for r in g.rnd.sample(["妻", "長男", "長女", "次男", "母"], g.rnd.randint(1, 3))
        ]
        # 世帯番号 identifies a household: neither personal nor public here, so not scored
        households.append(
            JObj(
                [
                    ("世帯番号", f"{g.rnd.randint(1000000, 9999999)}"),
                    ("世帯主", JObj([("氏名", g.name(head)), ("生年月日", g.dob(head, "iso"))])),
                    ("世帯員", [g.name(m) for m in members]),
                    ("住所", g.address(head)),
                    ("電話", g.phone(head, "home")),
                    ("地区", S(g.pick(["長良", "本荘", "加納"]))),
                    ("人数", S(len(members) + 1)),
                ]
            )
        )
    obj = JObj(
        [("title", S("世帯台帳エクスポート")), ("exported", S("2024-06-01")), ("households", households)]
    )
    docs.append(Doc("json_keyed", "setai_daicho.json", obj=obj))
    return docs


def _card_rows(g: Gen, per: Person, labels_in: int, form: str) -> list:
    """A 項目/内容 form: labels in column A and values in B (labels_in=0), or labels in B and
    values in C:D merged (labels_in=1)."""
    visited = g.day(date(2024, 4, 1), date(2024, 12, 27))
    dob = g.dob_cell(per) if g.chance(0.5) else g.dob(per, g.pick(["era", "slash"]))
    if g.chance(0.4):
        kin = g.relative(per, g.pick(["長男", "長女", "妻", "夫"]))
        consult = M(
            f"{g.pick(TOPICS)}について相談。",
            "キーパーソンは",
            g.name(kin),
            f"（{g.pick(RELATIONS)}、",
            g.phone(kin, "mobile", "dash"),
            "）。",
        )
    else:
        consult = S(f"{g.pick(TOPICS)}について相談。制度を説明し、申請書を手渡した。")
    items = [
        ("受付日", S(XDate(datetime(visited.year, visited.month, visited.day)))),
        ("氏名", g.name(per)),
        ("フリガナ", g.kana(per)),
        ("生年月日", dob),
        ("住所", g.address(per)),
        ("電話", g.phone(per)),
        ("相談内容", consult),
        ("対応", S(g.pick(["地域包括支援センターへ引継ぎ", "経過観察", "完了"]))),
    ]
    # labels_in=1: label in B, value in C, C:D merged (the value sits in the merge's top-left)
    pad, tail = [""] * labels_in, [""] * labels_in
    rows = [pad + [S(form)], [], pad + [S("項目"), S("内容")] + tail]
    for label, value in items:
        rows.append(pad + [S(label), value] + tail)
    return rows


def sheet_per_person(g: Gen, scale: float) -> list[Doc]:
    """A workbook with one form sheet per resident, named after them, plus a 一覧 sheet."""
    docs = []
    for fname, n, labels_in, form in (
        ("soudan_card.xlsx", _n(12, scale, 2), 0, "相談受付票"),
        ("kyufu_shinsei.xlsx", _n(8, scale, 2), 1, "給付申請 聞き取り票"),
    ):
        people = [g.person() for _ in range(n)]
        index = [[S("No"), S("氏名"), S("相談区分"), S("担当課")]]
        sheets = []
        for i, per in enumerate(people):
            index.append(
                [
                    S(i + 1),
                    g.name(per),
                    S(g.pick(["介護", "生活困窮", "子育て", "障がい"])),
                    S(g.pick(["福祉政策課", "高齢福祉課", "子ども支援課"])),
                ]
            )
            t = g.rnd.randrange(4)
            title = (
                M(g.name(per, ""), "様")
                if t == 0
                else g.name(per, " ")
                if t == 1
                else M(f"{i + 1}_", g.name(per, ""))
                if t == 2
                else M(g.surname(per), f"（{g.pick('一二三')}）")
            )
            rows = _card_rows(g, per, labels_in, form)
            merges = (
                ["A1:B1"] if not labels_in else ["B1:D1"] + [f"C{r}:D{r}" for r in range(3, len(rows) + 1)]
            )
            sheets.append(XSheet(title, rows, merges=merges))
        docs.append(Doc("sheet_per_person", fname, sheets=[XSheet(S("一覧"), index)] + sheets))
    return docs


def form_kv(g: Gen, scale: float) -> list[Doc]:
    """Excel forms saved as CSV (label, value, label, value) and a stacked 項目,内容 export."""
    docs = []
    for k in range(_n(8, scale, 2)):
        per = g.person(born=(1935, 1990))
        kin = g.relative(per, g.pick(["長男", "長女", "妻", "夫"]))
        amount = g.pick([50000, 100000, 200000])
        rows = [
            [S("岐阜市 住宅改修費補助金交付申請書"), "", "", ""],
            ["", "", "", ""],
            [S("申請日"), S(g.public_date("era")), S("受付番号"), S(f"R6-{g.rnd.randint(1, 999):04d}")],
            [S("申請者"), "", "", ""],
            [S("氏名"), g.name(per), S("フリガナ"), g.kana(per)],
            [
                S("生年月日"),
                g.dob(per, g.pick(["era", "initial", "slash"])),
                S("年齢"),
                str(2024 - per.dob.year),
            ],
            [S("住所"), M("〒500-", f"{g.rnd.randint(0, 9999):04d} ", g.address(per)), "", ""],
            [S("電話番号"), g.phone(per, "home"), S("携帯電話"), g.phone(per, "mobile")],
            [S("工事内容"), S(g.pick(["浴室の手すり設置", "段差の解消", "洋式便器への取替え"])), "", ""],
            [S("施工業者"), S(f"株式会社{g.fake.last_name()}工務店"), S("電話"), S(g.office_phone())],
            [S("申請額"), S(f"{amount:,}"), S("円"), ""],
            [
                S("備考"),
                M("緊急連絡先：", g.pick(RELATIONS), " ", g.name(kin), " ", g.phone(kin, "mobile")),
                "",
                "",
            ],
        ]
        docs.append(Doc("form_kv", f"shinsei_{k + 1:03d}.csv", "cp932", rows=rows))

    rows = []
    for k in range(_n(8, scale, 2)):
        per = g.person(born=(1940, 2000))
        rows += [
            [S(f"【{k + 1}件目】"), ""],
            [S("項目"), S("内容")],
            [S("届出日"), S(g.public_date("nen"))],
            [S("届出者氏名"), g.name(per)],
            [S("生年月日"), g.dob(per, g.pick(["nen", "era"]))],
            [S("住所"), g.address(per)],
            [S("連絡先"), g.phone(per)],
            [S("メール"), g.email(per)],
            [S("事故の内容"), S(g.pick(["道路の陥没による転倒", "倒木による車両の損傷", "側溝の蓋の破損"]))],
            ["", ""],
        ]
    docs.append(Doc("form_kv", "jiko_todoke.csv", "utf-8-sig", rows=rows))
    return docs


def split_family(g: Gen, scale: float) -> list[Doc]:
    """姓/名 and セイ/メイ in separate columns, and the whole family in one 世帯員 cell."""
    head = ["世帯番号", "姓", "名", "セイ", "メイ", "続柄", "生年月日", "世帯員", "地区", "備考"]
    rows = [_header(head)]
    for _i in range(_n(20, scale)):
        head_p = g.person(born=(1940, 1985))
        members = [
            (r, g.relative(head_p, r))
            for r in g.rnd.sample(["妻", "長男", "長女", "次男", "母"], g.rnd.randint(1, 3))
        ]
        if g.chance(0.6):
            parts = ["世帯員："]
            for j, (rel, m) in enumerate(members):
                parts += (["、"] if j else []) + [g.name(m, ""), f"（{rel}）"]
        else:  # given names only: the surname is the household's
            parts = []
            for j, (rel, m) in enumerate(members):
                parts += (["、"] if j else []) + [f"{rel} ", P(m.first, (m.first,), "name")]
        remark = S(g.pick(["", "転入（令和6年4月）", "児童手当受給", "要配慮者名簿登載"]))
        rows.append(
            [
                f"{g.rnd.randint(100000, 999999)}",
                g.surname(head_p),
                g.given(head_p),
                P(head_p.last_kana, (head_p.last_kana,), "kana"),
                P(head_p.first_kana, (head_p.first_kana,), "kana"),
                S("世帯主"),
                g.dob(head_p, g.pick(["era", "slash", "initial"])),
                M(*parts),
                S(g.pick(["長良", "本荘", "加納", "鷺山", "日野"])),
                remark,
            ]
        )
    return [Doc("split_family", "setai_meibo.csv", "utf-8-sig", rows=rows)]


def blank_headers_totals(g: Gen, scale: float) -> list[Doc]:
    """A TSV whose name and phone columns have blank headers, with subtotals, a total row and
    footnotes on single-field lines (as hand-made exports have them)."""
    head = ["地区", "", "", "年齢", "参加回数", ""]
    rows = [_header(head)]
    total = 0
    for district in ("長良", "本荘", "加納", "鷺山"):
        sub = 0
        for _ in range(_n(10, scale, 2)):
            per = g.person(born=(1935, 1960))
            count = g.rnd.randint(1, 12)
            sub += count
            note = (
                M("送迎：", g.name(g.relative(per, g.pick(["長男", "長女"]))), "さん")
                if g.chance(0.15)
                else S(g.pick(["", "", "初参加", "車いす使用"]))
            )
            rows.append(
                [
                    S(district),
                    g.name(per),
                    g.phone(per, g.pick(["home", "mobile"]), g.pick(["dash", "local"])),
                    str(2024 - per.dob.year),
                    S(str(count)),
                    note,
                ]
            )
        rows.append([S(f"{district}地区 小計"), "", "", "", S(str(sub)), ""])
        total += sub
    rows.append([S("合計"), "", "", "", S(str(total)), ""])
    rows.append([S("※1 参加回数は令和6年4月～9月の累計")])
    rows.append([S("※2 問合せ：岐阜市 健康増進課 058-252-7193")])
    docs = [Doc("blank_headers_totals", "sanka_shukei.tsv", "utf-8", newline="\n", rows=rows)]

    # The same habits saved from Excel (every row padded to the width): a 当番表 whose name and
    # phone columns have no header, a count row and footnotes.
    width = 5
    rows = [_header(["班", "", "住所", "", "当番月"])]
    n = _n(24, scale, 4)
    for i in range(n):
        per = g.person(local=True)
        rows.append(
            [
                S(f"{i // 6 + 1}班"),
                g.name(per),
                g.address(per, "none"),
                g.phone(per, g.pick(["home", "mobile"])),
                S(f"{i % 12 + 4 if i % 12 < 9 else i % 12 - 8}月"),
            ]
        )
    rows.append(_pad([S("計"), S(f"{n}名")], width))
    rows.append(_pad([S("※当番表は自治会の回覧用です。")], width))
    rows.append(_pad([S("※問合せ：岐阜市 ごみ減量推進課 058-214-2172")], width))
    docs.append(Doc("blank_headers_totals", "gomi_touban.csv", "cp932", rows=rows))
    return docs


def address_labels(g: Gen, scale: float) -> list[Doc]:
    """Mailing-label data for 差し込み印刷: joint addressees (連名: given name only), 様 in cells,
    c/o lines (山田方), the building on its own line."""
    head = ["郵便番号", "住所1", "住所2", "宛名1", "宛名2", "敬称", "送付区分"]
    rows = [_header(head)]
    for _ in range(_n(40, scale)):
        per = g.person(born=(1930, 1960))
        addr = g.address(per, g.pick(["full", "city"]), building=False)
        if per.building and g.chance(0.7):
            line2 = P(per.building, (per.building,), "address")
        elif g.chance(0.2):
            host = g.person()
            line2 = M(g.surname(host), "方")
        else:
            line2 = ""
        name = g.name(per, " ") if g.chance(0.6) else M(g.name(per, "　"), " 様")
        joint = ""
        if g.chance(0.35):
            spouse = g.relative(per, "妻" if per.sex == "男" else "夫")
            given = P(spouse.first, (spouse.first,), "name")
            joint = M(given, " 様") if g.chance(0.5) else given
        rows.append(
            [
                f"50{g.rnd.randint(0, 9)}-{g.rnd.randint(0, 9999):04d}",
                addr,
                line2,
                name,
                joint,
                S("様"),
                S(g.pick(["案内状", "招待状", "記念品"])),
            ]
        )
    return [Doc("address_labels", "atena_label.csv", "cp932", rows=rows)]


LAYOUTS = {
    "no_header": no_header,
    "facility_owner": facility_owner,
    "title_multiheader": title_multiheader,
    "public_notes": public_notes,
    "ascii_headers": ascii_headers,
    "kanji_dates": kanji_dates,
    "json_keyed": json_keyed,
    "sheet_per_person": sheet_per_person,
    "form_kv": form_kv,
    "split_family": split_family,
    "blank_headers_totals": blank_headers_totals,
    "address_labels": address_labels,
}
LAYOUT_NAMES = list(LAYOUTS)


def build(seed: int = SEED, scale: float = 1.0) -> list[Doc]:
    """Every file of every layout; each layout seeded on its own (adding one shifts no other)."""
    docs = []
    for name, fn in LAYOUTS.items():
        docs += [d.finalize() for d in fn(Gen(f"{seed}:{name}"), scale)]
    return docs


def write_corpus(docs: list[Doc], folder: str, check: bool = True) -> None:
    os.makedirs(folder, exist_ok=True)
    for doc in docs:
        doc.write(folder)
        if check:
            self_check(doc, folder)


# ── running and scoring ────────────────────────────────────────────────────────────────────


def run_engine(engine, docs: list[Doc], src_dir: str, dst_dir: str) -> dict:
    """Scrub every file with one engine: {file: ("ok", report) | ("refused", err) | ("crashed", err)}."""
    from ckanext.anonymize.engine import InputError

    os.makedirs(dst_dir, exist_ok=True)
    outcome = {}
    for doc in docs:
        src, dst = os.path.join(src_dir, doc.name), os.path.join(dst_dir, doc.name)
        try:
            report = engine.scrub_file(src, dst, filename=doc.name)
            outcome[doc.name] = ("ok", report.to_dict() if hasattr(report, "to_dict") else {})
        except InputError as e:
            outcome[doc.name] = (
                "refused",
                {
                    "code": getattr(e, "code", ""),
                    "message_ja": getattr(e, "message_ja", ""),
                    "message_en": getattr(e, "message_en", str(e)),
                },
            )
        except Exception as e:  # noqa: BLE001 - a crash is a result to report, not to hide
            outcome[doc.name] = (
                "crashed",
                {
                    "error": f"{type(e).__name__}: {e}",
                    "where": traceback.format_exc().strip().splitlines()[-3:],
                },
            )
    return outcome


def score_doc(doc: Doc, grid: dict | None) -> dict:
    """Counts, misses and alterations of one file; grid None = nothing published."""
    res = {
        "pii": len(doc.pii),
        "removed": 0,
        "stay": len(doc.stay),
        "altered": 0,
        "misses": [],
        "alterations": [],
        "leak_kinds": {},
    }
    if grid is None:
        res["removed"], res["altered"] = res["pii"], res["stay"]
        return res
    for loc, kind, keys in doc.pii:
        out = grid.get(loc, "")
        key = leak(keys, out)
        if key is None:
            res["removed"] += 1
            continue
        where = {"t": "sheet title", "k": "json key"}.get(loc[0], "cell")
        label = kind if where == "cell" else f"{kind} in {where}"
        res["leak_kinds"][label] = res["leak_kinds"].get(label, 0) + 1
        res["misses"].append(
            {"file": doc.name, "loc": _loc(loc), "kind": label, "key": key, "out": out[:120]}
        )
    for loc, text in doc.stay:
        out = grid.get(loc, "")
        if out != text:
            res["altered"] += 1
            res["alterations"].append(
                {"file": doc.name, "loc": _loc(loc), "expected": text[:80], "got": out[:80]}
            )
    return res


def _loc(loc) -> str:
    if loc[0] == "t":
        return f"sheet {loc[1]} title"
    if loc[0] == "c":
        return f"sheet {loc[1]} row {loc[2]} col {loc[3]}"
    if loc[0] == "k":
        return f"key {list(loc[1])}[{loc[2]}]"
    return f"value {list(loc[1])}"


def score(docs: list[Doc], outcome: dict, dst_dir: str) -> dict:
    """Per layout and overall: recall (PII removed) and damage (must-stay altered)."""
    layouts, misses, alterations, refusals, crashes = {}, [], [], [], []
    for doc in docs:
        status, info = outcome[doc.name]
        grid = None
        if status == "ok":
            grid = read_grid(os.path.join(dst_dir, doc.name), doc.fmt)
        elif status == "refused":
            refusals.append({"layout": doc.layout, "file": doc.name, **info})
        else:
            crashes.append({"layout": doc.layout, "file": doc.name, **info})
        res = score_doc(doc, grid)
        agg = layouts.setdefault(
            doc.layout,
            {
                "files": 0,
                "pii": 0,
                "removed": 0,
                "stay": 0,
                "altered": 0,
                "refused": 0,
                "crashed": 0,
                "leak_kinds": {},
            },
        )
        agg["files"] += 1
        agg["refused"] += status == "refused"
        agg["crashed"] += status == "crashed"
        for k in ("pii", "removed", "stay", "altered"):
            agg[k] += res[k]
        for kind, n in res["leak_kinds"].items():
            agg["leak_kinds"][kind] = agg["leak_kinds"].get(kind, 0) + n
        misses += [dict(m, layout=doc.layout) for m in res["misses"]]
        alterations += [dict(a, layout=doc.layout) for a in res["alterations"]]
    overall = {"files": 0, "pii": 0, "removed": 0, "stay": 0, "altered": 0, "refused": 0, "crashed": 0}
    for agg in layouts.values():
        _rates(agg)
        for k in overall:
            overall[k] += agg[k]
    _rates(overall)
    return {
        "layouts": layouts,
        "overall": overall,
        "refusals": refusals,
        "crashes": crashes,
        "misses": misses,
        "alterations": alterations,
    }


def _rates(agg: dict) -> None:
    agg["recall"] = agg["removed"] / agg["pii"] if agg["pii"] else 1.0
    agg["damage"] = agg["altered"] / agg["stay"] if agg["stay"] else 0.0


def evaluate(engine, workdir: str, scale: float = 1.0, seed: int = SEED) -> dict:
    """Generate the corpus into workdir/in, scrub it into workdir/out with ``engine``, score it."""
    docs = build(seed, scale)
    src_dir, dst_dir = os.path.join(workdir, "in"), os.path.join(workdir, "out")
    write_corpus(docs, src_dir)
    t0 = time.perf_counter()
    outcome = run_engine(engine, docs, src_dir, dst_dir)
    seconds = time.perf_counter() - t0
    result = score(docs, outcome, dst_dir)
    result.update(
        seconds=seconds,
        scale=scale,
        seed=seed,
        engine_layouts={n: o[1].get("layout") for n, o in outcome.items() if o[0] == "ok"},
    )
    return result


def format_table(result: dict, examples: int = 3) -> str:
    """The per-layout table, refusals/crashes and a few synthetic examples of leaks and damage."""
    lines = [
        f"{'layout':<22} {'files':>5} {'PII':>6} {'removed':>8} {'recall':>7} {'must-stay':>10} "
        f"{'altered':>8} {'damage':>7}  refused/crashed"
    ]

    def line(name, r):
        flag = f"{r['refused']}/{r['crashed']}" if r["refused"] or r["crashed"] else ""
        lines.append(
            f"{name:<22} {r['files']:>5} {r['pii']:>6} {r['removed']:>8} {r['recall']:>7.3f} "
            f"{r['stay']:>10} {r['altered']:>8} {r['damage'] * 100:>6.1f}%  {flag}"
        )

    for name, r in result["layouts"].items():
        line(name, r)
    line("OVERALL", result["overall"])
    for r in result["refusals"]:
        lines.append(f"refused: {r['file']} [{r['code']}] {r['message_en']} / {r['message_ja']}")
    for r in result["crashes"]:
        lines.append(f"crashed: {r['file']} {r['error']}")
    if examples:
        for name, r in result["layouts"].items():
            if r["leak_kinds"]:
                kinds = ", ".join(
                    f"{k} {v}" for k, v in sorted(r["leak_kinds"].items(), key=lambda kv: -kv[1])
                )
                lines.append(f"leaks {name}: {kinds}")
                for m in [m for m in result["misses"] if m["layout"] == name][:examples]:
                    lines.append(f"    {m['file']} {m['loc']} {m['kind']}: {m['key']!r} in {m['out']!r}")
        for name in result["layouts"]:
            alts = [a for a in result["alterations"] if a["layout"] == name][:examples]
            for a in alts:
                lines.append(f"altered {name}: {a['file']} {a['loc']}: {a['expected']!r} -> {a['got']!r}")
    return "\n".join(lines)


def main(argv=None) -> int:
    """Stand-alone: generate (and self-check) the corpus, print its size per layout."""
    import argparse

    ap = argparse.ArgumentParser(description="write the irregular corpus and print its size")
    ap.add_argument("folder")
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args(argv)
    docs = build(scale=args.scale)
    write_corpus(docs, args.folder)
    sizes = {}
    for d in docs:
        s = sizes.setdefault(d.layout, [0, 0, 0])
        s[0] += 1
        s[1] += len(d.pii)
        s[2] += len(d.stay)
    for name, (files, pii, stay) in sizes.items():
        print(f"{name:<22} files {files:>3}  PII {pii:>5}  must-stay {stay:>5}")
    print(
        f"{'total':<22} files {len(docs):>3}  PII {sum(s[1] for s in sizes.values()):>5}  "
        f"must-stay {sum(s[2] for s in sizes.values()):>5}"
    )
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
