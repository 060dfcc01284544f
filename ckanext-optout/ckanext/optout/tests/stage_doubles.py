"""Plain stand-ins for the pipeline's Sheet and stage context (the anonymize plugin's real ones are
exercised in tests/test_optout_anonymize.py): the stage only needs these attributes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any


@dataclasses.dataclass
class Sheet:
    name: str
    header: list[str]
    rows: Iterable[list[str]]

    def with_rows(self, rows):
        return dataclasses.replace(self, rows=rows)


@dataclasses.dataclass
class Ctx:
    resource: dict[str, Any]
    dataset: dict[str, Any]
    report: dict[str, Any] = dataclasses.field(default_factory=dict)
