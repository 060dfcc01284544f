"""Japanese telephone numbers (固定・携帯・IP・フリーダイヤル, +81), in either digit width.

Ten or eleven digits starting with 0 (or +81 for the leading 0); hyphens, spaces or brackets
between the groups; the dash may be ー between digits (folded before matching).

>>> is_valid("058-265-4141"), is_valid("090-1234-5678"), is_valid("+81-58-265-4141")
(True, True, True)
>>> is_valid("0582-65-41"), is_valid("2023-04-01")
(False, False)
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from ckanext.jatext.numbers import KANJI_DIGITS
from ckanext.jatext.width import digits

from .base import JaPatternRecognizer

_SEP = r"[ \-]?"


_KANJI_DIGIT = "[〇一二三四五六七八九]"
_KANJI_SEP = "[のー−－\\-、・ ]?"
# 「〇九〇の一三八二の八三〇八」: a number read aloud and written down in kanji digits.
KANJI_PHONE = (
    rf"(?<![〇一二三四五六七八九十百千]){_KANJI_DIGIT}{{2,5}}{_KANJI_SEP}{_KANJI_DIGIT}{{1,4}}"
    rf"{_KANJI_SEP}{_KANJI_DIGIT}{{4}}(?![〇一二三四五六七八九十百千])"
)


def compact(number: str) -> str:
    """Digits in national form (+81 becomes 0); kanji digits read as digits.

    >>> compact("〇九〇の一三八二の八三〇八"), compact("+81 58 265 4141")
    ('09013828308', '0582654141')
    """
    number = "".join(str(KANJI_DIGITS[c]) if c in KANJI_DIGITS else c for c in number.strip())
    if number.startswith("+81"):
        return "0" + digits(number[3:]).lstrip("0")
    return digits(number)


def is_valid(number: str) -> bool:
    number = compact(number)
    return len(number) in (10, 11) and number[0] == "0" and number[1] != "0"


class PhoneRecognizer(JaPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        Pattern(
            "jp_phone_separated",
            r"(?<![0-9\-])0[0-9]{1,4}(?:[ \-]|\)|[ \-]?\()[0-9]{1,4}(?:[ \-]|\))[0-9]{4}(?![0-9\-])",
            0.65,
        ),
        Pattern("jp_phone_bracket", r"\(0[0-9]{1,4}\) ?[0-9]{1,4}[ \-]?[0-9]{4}(?![0-9\-])", 0.65),
        Pattern(
            "jp_phone_intl",
            r"\+81" + _SEP + r"\(?0?[0-9]{1,4}\)?" + _SEP + r"[0-9]{1,4}" + _SEP + r"[0-9]{4}(?![0-9])",
            0.65,
        ),
        Pattern("jp_mobile_plain", r"(?<![0-9])0[789]0[0-9]{8}(?![0-9])", 0.6),
        Pattern("jp_phone_plain", r"(?<![0-9])0[1-9][0-9]{8}(?![0-9])", 0.5),
        Pattern("jp_phone_kanji", KANJI_PHONE, 0.6),
        # A number without its area code (239-6009): a phone only with a phone word near it.
        Pattern("jp_phone_local", r"(?<![0-9\-])[1-9][0-9]{2,3}-[0-9]{4}(?![0-9\-])", 0.3),
    ]
    CONTEXT = ["電話", "tel", "携帯", "連絡", "折り返し", "ファックス", "fax", "phone", "mobile", "でんわ"]

    def validate_result(self, pattern_text: str) -> bool | None:
        number = compact(pattern_text)
        if len(number) in (7, 8) and number[0] != "0":
            return None  # local number: kept only with a phone word near it
        return None if is_valid(pattern_text) else False
