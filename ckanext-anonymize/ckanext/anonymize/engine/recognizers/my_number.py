"""My Number (個人番号): the 12-digit individual number of residents of Japan.

A 個人識別符号: finding one blocks publishing. Often written 4-4-4 with spaces, hyphens or dots, in
either digit width. The last digit is a check digit; the maths lives in ``stdnum.jp.in_``.

>>> is_valid("123456789018"), is_valid("１２３４ ５６７８ ９０１８"), is_valid("123456789017")
(True, True, False)
>>> compact("1234-5678-9018")
'123456789018'
>>> calc_check_digit("12345678901")
'8'
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.jp import in_

from ckanext.jatext.width import digits

from .base import JaPatternRecognizer


def compact(number: str) -> str:
    """The 12 digits alone (separators and full-width digits folded)."""
    return digits(number)


def calc_check_digit(first11: str) -> str:
    return in_.calc_check_digit(compact(first11))


def is_valid(number: str) -> bool:
    number = compact(number)
    return len(number) == 12 and in_.is_valid(number)


class MyNumberRecognizer(JaPatternRecognizer):
    ENTITY = "MY_NUMBER"
    PATTERNS = [
        Pattern("my_number_grouped", r"(?<![0-9])[0-9]{4}[ \-.][0-9]{4}[ \-.][0-9]{4}(?![0-9])", 0.6),
        Pattern("my_number", r"(?<![0-9])[0-9]{12}(?![0-9])", 0.6),
    ]
    CONTEXT = ["マイナンバー", "個人番号", "my number", "mynumber", "個人番号カード"]

    def validate_result(self, pattern_text: str) -> bool | None:
        # Valid check digit → certain; a wrong one → not a My Number.
        return is_valid(pattern_text)
