"""Japanese postal codes (郵便番号): three digits, a hyphen, four digits; 〒 or context makes it sure.

>>> is_valid("〒500-8701"), is_valid("5008701"), is_valid("500-870")
(True, True, False)
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from ckanext.jatext.width import digits

from .base import JaPatternRecognizer


def is_valid(code: str) -> bool:
    return len(digits(code)) == 7


class PostalCodeRecognizer(JaPatternRecognizer):
    ENTITY = "JP_POSTAL_CODE"
    PATTERNS = [
        Pattern("postal_mark", r"〒 ?[0-9]{3}-?[0-9]{4}(?![0-9])", 0.9),
        Pattern("postal_bare", r"(?<![0-9\-])[0-9]{3}-[0-9]{4}(?![0-9\-])", 0.35),
    ]
    CONTEXT = ["郵便番号", "郵便", "〒", "postal", "zip"]

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if is_valid(pattern_text) else False
