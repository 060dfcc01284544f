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


@roundtable.command("purge-contacts")
def purge_contacts():
    """Erase requesters' contacts kept longer than ckanext.roundtable.contact_retention_days
    (daily)."""
    from . import mail

    erased = mail.purge_contacts()
    click.echo(f"{erased} contact(s) erased")


__all__ = ["roundtable"]
