"""``ckan gifu ...`` commands."""
from __future__ import annotations

import click


@click.group(short_help="岐阜市オープンデータ: demo catalogue and other tools")
def gifu():
    pass


@gifu.command("load-demo")
@click.option("--user", default=None, help="Acting sysadmin (default: the site user).")
def load_demo(user):
    """Load the demo catalogue of Gifu City datasets (idempotent)."""
    from ckanext.gifu.demo import loader

    summary = loader.load_demo(user=user)
    click.echo(
        "demo catalogue: {created} created, {updated} updated, {unchanged} unchanged".format(**summary))
