"""Residence card numbers (在留カード番号): two letters, eight digits, two letters (AB12345678CD).

>>> import re; bool(re.fullmatch(RESIDENCE_CARD_REGEX, "AB12345678CD"))
True
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import JaPatternRecognizer

RESIDENCE_CARD_REGEX = r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{8}[A-Z]{2}(?![A-Za-z0-9])"


class ResidenceCardRecognizer(JaPatternRecognizer):
    ENTITY = "JP_RESIDENCE_CARD"
    PATTERNS = [Pattern("residence_card", RESIDENCE_CARD_REGEX, 0.6)]
    CONTEXT = ["在留カード", "在留", "特別永住者証明書", "residence card"]
    CONTEXT_SCORE = 0.95
