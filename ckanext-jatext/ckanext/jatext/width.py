"""Length-preserving width folding for matching.

Japanese files mix full- and half-width digits, letters and hyphens (``０５８－２６５－４１４１``).
NFKC would fold them but changes string length (``㈱`` → ``(株)``), which breaks offsets; this
module maps one character to one character, so spans found on the folded text apply to the
original.

>>> fold("０５８－２６５－４１４１")
'058-265-4141'
>>> fold("TEL０５８ー２６５ー４１４１（代）")
'TEL058-265-4141(代)'
>>> fold("コーポ") == "コーポ"   # the long-vowel mark stays outside digit runs
True
>>> len(fold("㈱ｶﾞｽ")) == len("㈱ｶﾞｽ")
True
"""

from __future__ import annotations

import re

_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # ！..～ → !..~
_TABLE.update(
    {
        0x3000: 0x20,
        0x2010: 0x2D,
        0x2011: 0x2D,
        0x2012: 0x2D,
        0x2013: 0x2D,
        0x2014: 0x2D,
        0x2015: 0x2D,
        0x2212: 0x2D,
        0xFE63: 0x2D,
    }
)
# ー (long-vowel mark) and ｰ are hyphens only between digits (058ー265ー4141).
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[ーｰ](?=[0-9])")


def fold(text: str) -> str:
    """Fold full-width ASCII, ideographic space and dash variants; same length as ``text``."""
    folded = text.translate(_TABLE)
    if "ー" in folded or "ｰ" in folded:
        folded = _DASH_BETWEEN_DIGITS.sub("-", folded)
    return folded


def digits(text: str) -> str:
    """Only the digits of ``text`` (either width).

    >>> digits("１２３４ 5678-9018")
    '123456789018'
    """
    return "".join(ch for ch in fold(text) if "0" <= ch <= "9")
