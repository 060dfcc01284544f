"""Japanese passport numbers (旅券番号): two letters and seven digits (e.g. TK1234567).

>>> import re; bool(re.fullmatch(PASSPORT_REGEX, "TK1234567"))
True
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import JaPatternRecognizer

PASSPORT_REGEX = r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{7}(?![0-9A-Za-z])"


class PassportRecognizer(JaPatternRecognizer):
    ENTITY = "JP_PASSPORT"
    PATTERNS = [Pattern("jp_passport", PASSPORT_REGEX, 0.4)]
    CONTEXT = ["旅券", "パスポート", "passport"]
