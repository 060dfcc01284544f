"""The publishing pipeline's extension point.

Every uploaded file is turned into its public derivative by a chain of stages. The PII scrub is one
stage (order 500, contributed by this plugin); other plugins add theirs by implementing
:class:`IPublishingStage` (``optout`` adds row suppression at order 100, so opted-out residents'
rows are gone before anything else looks at the file).

A stage is a small object with one method::

    class DropWithdrawn:
        name = "example"        # short id, used as the key of the stage's part of the report
        order = 300             # lower runs first

        def applies_to(self, resource: dict) -> bool:
            return True

        def process(self, sheets, ctx):
            # sheets: iterable of Sheet(name, header, rows); rows are lists of str, streamed.
            for sheet in sheets:
                yield sheet.with_rows(r for r in sheet.rows if keep(sheet.header, r))
            ctx.report["rows_dropped"] = ...   # counts only, never raw values

``process`` must stream (never hold all rows) and must raise ``StageError`` to stop publishing: the
pipeline fails closed, so the resource keeps no public file and staff see the message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from ckan.plugins.interfaces import Interface


class StageError(Exception):
    """A stage refuses to let the file be published; messages in Japanese and English."""

    def __init__(self, message_ja: str, message_en: str):
        super().__init__(f"{message_ja} / {message_en}")
        self.message_ja = message_ja
        self.message_en = message_en


class StageContext(Protocol):
    resource: dict[str, Any]  # the resource being derived (resource_show dict)
    dataset: dict[str, Any]  # its dataset (package_show dict)
    report: dict[str, Any]  # the stage's own part of the report; JSON-serialisable counts only


class Stage(Protocol):
    name: str
    order: int

    def applies_to(self, resource: dict[str, Any]) -> bool: ...

    def process(self, sheets: Iterable[Any], ctx: StageContext) -> Iterator[Any]: ...


class IPublishingStage(Interface):
    """Contribute stages to the publishing pipeline of the ``anonymize`` plugin."""

    def publishing_stages(self) -> list[Stage]:
        """Return the stages this plugin contributes (instances)."""
        return []
