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
# Children's and furigana names in hiragana (やまもと みき), and a hiragana surname before an
# honorific (やました さん); common words that take さん (みなさん, おばあさん) are not names.
HIRAGANA_NAME_REGEX = r"(?<![ぁ-ゖー])[ぁ-ゖ][ぁ-ゖー]{1,6}[ 　][ぁ-ゖ][ぁ-ゖー]{0,6}(?![ぁ-ゖー])"
HIRAGANA_HONORIFIC_REGEX = (
    r"(?<![ぁ-ゖー])(?!(?:みな|おじい|おばあ|おかあ|おとう|おにい|おねえ|おじ|おば|"
    r"あかちゃ|ねえ|にい|ばあ|じい|かあ|とう|おまわり|おいしゃ)[ 　]?(?:さん|さま))"
    r"[ぁ-ゖ]{2,6}(?=[ 　]?(?:さん|くん|ちゃん|さま|様))"
)


class KanaNameRecognizer(JaPatternRecognizer):
    ENTITY = "PERSON"
    PATTERNS = [
        Pattern("kana_name", KANA_NAME_REGEX, 0.4),
        Pattern("hiragana_name", HIRAGANA_NAME_REGEX, 0.3),
        Pattern("hiragana_honorific", HIRAGANA_HONORIFIC_REGEX, 0.6),
    ]
    CONTEXT = [
        "名義",
        "フリガナ",
        "ふりがな",
        "カナ",
        "氏名",
        "名前",
        "口座",
        "振込",
        "普通",
        "当座",
        "本人",
        "申請者",
        "連絡者",
        "担当者",
        "代表者",
        "保護者",
        "なまえ",
        "よみ",
        "児童",
        "園児",
    ]
    CONTEXT_AFTER = ["様", "さん", "氏", "くん", "ちゃん"]
    WINDOW_BEFORE = 24
