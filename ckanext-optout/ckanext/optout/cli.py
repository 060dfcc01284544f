"""``ckan optout ...``: the scheduled release of datasets and re-derivation after changes."""
from __future__ import annotations

import datetime as dt

import click

import ckan.plugins.toolkit as tk

from . import jobs


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


@click.group(short_help="オプトアウト: lifecycle and re-derivation")
def optout():
    """Resident opt-out (オプトアウト) commands."""


@optout.command("release-due")
@click.option("--today", default=None, help="Judge deadlines as of this date (YYYY-MM-DD).")
def release_due(today):
    """Open the datasets whose notice period ended without a hold (run daily)."""
    data = {"today": today} if today else {}
    result = tk.get_action("optout_dataset_release_due")(_site_context(), data)
    for name in result["released"]:
        click.echo(f"released: {name}")
    click.secho(f"{result['count']} dataset(s) released "
                f"({(today or dt.date.today().isoformat())})", fg="green")


@optout.command("rederive")
@click.option("--dataset", "dataset", default=None, help="Only this dataset (id or name).")
@click.option("--enqueue", is_flag=True, help="Enqueue a background job instead of running now.")
def rederive(dataset, enqueue):
    """Re-derive the resources that have subject-key columns, through the anonymize pipeline."""
    package_id = None
    if dataset:
        package_id = tk.get_action("package_show")(_site_context(), {"id": dataset})["id"]
    resources = jobs.affected_resources(package_id)
    if not resources:
        click.echo("no resource with subject-key columns in scope")
        return
    if not jobs.pipeline_available():
        raise click.ClickException(
            f"{len(resources)} resource(s) in scope but no publishing pipeline "
            f"(action {jobs.RESCRUB_ACTION}; enable the anonymize plugin)")
    if enqueue:
        jobs.enqueue_rederive(resources, "ckan optout rederive")
        click.echo(f"enqueued re-derivation of {len(resources)} resource(s)")
        return
    counts = jobs.rederive(resources, "ckan optout rederive")
    click.echo(f"re-derived {counts['done']}, failed {counts['failed']}, "
               f"skipped {counts['skipped']}")
    if counts["failed"]:
        raise SystemExit(1)


__all__ = ["optout"]
