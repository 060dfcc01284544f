"""One cell against its column's type: conformant, fixable into the standard form, or wrong.

:func:`examine` returns a :class:`Verdict`: ``ok`` (already in the standard form), ``fix`` (the
intent is unambiguous and ``value`` is the standard form) or ``bad`` (a person has to look). Empty
cells are the caller's business (required or not).

>>> from ckanext.gifu.standards.spec import Column
>>> examine(Column("開始日", "date"), "令和7年4月1日")
Verdict(status='fix', value='2025-04-01')
>>> examine(Column("開始日", "date"), "2025-04-01"), examine(Column("開始日", "date"), "4月1日")
(Verdict(status='ok', value='2025-04-01'), Verdict(status='bad', value='4月1日'))
>>> examine(Column("開始時間", "time"), "８時３０分").value, examine(Column("t", "time"), "午後5時15分").value
('08:30', '17:15')
>>> examine(Column("緯度", "number", min=20, max=46), "３５．４２３").value
'35.423'
>>> examine(Column("緯度", "number", min=20, max=46), "136.76").status
'bad'
>>> flag = Column("小児対応設備の有無", "enum", values=("有", "無"), yes_value="有", no_value="無")
>>> [examine(flag, v).value for v in ("〇", "○", "あり", "×", "なし", "有")]
['有', '有', '有', '無', '無', '有']
>>> examine(Column("全国地方公共団体コード", "municipality_code"), "21201").value  # check digit added
'212016'
>>> examine(Column("法人番号", "corporate_number"), "５８３５６７８２５６２４６").value
'5835678256246'
>>> examine(Column("法人番号", "corporate_number"), "5835678256247").status  # wrong check digit
'bad'
>>> examine(Column("電話番号", "phone"), "058(265)4141").value
'058-265-4141'
>>> examine(Column("名称_カナ", "katakana"), "ｷﾞﾌｼﾔｸｼｮ").value, examine(Column("k", "katakana"), "ぎふ").value
('ギフシヤクショ', 'ギフ')
>>> examine(Column("利用可能曜日", "weekdays"), "月～金").value
'月火水木金'
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import NamedTuple

from stdnum.exceptions import ValidationError
from stdnum.jp import cn as corporate_number

from ckanext.gifu import municipality
from ckanext.gifu.standards.spec import Column
from ckanext.jatext import kana, wareki, width


class Verdict(NamedTuple):
    status: str  # "ok" | "fix" | "bad"
    value: str  # the standard form when "fix", else the value as given


# What each type expects, for the report: (日本語, English).
FORMATS: dict[str, tuple[str, str]] = {
    "string": ("文字列", "text"),
    "katakana": ("全角カタカナ（例：ギフシヤクショ）", "full-width katakana (e.g. ギフシヤクショ)"),
    "integer": ("半角数字の整数（例：120）", "an integer in ASCII digits (e.g. 120)"),
    "number": ("半角数字の数値（例：35.4232）", "a number in ASCII digits (e.g. 35.4232)"),
    "municipality_code": (
        "検査数字付き6桁の全国地方公共団体コード（例：212016）",
        "a six-digit local government code with its check digit (e.g. 212016)",
    ),
    "date": (
        "西暦の年月日 YYYY-MM-DD（例：2025-04-01）",
        "a Western-calendar date YYYY-MM-DD (e.g. 2025-04-01)",
    ),
    "time": ("24時間制の時刻 hh:mm（例：08:30）", "a 24-hour time hh:mm (e.g. 08:30)"),
    "phone": ("半角の電話番号（例：058-265-4141）", "a phone number in ASCII digits (e.g. 058-265-4141)"),
    "corporate_number": (
        "検査数字付き13桁の法人番号（例：5835678256246）",
        "a 13-digit corporate number with its check digit (e.g. 5835678256246)",
    ),
    "enum": ("次のいずれか：{values}", "one of: {values}"),
    "url": ("http:// または https:// で始まるURL", "a URL starting with http:// or https://"),
    "weekdays": ("曜日を続けて書いたもの（例：月火水木金）", "weekdays written together (e.g. 月火水木金)"),
}

_YES = frozenset(
    {"〇", "○", "◯", "●", "◎", "有", "有り", "あり", "アリ", "はい", "yes", "y", "true", "1", "可"}
)
_NO = frozenset(
    {"×", "✕", "✖", "x", "無", "無し", "なし", "ナシ", "いいえ", "no", "n", "false", "0", "-", "不可"}
)

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00")
_LOOSE_TIME = re.compile(
    r"(午前|午後|AM|PM)?\s*([0-9]{1,2})\s*(?:[:時]\s*([0-9]{1,2})?\s*分?)(?::([0-9]{2}))?\s*(AM|PM)?",
    re.IGNORECASE,
)
_PHONE = re.compile(r"0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}|0[0-9]{9,10}")
_PHONE_PARENS = re.compile(r"(0[0-9]{1,4})\(([0-9]{1,4})\)([0-9]{3,4})")
_KATAKANA = re.compile(r"[\u30a0-\u30ff\u3000 A-Za-z0-9・ー()（）]+")
_URL = re.compile(r"https?://[^\s]+")
_WEEKDAYS = "月火水木金土日祝"
_WEEKDAY_SEPARATORS = re.compile(r"[・、,，/／\s]|曜日?")
_WEEKDAY_RANGE = re.compile(r"([月火水木金土日])[～〜~\-－―ー]([月火水木金土日])")
# Excel's day numbers (1900 date system) of 1955..2064: a date column exported without its format.
_EXCEL_SERIAL = re.compile(r"[2-5][0-9]{4}")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", width.fold(value)).strip()


def _in_range(number: float, column: Column) -> bool:
    return (column.min is None or number >= column.min) and (column.max is None or number <= column.max)


def _verdict(value: str, fixed: str | None) -> Verdict:
    if fixed is None:
        return Verdict("bad", value)
    return Verdict("ok" if fixed == value else "fix", fixed)


def _integer(value: str, column: Column) -> str | None:
    text = _nfkc(value).replace(",", "")
    if not _INTEGER.fullmatch(text) or not _in_range(int(text), column):
        return None
    return str(int(text))


def _number(value: str, column: Column) -> str | None:
    text = _nfkc(value).replace(",", "")
    if not _NUMBER.fullmatch(text) or not _in_range(float(text), column):
        return None
    return text


def _municipality_code(value: str, column: Column) -> str | None:
    code = municipality.compact(value)
    if len(code) == 5 and code.isascii() and code.isdigit():  # written without its check digit
        code += municipality.calc_check_digit(code)
    return code if municipality.is_valid(code) else None


def _date(value: str, column: Column) -> str | None:
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    folded = _nfkc(text)
    if _EXCEL_SERIAL.fullmatch(folded):
        return (_EXCEL_EPOCH + dt.timedelta(days=int(folded))).isoformat()
    # Lenient about era ends: 平成31年5月1日 is what offices wrote for 令和元年5月1日.
    date = wareki.parse(text, strict=False)
    return date.isoformat() if date else None


def _time(value: str, column: Column) -> str | None:
    text = _nfkc(value)
    if _TIME.fullmatch(text):
        return text
    m = _LOOSE_TIME.fullmatch(text)
    if not m:
        return None
    before, hour, minute, second, after = m.groups()
    meridiem = (before or after or "").upper()
    h, mi = int(hour), int(minute or 0)
    if second not in (None, "00") or mi > 59:
        return None  # seconds would be lost
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem in ("午後", "PM") else 0)
    if h > 24 or (h == 24 and mi):
        return None
    return f"{h:02d}:{mi:02d}"


def _phone(value: str, column: Column) -> str | None:
    text = _nfkc(value).replace(" ", "")
    text = _PHONE_PARENS.sub(r"\1-\2-\3", text)
    if not _PHONE.fullmatch(text) or not 10 <= len(text.replace("-", "")) <= 11:
        return None
    return text


def _corporate_number(value: str, column: Column) -> str | None:
    try:
        return str(corporate_number.validate(_nfkc(value)))
    except ValidationError:
        return None


def _enum(value: str, column: Column) -> str | None:
    if value in column.values:
        return value
    text = _nfkc(value)
    if text in column.values:
        return text
    key = text.casefold()
    if column.yes_value is not None and key in _YES:
        return column.yes_value
    if column.no_value is not None and key in _NO:
        return column.no_value
    return None


def _katakana(value: str, column: Column) -> str | None:
    text = kana.to_katakana(kana.full_width_kana(value.strip()))
    return text if _KATAKANA.fullmatch(text) else None


def _url(value: str, column: Column) -> str | None:
    text = value.strip()
    if not _URL.fullmatch(text):
        text = _nfkc(text)
    return text if _URL.fullmatch(text) else None


def _weekdays(value: str, column: Column) -> str | None:
    text = _nfkc(value).replace("平日", "月火水木金")
    text = _WEEKDAY_RANGE.sub(
        lambda m: _WEEKDAYS[_WEEKDAYS.index(m.group(1)) : _WEEKDAYS.index(m.group(2)) + 1], text
    )
    text = _WEEKDAY_SEPARATORS.sub("", text)
    if not text or any(ch not in _WEEKDAYS for ch in text):
        return None
    return "".join(sorted(set(text), key=_WEEKDAYS.index))


def _string(value: str, column: Column) -> str | None:
    if column.pattern is None or re.fullmatch(column.pattern, value):
        return value
    folded = _nfkc(value)
    return folded if re.fullmatch(column.pattern, folded) else None


_CHECKS = {
    "string": _string,
    "katakana": _katakana,
    "integer": _integer,
    "number": _number,
    "municipality_code": _municipality_code,
    "date": _date,
    "time": _time,
    "phone": _phone,
    "corporate_number": _corporate_number,
    "enum": _enum,
    "url": _url,
    "weekdays": _weekdays,
}


@functools.lru_cache(maxsize=65536)
def examine(column: Column, value: str) -> Verdict:
    """The verdict on one non-empty cell (files repeat values: cached)."""
    return _verdict(value, _CHECKS[column.type](value, column))


def expected(column: Column) -> tuple[str, str]:
    """What the column expects, in Japanese and English, for the report."""
    ja, en = FORMATS[column.type]
    if column.type == "enum":
        shown = "、".join(f"「{v}」" if v else "空欄" for v in column.values)
        ja, en = ja.format(values=shown), en.format(values=shown)
    if column.min is not None or column.max is not None:
        low = "" if column.min is None else f"{column.min:g}"
        high = "" if column.max is None else f"{column.max:g}"
        ja, en = f"{ja}、範囲 {low}〜{high}", f"{en}, range {low} to {high}"
    if column.pattern:
        ja, en = f"{ja}（形式 {column.pattern}）", f"{en} (format {column.pattern})"
    return ja, en
