"""Plain text: one sheet, one column, one row per line."""

from __future__ import annotations

import io
from collections.abc import Iterator

from ..errors import InputError
from ..sheet import Sheet

HEADER = ["text"]


def read_sheets(path: str, encoding: str, name: str) -> Iterator[Sheet]:
    raw = open(path, "rb")  # noqa: SIM115 - a streaming reader: closed when its rows end
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict")

    def rows() -> Iterator[list[str]]:
        try:
            for line in stream:
                yield [line.rstrip("\n")]
        except UnicodeDecodeError as exc:
            raise InputError(
                "encoding",
                f"ファイルの途中に {encoding} として読めないバイトがあります。",
                f"The file holds bytes that are not valid {encoding} partway through.",
            ) from exc
        finally:
            raw.close()

    yield Sheet(name=name, header=list(HEADER), rows=rows(), meta={"text": True})


def write_sheets(f, sheets) -> None:
    for sheet in sheets:
        for row in sheet.rows:
            f.write("".join(row) + "\n")
