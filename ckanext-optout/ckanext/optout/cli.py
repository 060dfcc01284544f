"""``ckan optout ...``: the scheduled release of datasets and re-derivation after changes."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import click

from . import jobs


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


@click.group(short_help="オプトアウト: lifecycle and re-derivation")
def optout():
    """Resident opt-out (オプトアウト) commands."""


def _messages(exc: tk.ValidationError) -> str:
    return "; ".join(
        f"{key}: {' '.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in exc.error_dict.items()
        if key != "__type"
    )


@optout.command("release-due")
@click.option("--today", default=None, help="Judge deadlines as of this date (YYYY-MM-DD, not after today).")
def release_due(today):
    """The daily run: open the datasets whose notice period ended without a hold, and erase
    residents' contacts kept longer than ckanext.optout.contact_retention_days."""
    data = {"today": today} if today is not None else {}
    try:
        result = tk.get_action("optout_dataset_release_due")(_site_context(), data)
    except tk.ValidationError as exc:
        raise click.ClickException(_messages(exc)) from None
    for name in result["released"]:
        click.echo(f"released: {name}")
    for item in result.get("not_released", []):
        click.secho(f"not released: {item['name']}: {item['reason']}", fg="yellow")
    click.secho(
        f"{result['count']} dataset(s) released ({(today or dt.date.today().isoformat())})", fg="green"
    )
    purged = tk.get_action("optout_contact_purge")(_site_context(), {})
    click.echo(f"{purged['erased']} contact(s) erased (kept {purged['retention_days']} days)")


@optout.command("purge-contacts")
def purge_contacts():
    """Erase residents' contacts kept longer than ckanext.optout.contact_retention_days (also
    done by release-due)."""
    purged = tk.get_action("optout_contact_purge")(_site_context(), {})
    click.echo(f"{purged['erased']} contact(s) erased (kept {purged['retention_days']} days)")


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
            f"(action {jobs.RESCRUB_ACTION}; enable the anonymize plugin)"
        )
    if enqueue:
        jobs.enqueue_rederive(resources, "ckan optout rederive")
        click.echo(f"enqueued re-derivation of {len(resources)} resource(s)")
        return
    counts = jobs.rederive(resources, "ckan optout rederive")
    click.echo(f"re-derived {counts['done']}, failed {counts['failed']}, skipped {counts['skipped']}")
    if counts["failed"]:
        raise SystemExit(1)


__all__ = ["optout"]
