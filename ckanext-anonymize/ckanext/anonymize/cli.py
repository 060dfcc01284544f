"""``ckan anonymize …`` commands (IClick)."""

from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import click


@click.group(short_help="Anonymize: publishing pipeline maintenance.")
def anonymize():
    """Commands of the anonymize plugin."""


@anonymize.command()
def sweep():
    """Repair what faults left behind: derive again resources whose job was lost or whose
    public copy is older than the opt-out registry. Safe to run at any time (the RQ scheduler
    of `ckan jobs worker` runs it every ckanext.anonymize.sweep_interval seconds too)."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    result = tk.get_action("anonymize_sweep")({"user": site_user["name"], "ignore_auth": True}, {})
    click.echo(json.dumps(result, ensure_ascii=False))


__all__ = ["anonymize"]
