"""Operators: what replaces a finding (replace, mask, keyed hash, redact), per entity type.

The names and parameters follow Presidio's anonymizer operators; ``hash`` is keyed (HMAC-SHA256
with a secret) so pseudonyms are stable across files yet cannot be recomputed from a guess.

>>> ops = Operators({"PHONE_NUMBER": {"type": "mask", "chars_to_mask": 4, "from_end": True}},
...                 {"type": "replace"}, secret=b"k")
>>> ops.apply("PERSON", "山田太郎"), ops.apply("PHONE_NUMBER", "058-265-4141")
('〈氏名〉', '058-265-＊＊＊＊')
>>> ops.apply_spans("電話058-265-4141 山田", [("PHONE_NUMBER", 2, 14), ("PERSON", 15, 17)])
'電話058-265-＊＊＊＊ 〈氏名〉'
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from typing import Any

from ckanext.jatext.width import fold

from .entities import label

_SEPARATORS = set(" -.()/@　")
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


class Operators:
    def __init__(
        self, operators: dict[str, dict[str, Any]], default: dict[str, Any], secret: bytes | None = None
    ):
        self.operators = operators
        self.default = default
        self.random_secret = secret is None
        self.secret = secret if secret is not None else secrets.token_bytes(32)

    def config_for(self, entity_type: str) -> dict[str, Any]:
        return self.operators.get(entity_type) or self.default

    def apply(self, entity_type: str, value: str) -> str:
        op = self.config_for(entity_type)
        kind = op.get("type", "replace")
        if kind == "replace":
            return str(op.get("new_value", label(entity_type)))
        if kind == "redact":
            return ""
        if kind == "mask":
            char = str(op.get("masking_char", "＊"))
            n = int(op.get("chars_to_mask", len(value)))
            from_end = bool(op.get("from_end", False))
            chars = list(value)
            positions = [i for i, c in enumerate(chars) if c not in _SEPARATORS]
            chosen = positions[-n:] if from_end else positions[:n]
            for i in chosen if n > 0 else ():
                chars[i] = char
            return "".join(chars)
        if kind == "hash":
            normal = "".join(fold(value).split())
            digest = hmac.new(self.secret, f"{entity_type}\x1f{normal}".encode(), hashlib.sha256)
            return f"〈{label(entity_type).strip('〈〉')}:{digest.hexdigest()[: int(op.get('length', 12))]}〉"
        raise ValueError(kind)

    def apply_spans(self, text: str, spans: Iterable[tuple[str, int, int]]) -> str:
        """Replace non-overlapping (entity_type, start, end) spans of ``text``."""
        out, pos = [], 0
        for entity_type, start, end in sorted(spans, key=lambda s: s[1]):
            out.append(text[pos:start])
            out.append(self.apply(entity_type, text[start:end]))
            pos = end
        out.append(text[pos:])
        return "".join(out)


def neutralize_formula(cell: str) -> str:
    """Make a cell inert for spreadsheets (CSV/formula injection): prefix ``'`` to cells that
    start with ``=``, ``+``, ``-``, ``@``, tab or CR, unless the cell is a plain number.

    >>> neutralize_formula("=HYPERLINK(\\"http://x\\")"), neutralize_formula("-35.5"), neutralize_formula("-")
    ('\\'=HYPERLINK("http://x")', '-35.5', '-')
    >>> neutralize_formula("@SUM(A1)"), neutralize_formula("+81 58 265 4141")
    ("'@SUM(A1)", "'+81 58 265 4141")
    """
    if len(cell) > 1 and cell[0] in "=+-@\t\r" and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def mask_example(value: str, high_risk: bool = False) -> str:
    """A value as it may appear in a report: shape kept, characters hidden.

    >>> mask_example("山田太郎"), mask_example("058-265-4141"), mask_example("123456789018", True)
    ('山＊＊＊', '0＊＊-＊＊＊-＊＊＊＊', '＊＊＊＊＊＊＊＊＊＊＊＊')
    """
    shown = 1 if len(value) >= 4 and not high_risk else 0
    return "".join(c if i < shown or c in _SEPARATORS else "＊" for i, c in enumerate(value))
