"""Bank account numbers (口座番号): seven digits beside 口座/普通/当座, or ゆうちょ 記号-番号.

>>> import re; bool(re.search(ACCOUNT_REGEX, "普通 1234567"))
True
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import JaPatternRecognizer

ACCOUNT_REGEX = r"(?<![0-9\-])[0-9]{7,8}(?![0-9\-])"
YUCHO_REGEX = r"(?<![0-9\-])1[0-9]{4}-[0-9]{6,8}(?![0-9\-])"


class BankAccountRecognizer(JaPatternRecognizer):
    ENTITY = "JP_BANK_ACCOUNT"
    PATTERNS = [Pattern("account", ACCOUNT_REGEX, 0.1), Pattern("yucho", YUCHO_REGEX, 0.3)]
    CONTEXT = ["口座", "普通", "当座", "預金", "貯金", "支店", "ゆうちょ", "振込", "account"]
    CONTEXT_SCORE = 0.8
