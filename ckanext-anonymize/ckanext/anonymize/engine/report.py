"""The scrub report: what was found where and what was done; counts and masked examples only.

Filled while the output stream is consumed; :meth:`Report.to_dict` is JSON-serialisable.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .entities import HIGH_RISK
from .operators import mask_example


class ColumnReport:
    def __init__(self, index: int, name: str, decision, examples: int):
        self.index = index
        self.name = name
        self.decision = decision
        self.entities: Counter = Counter()
        self.cells_changed = 0
        self.examples: list[dict] = []
        self.max_examples = examples

    def found(self, entity_type: str, value: str) -> None:
        self.entities[entity_type] += 1
        if len(self.examples) < self.max_examples:
            masked = mask_example(value, entity_type in HIGH_RISK)
            if all(e["masked"] != masked for e in self.examples):
                self.examples.append({"entity_type": entity_type, "masked": masked})

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "name": self.name,
            **self.decision.to_dict(),
            "cells_changed": self.cells_changed,
            "entities": dict(self.entities),
            "examples": self.examples,
        }


class _Scanned:
    def to_dict(self) -> dict:
        return {"policy": "analyze", "reason": "シート名も検査 / sheet names are scanned too"}


class SheetReport:
    def __init__(self, name: str, layout):
        self.name = name
        self.layout = layout
        self.rows = 0
        self.columns: list[ColumnReport] = []
        self.k_anonymity: dict | None = None
        self.formulas_neutralized = 0
        self.header_row: int | None = 1
        self.structure: dict = {}
        self.preamble: ColumnReport | None = None
        self.header: ColumnReport | None = None
        self.name_findings = ColumnReport(-3, "（シート名）", _Scanned(), examples=3)

    def scanned(self) -> list[ColumnReport]:
        """Every part of the sheet that was scanned: columns, title rows, header rows, its name."""
        return self.columns + [c for c in (self.preamble, self.header, self.name_findings) if c]

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "layout": self.layout.name,
            "layout_reason": self.layout.reason,
            "rows": self.rows,
            "header_row": self.header_row,
            "structure": self.structure,
            "preamble": self.preamble.to_dict() if self.preamble else None,
            "header": self.header.to_dict() if self.header else None,
            "name_findings": dict(self.name_findings.entities),
            "columns": [c.to_dict() for c in self.columns],
            "formulas_neutralized": self.formulas_neutralized,
            "k_anonymity": self.k_anonymity,
        }


class Report:
    def __init__(self, format: str | None = None, encoding: str | None = None):
        self.format = format
        self.encoding = encoding
        self.sheets: list[SheetReport] = []
        self.complete = False
        self.warnings: list[dict] = []
        self.engine: dict[str, Any] = {}

    @property
    def totals(self) -> Counter:
        total: Counter = Counter()
        for sheet in self.sheets:
            for column in sheet.scanned():
                total.update(column.entities)
        return total

    @property
    def high_risk(self) -> list[str]:
        return sorted(e for e, n in self.totals.items() if n and e in HIGH_RISK)

    @property
    def layout(self) -> str:
        names = [s.layout.name for s in self.sheets]
        return names[0] if len(set(names)) == 1 else ("mixed" if names else "generic")

    def to_dict(self) -> dict:
        kanon = [s.k_anonymity for s in self.sheets if s.k_anonymity and s.k_anonymity.get("applicable")]
        worst = (
            min(kanon, key=lambda r: r["k"] if r["k"] is not None else 10**9)
            if kanon
            else {"applicable": False, "k": None, "warning": None}
        )
        return {
            "format": self.format,
            "encoding": self.encoding,
            "layout": self.layout,
            "complete": self.complete,
            "rows": sum(s.rows for s in self.sheets),
            "sheets": [s.to_dict() for s in self.sheets],
            "totals": dict(self.totals),
            "high_risk": self.high_risk,
            "k_anonymity": worst,
            "warnings": self.warnings,
            "engine": self.engine,
        }
