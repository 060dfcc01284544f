"""XLSX through openpyxl in read-only / write-only mode: every worksheet, streamed both ways."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from itertools import chain, islice
from typing import Any

from ..errors import InputError
from ..sheet import Sheet

_WIDTH_ROWS = 20
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]+)?")


def cell_text(value: Any) -> str:
    """A cell value as the text a person sees.

    >>> cell_text(None), cell_text(3.0), cell_text(35.4123), cell_text(dt.datetime(1980, 3, 1))
    ('', '3', '35.4123', '1980-03-01')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def read_sheets(path: str) -> Iterator[Sheet]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(
            "format",
            "XLSX ファイルとして読めません。",
            f"The file is not a readable XLSX file ({type(exc).__name__}).",
        ) from exc
    try:
        for ws in wb.worksheets:
            yield _sheet(ws)
    finally:
        wb.close()


def _trimmed(values) -> int:
    n = len(values)
    while n and values[n - 1] in (None, ""):
        n -= 1
    return n


def _sheet(ws) -> Sheet:
    it = ws.iter_rows(values_only=True)
    # The width comes from the first rows, not the first row alone: a title row above the header
    # holds one cell.
    head = list(islice(it, _WIDTH_ROWS))
    width = max((_trimmed(r) for r in head), default=0)
    first = list(head[0]) if head else []
    header = [cell_text(v) for v in first[:width]] + [""] * (width - min(len(first), width))
    it = chain(head[1:], it)
    title = ws.title
    kinds: dict[int, set] = {}

    def rows() -> Iterator[list[str]]:
        for _number, values in enumerate(it, start=2):
            for i, v in enumerate(values[:width]):
                if v is not None:
                    kinds.setdefault(i, set()).add(_kind(v))
            row = [cell_text(v) for v in values]
            # Cells beyond the width of the first rows are kept (and read by the engine).
            while len(row) > width and not row[-1]:
                row.pop()
            if len(row) < width:
                row += [""] * (width - len(row))
            yield row

    return Sheet(name=title, header=header, rows=rows(), meta={"kinds": kinds})


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (dt.datetime, dt.date)):
        return "date"
    return "str"


def _out(value: str, kinds: set) -> Any:
    """Give a cell back the type its column had in the input (numbers, dates), else text."""
    if not value:
        return None
    if "number" in kinds and _NUMBER.fullmatch(value):
        return float(value) if "." in value else int(value)
    if "date" in kinds:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    if "bool" in kinds and value in ("TRUE", "FALSE"):
        return value == "TRUE"
    return value


def write_sheets(path: str, sheets) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    count = 0
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.name[:31] or f"Sheet{count + 1}")
        count += 1
        ws.append(list(sheet.header))
        kinds = sheet.meta.get("kinds", {})
        for row in sheet.rows:
            cells = []
            for i, value in enumerate(row):
                out = _out(value, kinds.get(i, set()))
                if isinstance(out, str) and out.startswith("="):
                    # openpyxl writes '=…' as a formula; a string cell keeps it inert.
                    cell = WriteOnlyCell(ws, value=out)
                    cell.data_type = "s"
                    out = cell
                cells.append(out)
            ws.append(cells)
    if count == 0:
        wb.create_sheet("Sheet1")
    wb.save(path)
