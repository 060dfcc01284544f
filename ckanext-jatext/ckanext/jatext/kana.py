"""Kana folding: one spelling for a reading however it was typed.

>>> reading_key("やまだ　たろう") == reading_key("ﾔﾏﾀﾞ ﾀﾛｳ") == reading_key("ヤマダ タロウ")
True
>>> reading_key("ジョーンズ") == reading_key("ジヨンズ"), reading_key("ヴィクトリア") == reading_key("ビクトリア")
(True, True)
>>> to_katakana("さとう ゔぃ"), full_width_kana("ｻﾄｳ ﾀﾞｲｽｹ")
('サトウ ヴィ', 'サトウ ダイスケ')
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

_SPACES = re.compile(r"[\s\u3000\u200b\ufeff]+")
_DOTS = re.compile(r"[・･·•.\u2027]")
_HALF_KANA = re.compile("[\uff61-\uff9f]+")
_SMALL_AND_OLD = str.maketrans(
    {
        "ァ": "ア",
        "ィ": "イ",
        "ゥ": "ウ",
        "ェ": "エ",
        "ォ": "オ",
        "ッ": "ツ",
        "ャ": "ヤ",
        "ュ": "ユ",
        "ョ": "ヨ",
        "ヮ": "ワ",
        "ヵ": "カ",
        "ヶ": "ケ",
        "ヴ": "ブ",
        "ヂ": "ジ",
        "ヅ": "ズ",
        "ヲ": "オ",
        "ヰ": "イ",
        "ヱ": "エ",
        "ー": "",
        "-": "",
        "‐": "",
        "−": "",
        "―": "",
    }
)
_VU_MAP = {"ヴァ": "バ", "ヴィ": "ビ", "ヴェ": "ベ", "ヴォ": "ボ", "ヴュ": "ビュ"}
_VU = re.compile("|".join(_VU_MAP))


def to_katakana(text: str) -> str:
    """Hiragana → katakana (other characters unchanged)."""
    return jaconv.hira2kata(text)


def full_width_kana(text: str) -> str:
    """Half-width katakana → full-width, voiced marks joined (ﾀﾞ → ダ); nothing else changes."""
    return _HALF_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def reading_key(value: object) -> str:
    """A reading (フリガナ / ふりがな) folded to large katakana without marks, spaces or dots."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    text = to_katakana(text)
    text = _SPACES.sub("", text)
    text = _DOTS.sub("", text)
    text = _VU.sub(lambda m: _VU_MAP[m.group(0)], text)
    return text.translate(_SMALL_AND_OLD).casefold()
