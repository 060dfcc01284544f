"""E-mail addresses, without tldextract (offline) and without swallowing Japanese around them.

Presidio's own regex took 「メールtaro@example.jpまで」 whole and then failed validation; here the
local part and the domain are ASCII only, so kana and kanji end the match.

>>> import re; re.search(EMAIL_REGEX, "メールtaro.y@example.jpまで").group()
'taro.y@example.jp'
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import JaPatternRecognizer

EMAIL_REGEX = (
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)


class EmailRecognizer(JaPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = [Pattern("email", EMAIL_REGEX, 0.85)]
    CONTEXT = ["メール", "mail", "e-mail", "email", "アドレス"]
