"""Where a table starts: title lines, a header of one or two rows, or no header at all.

Office exports rarely start with a clean header: a ledger system writes records from the first
line, Excel users put a title and a blank line above a header whose categories are merged cells
(「基本情報」 over 氏名 and 生年月日). The first row is therefore never trusted:

- title rows: above the table, blank or a single cell that is not a value (no date, number...);
- header rows: text only, short, made of header words or unlike the values below them; a second
  header row is taken when the first one is a row of categories with merged (blank) cells;
- when unsure, a row is data. Whatever the verdict, the engine scans every one of these cells:
  a row the analyzer finds personal data in is data, never a header (``personal`` below).

>>> s = detect([["岐阜市 受付簿"], [""], ["氏名", "生年月日"], ["山田太郎", "1976/3/23"]], 2)
>>> s.title_rows, s.header_rows, s.names
(2, 1, ['氏名', '生年月日'])
>>> s = detect([["基本情報", "", "連絡先"], ["氏名", "生年月日", "電話"], ["山田", "S51.3.23", "090-1234-5678"]], 3)
>>> s.header_rows, s.names
(2, ['基本情報 氏名', '基本情報 生年月日', '連絡先 電話'])
>>> detect([["山田 太郎", "1976/3/23", "090-1234-5678"], ["佐藤 花子", "1980/5/2", "080-2345-6789"]], 3).header_rows
0
>>> detect([["項目", "内容"], ["氏名", "山田太郎"], ["生年月日", "1976/3/23"], ["住所", "岐阜市"]], 2).label_columns
(0,)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ckanext.jatext import wareki
from ckanext.jatext.headers import header_key
from ckanext.jatext.width import fold

from .vocabulary import core, is_header_word

MAX_TITLE_ROWS = 9
_NUMBER = re.compile(r"[-+]?[0-9][0-9,]*(?:\.[0-9]+)?%?")
_CODE = re.compile(r"[0-9A-Za-z\-_./:#]+")
_DIGIT = re.compile(r"[0-9]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9()\- ]{9,15}")


def kind(cell: str) -> str:
    """What a cell holds at a glance: empty, date, number, code, email, phone, mixed, text.

    >>> [kind(c) for c in ("", "S55.3.1", "1,234", "R6-00012", "a@b.jp", "058-265-4141", "長良1-2", "氏名")]
    ['empty', 'date', 'number', 'code', 'email', 'phone', 'mixed', 'text']
    """
    s = fold(cell or "").strip()
    if not s:
        return "empty"
    if wareki.parse(s, strict=False) is not None:
        return "date"
    if _NUMBER.fullmatch(s):
        return "number"
    if _EMAIL.fullmatch(s):
        return "email"
    if _PHONE.fullmatch(s) and len(re.sub(r"\D", "", s)) in (10, 11) and s.lstrip("+(")[:1] in "0+8":
        return "phone"
    if _CODE.fullmatch(s) and _DIGIT.search(s):
        return "code"
    if _DIGIT.search(s):
        return "mixed"
    return "text"


@dataclass
class Structure:
    title_rows: int = 0  # rows above the header (titles, notes, blank)
    header_rows: int = 0  # 0 (no header), 1 or 2
    names: list[str] = field(default_factory=list)  # a name per column ("" where none)
    label_columns: tuple[int, ...] = ()  # a form (項目 | 内容): the columns naming the values beside them
    reason: str = ""

    @property
    def data_start(self) -> int:
        return self.title_rows + self.header_rows


def _filled(row: Sequence[str]) -> list[int]:
    return [i for i, c in enumerate(row) if c and c.strip()]


def _is_title(row: Sequence[str], width: int) -> bool:
    filled = _filled(row)
    if not filled:
        return True
    cell = row[filled[0]].strip()
    # A lone short header word (氏名 over a one-column table) is a header, not a title.
    return (
        width >= 2
        and len(filled) == 1
        and kind(cell) in ("text", "mixed")
        and len(cell) >= 2
        and not (len(cell) <= 6 and is_header_word(cell))
    )


def _header_like(row: Sequence[str], below: Sequence[Sequence[str]]) -> bool:
    """Text only, short, distinct; made of header words or unlike the column values below."""
    filled = _filled(row)
    if len(filled) < min(2, len(row)):
        return False
    cells = [row[i].strip() for i in filled]
    if any(kind(core(c)) != "text" and not is_header_word(c) for c in cells) or any(
        len(c) > 24 for c in cells
    ):
        return False
    if len({header_key(c) for c in cells}) < len(cells):
        return False
    if sum(1 for c in cells if is_header_word(c)) >= max(1, len(cells) // 3):
        return True
    # Unlike the values below: some column below holds values of another kind, and no header
    # cell reappears as a value in its own column.
    contrast = False
    for i in filled:
        column = [r[i] for r in below if len(r) > i and r[i] and r[i].strip()]
        if row[i].strip() in (v.strip() for v in column):
            return False
        kinds = [kind(v) for v in column]
        if kinds and sum(1 for k in kinds if k != "text") >= 0.5 * len(kinds):
            contrast = True
    return contrast


def _category_row(row: Sequence[str], below: Sequence[str]) -> bool:
    """A row of categories over a header: blanks where merged cells continue, and the row
    below has more filled cells."""
    return 0 < len(_filled(row)) < len(_filled(below)) and len(_filled(below)) >= 2


def _names(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    if len(rows) == 1:
        return [(rows[0][i] if i < len(rows[0]) else "").strip() for i in range(width)]
    top, bottom = rows
    names, category = [], ""
    for i in range(width):
        cell = (top[i] if i < len(top) else "").strip()
        category = cell or category  # merged cells: the category continues rightwards
        field_name = (bottom[i] if i < len(bottom) else "").strip()
        names.append(" ".join(x for x in (category, field_name) if x) if field_name else category)
    return names


# Headers of the label column of a form (項目 | 内容).
FORM_HEADERS = ("項目", "項目名", "記入項目", "見出し", "区分名", "item", "key", "field", "label")


def _label_columns(
    rows: Sequence[Sequence[str]], width: int, names: Sequence[str] | None = None
) -> tuple[int, ...]:
    """A form laid out as 項目 | 内容 (| 項目 | 内容): the columns whose cells name the value on
    their right. Under a header only a column headed like 項目 (or blank) can be one, so that a
    table's 区分 column of 住所変更, 氏名変更 … never turns its neighbours into personal data."""
    if width < 2 or width > 8:
        return ()
    found: list[int] = []
    for c in range(0, width - 1):
        if names is not None and header_key(names[c]) not in FORM_HEADERS + ("",):
            continue
        labels = [r[c] for r in rows if len(r) > c and r[c].strip()]
        if (
            len(labels) >= 3
            and sum(1 for x in labels if is_header_word(x)) >= 0.6 * len(labels)
            and len({header_key(x) for x in labels}) >= 3
            and (not found or found[-1] < c - 1)
        ):
            found.append(c)
    return tuple(found)


