"""The table model shared by readers, the engine and writers: sheets of string cells, streamed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Sheet:
    """One sheet (CSV file, XLSX worksheet, JSON record list, text file).

    ``rows`` is an iterator of lists of ``str`` and is consumed once. ``meta`` carries what a
    writer needs to give the output the input's shape (e.g. JSON value kinds).
    """

    name: str
    header: list[str]
    rows: Iterator[list[str]]
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_rows(self, rows: Iterable[list[str]]) -> Sheet:
        """The same sheet (name, header, meta) with other rows."""
        return replace(self, rows=iter(rows))


@dataclass
class Table:
    """What :func:`open_table` returns: the detected format and encoding, and the sheets."""

    format: str
    encoding: str | None
    sheets: Iterator[Sheet]
    path: str = ""
    size: int = 0
