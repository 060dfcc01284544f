"""The publishing pipeline: original → stages in order → derivative + report.

Reads the original with the engine's readers (format and encoding detected), lets each stage
transform the stream of sheets (row suppression, then the PII scrub, ...), and writes the
derivative in the original's shape. Memory stays flat: rows stream from reader to writer.
Free of CKAN imports apart from the stage interface types; the CKAN side is ``service.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional

from ckanext.anonymize.engine import Engine, open_table, write_table

SCRUB_ORDER = 500


@dataclass
class Context:
    resource: dict[str, Any]
    dataset: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)


class ScrubStage:
    """The PII scrub as a pipeline stage (this plugin's own stage)."""

    name = "scrub"
    order = SCRUB_ORDER

    def __init__(self, engine: Engine, columns: Optional[dict[str, str]] = None):
        self.engine = engine
        self.columns = columns or None

    def applies_to(self, resource: dict[str, Any]) -> bool:
        return True

    def process(self, sheets: Iterable[Any], ctx: Context) -> Iterator[Any]:
        out, report = self.engine.scrub_sheets(sheets, columns=self.columns)
        yield from out
        # The engine fills its report as the rows stream through: read it once they all have.
        ctx.report.update(report.to_dict())


def run(src: str, filename: str, dst: str, stages: list[Any], resource: dict[str, Any],
        dataset: dict[str, Any]) -> dict[str, Any]:
    """Derive ``dst`` from ``src`` through ``stages`` (sorted by order). Returns the report.

    Raises the engine's InputError for unreadable input and a stage's StageError when a stage
    refuses; the caller keeps the resource closed in both cases.
    """
    table = open_table(src, filename=filename)
    sheets: Iterable[Any] = table.sheets
    contexts: list[tuple[str, Context]] = []
    for stage in sorted(stages, key=lambda s: s.order):
        if stage.applies_to(resource):
            ctx = Context(resource=resource, dataset=dataset)
            sheets = stage.process(sheets, ctx)
            contexts.append((stage.name, ctx))
    write_table(dst, table.format, sheets)
    report: dict[str, Any] = {"format": table.format, "encoding": table.encoding,
                              "stages": {name: ctx.report for name, ctx in contexts}}
    scrub = report["stages"].get(ScrubStage.name, {})
    report["high_risk"] = sorted(set(scrub.get("high_risk") or []))
    return report

