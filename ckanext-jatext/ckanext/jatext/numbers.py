"""Kanji numerals as written in dates and addresses.

Both notations occur: positional (``二〇二四``, ``一九八〇``) and with unit characters (``五十五``,
``三十一``, ``百二``, ``千九百八十``).

>>> kanji_to_int("五十五"), kanji_to_int("十"), kanji_to_int("二〇二四"), kanji_to_int("百二")
(55, 10, 2024, 102)
>>> kanji_to_int("千九百八十"), kanji_to_int("三十一"), kanji_to_int("〇三")
(1980, 31, 3)
>>> to_int("55"), to_int("５５"), to_int("元"), to_int("五十五"), to_int("x")
(55, 55, 1, 55, None)
>>> digits_for_kanji("昭和五十五年三月一日")
'昭和55年3月1日'
"""

from __future__ import annotations

import re
import unicodedata

KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
# A character class (for regular expressions) of everything a kanji numeral is written with.
KANJI_NUMERAL_CHARS = "〇零一二三四五六七八九十百千"
KANJI_NUMBER = re.compile(f"[{KANJI_NUMERAL_CHARS}]+")


def kanji_to_int(text: str) -> int:
    """The value of a kanji numeral; raises ``ValueError`` for other characters."""
    if not text or any(ch not in KANJI_DIGITS and ch not in UNITS for ch in text):
        raise ValueError(f"not a kanji numeral: {text!r}")
    if not any(ch in UNITS for ch in text):  # positional: 二〇二四
        return int("".join(str(KANJI_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in KANJI_DIGITS:
            digit = KANJI_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    return total + (digit or 0)


def to_int(text: str) -> int | None:
    """A number written in digits of either width, in kanji, or ``元`` (the first year of an era)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text == "元":
        return 1
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        return kanji_to_int(text)
    except ValueError:
        return None


def digits_for_kanji(text: str) -> str:
    """Every kanji numeral of ``text`` written in digits. Only for text known to be a date or an
    address: in other text kanji numerals belong to words and names (一郎, 五十嵐)."""
    return KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group(0))), text)
