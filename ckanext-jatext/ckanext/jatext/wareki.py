"""Dates as written in Japanese files: 和暦 and 西暦, to ``datetime.date``.

Eras by name, initial or ligature (明治 M ㍾, 大正 T ㍽, 昭和 S ㍼, 平成 H ㍻, 令和 R ㋿); the first year
is 元年; digits of either width or kanji numerals; a trailing 生 / 生まれ and a spreadsheet's
time of day are ignored.

>>> parse("令和元年5月1日"), parse("S55.3.1"), parse("H3/4/5")
(datetime.date(2019, 5, 1), datetime.date(1980, 3, 1), datetime.date(1991, 4, 5))
>>> parse("昭和五十五年三月一日生"), parse("㍼55年3月1日"), parse("平成元年十二月三十一日生まれ")
(datetime.date(1980, 3, 1), datetime.date(1980, 3, 1), datetime.date(1989, 12, 31))
>>> parse("１９８０－０３－０１"), parse("19800301"), parse("1980-03-01 00:00:00")
(datetime.date(1980, 3, 1), datetime.date(1980, 3, 1), datetime.date(1980, 3, 1))

A date outside its era (平成31年5月1日, 令和元年4月30日) is not a date, unless ``strict=False``
accepts what people write across an era change:

>>> parse("平成31年4月30日"), parse("平成31年5月1日"), parse("令和元年4月30日")
(datetime.date(2019, 4, 30), None, None)
>>> parse("平成31年5月1日", strict=False), parse("昭和64年1月8日", strict=False)
(datetime.date(2019, 5, 1), datetime.date(1989, 1, 8))
>>> parse("1980年2月30日"), parse("55.3.1"), parse("X55.3.1"), parse("昭和")
(None, None, None, None)

``ERA_DATE`` and ``WESTERN_DATE`` are the same notations as regular expressions for running
text that was folded with :func:`.fold.fold_map` (ASCII digits, era names, kanji numerals):

>>> import re
>>> [m.group() for m in re.finditer(ERA_DATE, "昭和五十五年三月一日生、H3.4.5、令和元年5月1日、昭和二〇年八月十九日")]
['昭和五十五年三月一日', 'H3.4.5', '令和元年5月1日', '昭和二〇年八月十九日']
>>> [m.group() for m in re.finditer(WESTERN_DATE, "1976/3/23 と 一九八〇年三月一日")]
['1976/3/23', '一九八〇年三月一日']
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .numbers import KANJI_NUMBER, kanji_to_int
from .width import fold

# name, initial, first day, last day
ERAS = [
    ("明治", "M", dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    ("大正", "T", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    ("昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    ("平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    ("令和", "R", dt.date(2019, 5, 1), dt.date(9999, 12, 31)),
]
_BY_KEY = {key: era for era in ERAS for key in (era[0], era[1])}

_K = "〇一二三四五六七八九十"
_N2 = rf"(?:[0-9]{{1,2}}|[{_K}]{{1,3}})"
ERA_DATE = (
    rf"(?<![A-Za-z])(?:明治|大正|昭和|平成|令和|[MTSHR]\.?) ?(?:[0-9]{{1,2}}|元|[{_K}]{{1,3}}) ?"
    rf"(?:年|[./\-]) ?{_N2} ?(?:月|[./\-]) ?{_N2}(?: ?日)?(?![0-9])"
)
WESTERN_DATE = (
    rf"(?<![0-9])(?:1[89][0-9]{{2}}|20[0-9]{{2}}|[一二][〇九][{_K}]{{2}}) ?(?:年|[./\-]) ?"
    rf"{_N2} ?(?:月|[./\-]) ?{_N2}(?: ?日)?(?![0-9])"
)

_TIME_SUFFIX = re.compile(r"[T\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_BIRTH_SUFFIX = re.compile(r"(?:生まれ|生|誕生)$")
_ERA_FORM = re.compile(
    r"(明治|大正|昭和|平成|令和|[MTSHR])\.?(\d{1,2}|元)[年./\-](\d{1,2})[月./\-](\d{1,2})日?", re.IGNORECASE
)
_WESTERN_FORM = re.compile(r"(\d{4})[年./\-](\d{1,2})[月./\-](\d{1,2})日?")
_COMPACT_FORM = re.compile(r"(\d{4})(\d{2})(\d{2})")


def to_date(era: str, year: int, month: int, day: int, strict: bool = True) -> dt.date | None:
    """The date of an era year, or None when it does not exist or (``strict``) lies outside the
    era. Lenient mode accepts a date up to a year past the era's end (平成31年5月1日).

    >>> to_date("S", 55, 3, 1), to_date("令和", 0, 1, 1)
    (datetime.date(1980, 3, 1), None)
    """
    _name, _, first, last = _BY_KEY[era.upper() if len(era) == 1 else era]
    if year < 1:
        return None
    try:
        date = dt.date(first.year + year - 1, month, day)
    except ValueError:
        return None
    if strict:
        return date if first <= date <= last else None
    return date if first.year <= date.year <= last.year + 1 else None


ERA_CODES = {"1": "明治", "2": "大正", "3": "昭和", "4": "平成", "5": "令和"}
_ERA_CODE = re.compile(r"([1-5])(\d{2})(\d{2})(\d{2})")


def parse_code(text: str, strict: bool = False) -> dt.date | None:
    """A date in the 7-digit era code of municipal systems: era digit (1 明治, 2 大正, 3 昭和,
    4 平成, 5 令和), then year, month and day in two digits each.

    >>> parse_code("3550301"), parse_code("4010108"), parse_code("5061224"), parse_code("1234567")
    (datetime.date(1980, 3, 1), datetime.date(1989, 1, 8), datetime.date(2024, 12, 24), None)
    """
    m = _ERA_CODE.fullmatch(fold(unicodedata.normalize("NFKC", str(text))).strip())
    if not m:
        return None
    era, year, month, day = m.groups()
    return to_date(ERA_CODES[era], int(year), int(month), int(day), strict)


def _canonical(text: str) -> str:
    """NFKC (ligatures, widths), ASCII dashes, no spaces, no time of day, no 生まれ, digits for
    kanji numerals."""
    text = fold(unicodedata.normalize("NFKC", str(text)))
    text = _TIME_SUFFIX.sub("", text.strip())
    text = "".join(text.split())
    text = _BIRTH_SUFFIX.sub("", text)
    return KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group(0))), text)


def parse(text: str, strict: bool = True) -> dt.date | None:
    """One date written in 和暦 or 西暦 (the whole text); None when it is not one."""
    text = _canonical(text)
    m = _ERA_FORM.fullmatch(text)
    if m:
        era, year, month, day = m.groups()
        return to_date(era, 1 if year == "元" else int(year), int(month), int(day), strict)
    m = _WESTERN_FORM.fullmatch(text) or _COMPACT_FORM.fullmatch(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None
