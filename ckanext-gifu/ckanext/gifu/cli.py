"""``ckan gifu ...`` commands."""

from __future__ import annotations

import click


@click.group(short_help="岐阜市オープンデータ: demo catalogue and other tools")
def gifu():
    pass


@gifu.command("load-demo")
@click.option("--user", default=None, help="Acting sysadmin (default: the site user).")
@click.option(
    "--dataset", "datasets", multiple=True, metavar="NAME", help="Load only this demo dataset (repeatable)."
)
def load_demo(user, datasets):
    """Load the demo catalogue of Gifu City datasets (idempotent)."""
    import ckan.plugins.toolkit as tk

    from ckanext.gifu.demo import loader

    try:
        summary = loader.load_demo(user=user, only=datasets)
    except tk.ValidationError as exc:
        raise click.UsageError("; ".join(m for ms in exc.error_dict.values() for m in ms)) from None
    click.echo(
        "demo catalogue: {created} created, {updated} updated, {unchanged} unchanged".format(**summary)
    )
    if "uses_created" in summary:
        click.echo(
            "uses of data (活用事例): {uses_created} created, {uses_updated} updated, "
            "{uses_unchanged} unchanged".format(**summary)
        )
