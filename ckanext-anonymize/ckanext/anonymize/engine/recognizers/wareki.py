"""Japanese era dates (和暦) and Western dates as written in Japanese files, to ``datetime.date``.

Eras by name or initial (明治 M, 大正 T, 昭和 S, 平成 H, 令和 R); the first year is 元年. A date
outside its era (平成31年5月1日, 令和元年4月30日) is not a date.

>>> parse("令和元年5月1日"), parse("S55.3.1"), parse("H3/4/5")
(datetime.date(2019, 5, 1), datetime.date(1980, 3, 1), datetime.date(1991, 4, 5))
>>> parse("平成31年4月30日"), parse("平成31年5月1日"), parse("令和元年4月30日")
(datetime.date(2019, 4, 30), None, None)
>>> parse("昭和64年1月7日"), parse("昭和64年1月8日"), parse("1980年2月30日")
(datetime.date(1989, 1, 7), None, None)
>>> parse("１９８０－０３－０１")
datetime.date(1980, 3, 1)
"""
from __future__ import annotations

import datetime as dt
import re

from ..width import fold

# name, initial, first day, last day
ERAS = [
    ("明治", "M", dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    ("大正", "T", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    ("昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    ("平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    ("令和", "R", dt.date(2019, 5, 1), dt.date(9999, 12, 31)),
]
_BY_KEY = {key: era for era in ERAS for key in (era[0], era[1])}

ERA_DATE = (r"(?<![A-Za-z])(?:明治|大正|昭和|平成|令和|[MTSHR]\.?) ?(?:[0-9]{1,2}|元) ?(?:年|[./\-]) ?"
            r"[0-9]{1,2} ?(?:月|[./\-]) ?[0-9]{1,2}(?: ?日)?(?![0-9])")
WESTERN_DATE = (r"(?<![0-9])(?:1[89][0-9]{2}|20[0-9]{2}) ?(?:年|[./\-]) ?[0-9]{1,2} ?(?:月|[./\-]) ?"
                r"[0-9]{1,2}(?: ?日)?(?![0-9])")
_PARTS = re.compile(r"(明治|大正|昭和|平成|令和|[MTSHR]|[0-9]{4})\.? ?([0-9]{1,2}|元)?[^0-9元]*?"
                    r"([0-9]{1,2})[^0-9]+([0-9]{1,2})", re.I)


def to_date(era: str, year: int, month: int, day: int, strict: bool = True) -> dt.date | None:
    """The date of an era year, or None when it does not exist or (``strict``) lies outside the
    era. Lenient mode accepts what people write across an era change (平成31年5月1日)."""
    name, _, first, last = _BY_KEY[era.upper() if len(era) == 1 else era]
    try:
        date = dt.date(first.year + year - 1, month, day)
    except ValueError:
        return None
    if year < 1:
        return None
    if strict:
        return date if first <= date <= last else None
    return date if first.year <= date.year <= last.year + 1 else None


def parse(text: str, strict: bool = True) -> dt.date | None:
    """Parse one date written in 和暦 or 西暦 (either digit width).

    >>> parse("平成31年5月1日", strict=False), parse("S1.3.27", strict=False)
    (datetime.date(2019, 5, 1), datetime.date(1926, 3, 27))
    """
    m = _PARTS.match(fold(text).strip())
    if not m:
        return None
    era, year, month, day = m.groups()
    try:
        if era.isdigit():
            if year is not None:
                return None
            return dt.date(int(era), int(month), int(day))
        return to_date(era, 1 if year == "元" else int(year or 0), int(month), int(day), strict)
    except (ValueError, KeyError):
        return None
