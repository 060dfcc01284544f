"""Fixed-width records in a text file (住民記録 and other host-system exports).

A line of such a file is a row of fields padded to fixed widths: a column is read as a column
(a 7-digit era-coded date under other dates is a date of birth, a 10-digit number a personal
ID), which free-text reading of the line cannot see.

Widths are counted as the host system counts them, in display columns (Shift_JIS bytes): a
full-width character takes two, a half-width one one. The fields are where every record line
has an ASCII space at the same column; lines of another layout (header and trailer records)
stay free text.

>>> lines = ["D 0005011299 遠藤　涼平　 ｴﾝﾄﾞｳ ﾘｮｳﾍｲ 1 3511119", "D 0009605649 佐藤　真綾　 ｻﾄｳ ﾏｱﾔ     2 3521207",
...          "D 0005138182 佐藤　加奈　 ｻﾄｳ ｶﾅ      2 3240221", "H 212016 住民記録"]
>>> spans = columns(lines, min_lines=3)
>>> [split(line, spans) for line in lines[:2]]
[['D', '0005011299', '遠藤　涼平', 'ｴﾝﾄﾞｳ ﾘｮｳﾍｲ', '1', '3511119'], ['D', '0009605649', '佐藤　真綾', 'ｻﾄｳ ﾏｱﾔ', '2', '3521207']]
>>> is_record(lines[3], spans)
False
>>> out = join(lines[0], spans, ['D', '〈個人ID〉', '〈氏名〉', '〈氏名〉', '1', '〈生年月日〉'])
>>> out, width(out) == width(lines[0])
('D 〈個人ID〉 〈氏名〉\u3000\u3000 〈氏名〉    1 *******', True)
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

MIN_WIDTH = 20
MIN_COLUMNS = 4


def char_width(ch: str) -> int:
    """Display columns of a character: two for full-width (and East Asian ambiguous), else one."""
    return 2 if unicodedata.east_asian_width(ch) in ("F", "W", "A") else 1


def width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _starts(line: str) -> list[int]:
    """The display column where each character starts."""
    out, col = [], 0
    for ch in line:
        out.append(col)
        col += char_width(ch)
    return out


def _spaces(line: str) -> set[int]:
    return {col for col, ch in zip(_starts(line), line) if ch == " "}


def columns(lines: Sequence[str], min_lines: int = 5) -> list[tuple[int, int]] | None:
    """The field spans (display columns) shared by the record lines, or None."""
    lines = [line for line in lines if line.strip()]
    if len(lines) < min_lines:
        return None
    full, count = Counter(width(line) for line in lines).most_common(1)[0]
    if full < MIN_WIDTH or count < max(min_lines, 0.6 * len(lines)):
        return None
    records = [line for line in lines if width(line) == full]
    blank = set.intersection(*(_spaces(line) for line in records))
    spans, start = [], None
    for col in range(full + 1):
        if col < full and col not in blank:
            if start is None:
                start = col
        elif start is not None:
            spans.append((start, col))
            start = None
    return spans if len(spans) >= MIN_COLUMNS else None


def is_record(line: str, spans: list[tuple[int, int]]) -> bool:
    """A line laid out like the records: an ASCII space in front of every field."""
    if not spans or width(line) <= spans[-1][0]:
        return False
    spaces = _spaces(line)
    return all(a - 1 in spaces for a, _ in spans[1:])


def _cut(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges of the fields of a record line (its last field runs to the end)."""
    starts = _starts(line)
    bounds = spans[:-1] + [(spans[-1][0], width(line))]
    out = []
    for a, b in bounds:
        chars = [i for i, col in enumerate(starts) if a <= col < b]
        out.append((chars[0], chars[-1] + 1) if chars else (len(line), len(line)))
    return out


def split(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """The fields of a record line, without their padding."""
    return [line[i:j].strip(" 　") for i, j in _cut(line, spans)]


def join(line: str, spans: list[tuple[int, int]], cells: list[str]) -> str:
    """The record line with its fields replaced, each padded back to its display width (with
    the padding character the field used: ideographic spaces in a full-width field), or masked
    with ``*`` when the replacement does not fit."""
    out, pos = [], 0
    for (i, j), cell in zip(_cut(line, spans), cells):
        out.append(line[pos:i])
        field = line[i:j]
        if field.strip(" 　") == cell:
            out.append(field)
        else:
            room = width(field) - width(cell)
            if room < 0:
                # A label wider than its field would shift every later field: the receiving
                # system reads the columns, so the field is masked to its width instead.
                out.append("*" * width(field))
            else:
                pad = "　" * (room // 2) + " " * (room % 2) if "　" in field else " " * room
                out.append(cell + pad)
        pos = j
    out.append(line[pos:])
    return "".join(out)
