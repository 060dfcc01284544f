"""The publishing pipeline's extension point.

Every uploaded file is turned into its public derivative in two phases (``pipeline.py``):
*transform* stages rewrite the rows (the PII scrub, order 500, is this plugin's own) into a
scrubbed cache in closed storage; *filter* stages then keep or drop cached rows (``optout``'s
suppression of opted-out residents). A change that only filters depend on re-runs the filters on
the cache, without a new PII scan. Other plugins add stages by implementing
:class:`IPublishingStage`; this module is the only one of ``anonymize`` they may import.

A transform stage::

    class Uppercase:
        name = "example"        # short id: the key of the stage's part of the report
        order = 300             # lower runs first

        def applies_to(self, resource: dict) -> bool:
            return True

        def process(self, sheets, ctx):
            # sheets: Sheet(name, header, rows); rows are lists of str, streamed once.
            for sheet in sheets:
                yield sheet.with_rows([c.upper() for c in r] for r in sheet.rows)
            ctx.report["sheets"] = ...          # counts only, never raw values

A filter stage (``filter = True``) gives a ``keyer`` (phase 1: a JSON-serialisable key per
original row, e.g. keyed digests of the subject columns as held), a ``select`` (phase 2: keep or
drop each scrubbed row with its key), a ``tap_version`` (what the keys depend on: a change makes
the cache again) and may give a ``fingerprint`` (what the output depends on: a change makes the
sweep re-derive a public copy). Stages must stream (never hold all rows) and raise
:class:`StageError` to stop publishing: the pipeline fails closed, the resource keeps no public
file and staff see the message.
"""

from __future__ import annotations

from ckan.plugins.interfaces import Interface

from ckanext.anonymize.stagetypes import (
    FilterStage,
    Keyer,
    Row,
    Sheet,
    Stage,
    StageContext,
    StageError,
    TransformStage,
)

__all__ = [
    "FilterStage",
    "IPublishingStage",
    "Keyer",
    "Row",
    "Sheet",
    "Stage",
    "StageContext",
    "StageError",
    "TransformStage",
]


class IPublishingStage(Interface):
    """Contribute stages to the publishing pipeline of the ``anonymize`` plugin."""

    def publishing_stages(self) -> list[TransformStage | FilterStage]:
        """Return the stages this plugin contributes (instances)."""
        return []
