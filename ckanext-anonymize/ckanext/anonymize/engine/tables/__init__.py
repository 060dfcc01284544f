"""Readers and writers: ``open_table`` detects format and encoding; ``write_table`` keeps the shape.

Output is written to a temporary file beside the destination and renamed only when the whole
stream has been written, so a failure part-way leaves no partial output.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable

from ..config import EngineConfig
from ..errors import InputError
from ..sheet import Sheet, Table
from . import delimited, jsonfile, text, xlsx
from .detect import (
    TEXT_FORMATS,
    check_safe,
    check_size,
    check_zip,
    detect_encoding,
    detect_format,
    read_sample,
)

FORMATS = ("csv", "tsv", "xlsx", "json", "txt")


def open_table(path: str, filename: str | None = None, config: EngineConfig | None = None) -> Table:
    """Open ``path`` (its original name in ``filename`` gives the extension) as a :class:`Table`.

    Raises :class:`InputError` for empty, binary, undecodable, oversized or zip-bomb input, and for
    markup, code and document formats that cannot be scrubbed (``unsafe_type``).
    """
    config = config or EngineConfig()
    path = os.fspath(path)
    name = filename or os.path.basename(path)
    size = check_size(path, config.max_bytes)
    if size == 0:
        raise InputError("empty", "ファイルが空です。", "The file is empty.")
    sample = read_sample(path)
    check_safe(sample, name)
    fmt = detect_format(sample, name)
    stem = os.path.splitext(os.path.basename(name))[0] or "data"
    if fmt == "xlsx":
        check_zip(path, config.max_uncompressed_bytes, config.max_compression_ratio)
        return Table("xlsx", None, xlsx.read_sheets(path), path, size)
    encoding = detect_encoding(sample, final=len(sample) == size)
    if fmt in ("csv", "tsv"):
        sheets = delimited.read_sheets(path, encoding, "\t" if fmt == "tsv" else ",", stem)
    elif fmt == "json":
        sheets = jsonfile.read_sheets(path, encoding, stem)
    else:
        sheets = text.read_sheets(path, encoding, stem)
    return Table(fmt, encoding, sheets, path, size)


def write_table(dst: str, fmt: str, sheets: Iterable[Sheet], encoding: str = "utf-8") -> None:
    """Write ``sheets`` to ``dst`` in ``fmt``; text formats in ``encoding`` (UTF-8 by default).

    Consumes the stream; on any error nothing is left at ``dst``.
    """
    if fmt not in FORMATS:
        raise InputError(
            "format", f"出力形式 {fmt} には対応していません。", f"Unsupported output format {fmt}."
        )
    dst = os.fspath(dst)
    folder = os.path.dirname(os.path.abspath(dst))
    fd, tmp = tempfile.mkstemp(prefix=".anonymize-", suffix=".part", dir=folder)
    os.close(fd)
    try:
        if fmt == "xlsx":
            xlsx.write_sheets(tmp, sheets)
        else:
            with open(tmp, "w", encoding=encoding, newline="") as f:
                if fmt in ("csv", "tsv"):
                    delimited.write_sheets(f, sheets, "\t" if fmt == "tsv" else ",")
                elif fmt == "json":
                    jsonfile.write_sheets(f, sheets)
                else:
                    text.write_sheets(f, sheets)
        os.replace(tmp, dst)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


__all__ = ["FORMATS", "TEXT_FORMATS", "open_table", "write_table"]
