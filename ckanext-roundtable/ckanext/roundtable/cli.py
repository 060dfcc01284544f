"""``ckan roundtable ...``: demo content."""

from __future__ import annotations

import click


@click.group(short_help="データのリクエスト・ご意見 (roundtable)")
def roundtable():
    """The open-data roundtable (data requests and feedback)."""


@roundtable.command("load-demo")
def load_demo():
    """Load demo requests, supports, comments and feedback (idempotent; datasets of `ckan gifu
    load-demo` are linked when present)."""
    from . import demo

    for line in demo.load():
        click.echo(line)


@roundtable.command("recheck")
@click.option("--minutes", default=10, show_default=True, help="Only items waiting at least this long.")
def recheck(minutes):
    """Queue the personal-data check again for requests and comments still waiting for it (a job
    lost with a killed worker or a flushed Redis). Until then they stay hidden (fail closed)."""
    from . import screening

    queued = screening.requeue(minutes)
    click.echo(f"{queued} item(s) queued for the personal-data check")


__all__ = ["roundtable"]
