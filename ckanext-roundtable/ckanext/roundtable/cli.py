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


__all__ = ["roundtable"]
