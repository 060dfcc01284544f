"""Names written in katakana (フリガナ, 口座名義): two katakana words separated by a space.

Katakana pairs are also product and place names, so the pattern alone stays under the threshold;
a word such as 名義, フリガナ, 振込, 様 nearby makes it a name.

>>> import re; re.search(KANA_NAME_REGEX, "（ヤマグチ レイ）").group()
'ヤマグチ レイ'
"""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import JaPatternRecognizer

KANA_NAME_REGEX = r"(?<![ァ-ヴー])[ァ-ヴ][ァ-ヴー]{1,7} [ァ-ヴ][ァ-ヴー]{0,7}(?![ァ-ヴー])"


class KanaNameRecognizer(JaPatternRecognizer):
    ENTITY = "PERSON"
    PATTERNS = [Pattern("kana_name", KANA_NAME_REGEX, 0.4)]
    CONTEXT = ["名義", "フリガナ", "ふりがな", "カナ", "氏名", "名前", "口座", "振込", "普通", "当座",
               "本人", "申請者", "連絡者", "担当者", "代表者", "保護者"]
    CONTEXT_AFTER = ["様", "さん", "氏"]
    WINDOW_BEFORE = 24
