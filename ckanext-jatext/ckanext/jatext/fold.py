"""Folding for detection, with a map back to the original text.

Recognizers match one spelling; people write several. :func:`fold_map` turns a text into the
spelling the recognizers expect and remembers where each folded character came from, so a span
found in the folded text can be cut out of the original:

- full-width ASCII, ideographic space and dash variants → ASCII (as :func:`.width.fold`);
- half-width katakana → full-width, a voiced mark joined to its kana (``ｻﾄｳ ﾀﾞｲｽｹ`` →
  ``サトウ ダイスケ``, which changes the length);
- era ligatures → era names (``㍼`` → ``昭和``, ``㋿`` → ``令和``).

Kanji numerals are left alone: they are part of names (一郎, 五十嵐); the date patterns read them.

>>> f = fold_map("ｻﾄｳ ﾀﾞｲｽｹ様 ㍼55年")
>>> f.text
'サトウ ダイスケ様 昭和55年'
>>> start = f.text.index("ダイスケ"); f.original_span(start, start + 4)
(4, 9)
>>> f.original_span(f.text.index("昭和"), len(f.text))
(11, 15)
>>> fold_map("０５８－２６５－４１４１").text
'058-265-4141'
"""

from __future__ import annotations

import re
import unicodedata

from .width import fold

ERA_LIGATURES = {"㍾": "明治", "㍽": "大正", "㍼": "昭和", "㍻": "平成", "㋿": "令和"}
_VOICED_MARKS = "\uff9e\uff9f"  # ﾞ ﾟ
_NEEDS_MAP = re.compile("[\uff61-\uff9f" + "".join(ERA_LIGATURES) + "]")


class Folded:
    """A folded text and the original span of each of its characters."""

    __slots__ = ("_ends", "_starts", "text")

    def __init__(self, text: str, starts: list[int] | None = None, ends: list[int] | None = None):
        self.text = text
        self._starts = starts  # None: same length as the original, offsets are the same
        self._ends = ends

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the folded span ``[start, end)`` came from."""
        if self._starts is None or self._ends is None:
            return start, end
        if end <= start:
            at = self._starts[start] if start < len(self._starts) else self._ends[-1] if self._ends else 0
            return at, at
        return self._starts[start], self._ends[end - 1]


def fold_map(text: str) -> Folded:
    """Fold ``text`` for matching; see the module docstring."""
    base = fold(text)
    if not _NEEDS_MAP.search(base):
        return Folded(base)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(base)
    while i < n:
        ch = base[i]
        width = 1
        if ch in ERA_LIGATURES:
            piece = ERA_LIGATURES[ch]
        elif "\uff61" <= ch <= "\uff9f":
            if i + 1 < n and base[i + 1] in _VOICED_MARKS:
                width = 2
            piece = unicodedata.normalize("NFKC", base[i : i + width])
        else:
            piece = ch
        for p in piece:
            out.append(p)
            starts.append(i)
            ends.append(i + width)
        i += width
    return Folded("".join(out), starts, ends)