def detect(
    rows: Sequence[Sequence[str]],
    width: int,
    personal: Callable[[Sequence[str]], bool] | None = None,
    fixed_header: bool = False,
) -> Structure:
    """The structure of a table from its first rows (``rows[0]`` is the file's first row).

    ``personal(cells)`` tells whether the analyzer finds personal data in a row: such a row is
    data. ``fixed_header``: the first row is a header by construction (JSON keys).
    """
    personal = personal or (lambda cells: False)
    if fixed_header:
        return Structure(0, 1, _names(rows[:1], width), (), "見出し（JSONのキー）/ keys of the records")
    i = 0
    # Title rows are scanned as free text by the engine; a lone value (a date, a number) is data.
    while i < min(len(rows) - 1, MAX_TITLE_ROWS) and _is_title(rows[i], width):
        i += 1
    titles = i
    if titles == len(rows):
        return Structure(titles, 0, [""] * width, (), "データ行なし / no data rows")
    below = rows[i + 1 : i + 21]
    if i < len(rows) and _header_like(rows[i], below) and not personal(rows[i]):
        header = 1
        if (
            i + 1 < len(rows)
            and _category_row(rows[i], rows[i + 1])
            and _header_like(rows[i + 1], rows[i + 2 : i + 22])
            and not personal(rows[i + 1])
        ):
            header = 2
        names = _names(rows[i : i + header], width)
        data = rows[i + header :]
        labels = _label_columns(list(data), width, names) if header == 1 else ()
        reason = "見出し2行（分類・項目）/ two header rows" if header == 2 else "見出し行 / header row"
        return Structure(titles, header, names, labels, reason)
    return Structure(
        titles,
        0,
        [""] * width,
        _label_columns(rows[i:], width),
        "見出し行なし（1行目からデータ）/ no header row: the first row is data",
    )
