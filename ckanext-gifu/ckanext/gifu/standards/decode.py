"""Bytes to text: which encoding an upload is in, as far as the bytes can tell.

Staff export from office systems in Shift_JIS (Windows' CP932, which adds ①, ㈱ and NEC/IBM
kanji to it), from Excel in UTF-8 with or without a byte order mark, or as Excel's 「Unicode
テキスト」 (UTF-16 with a BOM, tab-separated). UTF-8 is tried before CP932: a CP932 file of any
length is almost never valid UTF-8, while the reverse often decodes to nonsense.

>>> decode("名称".encode("utf-8-sig")).encoding, decode("名称".encode("utf-8")).encoding
('utf-8-sig', 'utf-8')
>>> decode("名称,髙島屋①".encode("cp932")).encoding, decode("名称".encode("utf-16")).encoding
('cp932', 'utf-16')
>>> decode(b"\\x82\\xa0\\x81\\x7f").text
Traceback (most recent call last):
...
ckanext.gifu.standards.decode.Undecodable: byte 2
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# How the report names each encoding: (日本語, English).
NAMES = {
    "utf-8-sig": ("UTF-8（BOM付き）", "UTF-8 with BOM"),
    "utf-8": ("UTF-8（BOMなし）", "UTF-8 without BOM"),
    "cp932": ("Shift_JIS（CP932）", "Shift_JIS (CP932)"),
    "utf-16": ("UTF-16", "UTF-16"),
}


class Undecodable(ValueError):
    """Neither UTF-8 nor CP932 nor UTF-16 with a BOM; ``position`` is the first bad byte."""

    def __init__(self, position: int):
        super().__init__(f"byte {position}")
        self.position = position


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data.decode("utf-8-sig"), "utf-8-sig")
        except UnicodeDecodeError as e:
            raise Undecodable(e.start + len(codecs.BOM_UTF8)) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as e:
            raise Undecodable(e.start) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return Decoded(data.decode("cp932"), "cp932")
        except UnicodeDecodeError as e:
            raise Undecodable(max(e.start, utf8_error.start)) from None
