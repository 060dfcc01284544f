"""CSV and TSV: streamed, strictly decoded. Rows may be shorter or longer than the first one
(footnotes under a table, a totals line): the engine reads every cell whatever the row's width."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

from ..errors import InputError
from ..sheet import Sheet

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _decode_error(exc: Exception, encoding: str) -> InputError:
    return InputError(
        "encoding",
        f"ファイルの途中に {encoding} として読めないバイトがあります。文字コードを統一して保存し直してください。",
        f"The file holds bytes that are not valid {encoding} partway through; save it again in one encoding.",
    )


def read_sheets(path: str, encoding: str, delimiter: str, name: str) -> Iterator[Sheet]:
    """One sheet; the file is opened when the sheet is asked for and closed when rows end."""
    raw = open(path, "rb")  # noqa: SIM115 - a streaming reader: closed when its rows end
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raw.close()
        raise InputError("empty", "ファイルが空です。", "The file is empty.") from None
    except UnicodeDecodeError as exc:
        raw.close()
        raise _decode_error(exc, encoding) from exc
    except csv.Error as exc:
        raw.close()
        raise InputError("format", f"CSV として読めません: {exc}", f"Not a readable CSV: {exc}") from exc
    if encoding == "utf-8" and header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]

    def rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except UnicodeDecodeError as exc:
            raise _decode_error(exc, encoding) from exc
        except csv.Error as exc:
            raise InputError(
                "format",
                f"CSV として読めません（{reader.line_num} 行目）: {exc}",
                f"Not a readable CSV (line {reader.line_num}): {exc}",
            ) from exc
        finally:
            raw.close()

    yield Sheet(name=name, header=header, rows=rows(), meta={"delimiter": delimiter})


def write_sheets(f, sheets, delimiter: str) -> None:
    """Write the first sheet (a CSV holds one); further sheets are an error, not dropped data."""
    writer = csv.writer(f, delimiter=delimiter, lineterminator="\r\n")
    written = False
    for sheet in sheets:
        if written:
            raise InputError(
                "format", "CSV には複数のシートを書けません。", "A CSV file cannot hold more than one sheet."
            )
        writer.writerow(sheet.header)
        writer.writerows(sheet.rows)
        written = True
