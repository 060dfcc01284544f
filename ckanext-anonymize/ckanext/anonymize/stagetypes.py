"""The types a publishing stage deals with (pure: no CKAN import, so the pipeline can use them).
Plugins import them from ``ckanext.anonymize.interfaces``, which re-exports them; see there."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

Row = list[str]


class StageError(Exception):
    """A stage refuses to let the file be published; messages in Japanese and English."""

    def __init__(self, message_ja: str, message_en: str):
        super().__init__(f"{message_ja} / {message_en}")
        self.message_ja = message_ja
        self.message_en = message_en


class Sheet(Protocol):
    """One sheet of a file (a CSV, an XLSX worksheet, a JSON record list), as stages see it."""

    name: str
    header: list[str]
    rows: Iterator[Row]  # consumed once

    def with_rows(self, rows: Iterable[Row]) -> Sheet:
        """The same sheet (name, header, shape) with other rows."""
        ...


class StageContext(Protocol):
    resource: dict[str, Any]  # the resource being derived (resource_show dict)
    dataset: dict[str, Any]  # its dataset (package_show dict)
    report: dict[str, Any]  # the stage's own part of the report; JSON-serialisable counts only


class Stage(Protocol):
    """What every stage has."""

    name: str
    order: int

    def applies_to(self, resource: dict[str, Any]) -> bool: ...


@runtime_checkable
class TransformStage(Stage, Protocol):
    def process(self, sheets: Iterable[Sheet], ctx: StageContext) -> Iterator[Sheet]: ...


class Keyer(Protocol):
    def sheet(self, name: str) -> Callable[[Row], Any]:
        """For the sheet ``name``: a function from an original row to its key (or None)."""
        ...


@runtime_checkable
class FilterStage(Stage, Protocol):
    filter: bool  # True

    def tap_version(self, resource: dict[str, Any], dataset: dict[str, Any]) -> str: ...

    def keyer(self, resource: dict[str, Any], dataset: dict[str, Any]) -> Keyer: ...

    def select(
        self, sheet: str, rows: Iterable[tuple[Row, dict[str, Any]]], ctx: StageContext
    ) -> Iterator[tuple[Row, dict[str, Any]]]:
        """Keep or drop each (scrubbed row, keys by stage name) of ``sheet``."""
        ...
