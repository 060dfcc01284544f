"""Column headers as keys: the same header typed differently compares equal.

NFKC (widths), case folded, without spaces, underscores, brackets and middle dots: what staff
change between two exports of the same table.

>>> header_key(" 名称＿カナ "), header_key("電話番号（代表）"), header_key("氏 名"), header_key("E-Mail")
('名称カナ', '電話番号代表', '氏名', 'e-mail')
>>> header_key("【生年月日】") == header_key("生年月日")
True
"""

from __future__ import annotations

import unicodedata

_DROP = frozenset(" \t\r\n\u3000_()[]{}【】「」『』〔〕<>〈〉《》・･")


def header_key(header: object) -> str:
    text = unicodedata.normalize("NFKC", "" if header is None else str(header)).casefold()
    return "".join(c for c in text if c not in _DROP)
