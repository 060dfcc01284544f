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


@gifu.command("fold-tags")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
def fold_tags(dry_run):
    """Fold tags saved before width folding (「ＡＥＤ」 → 「AED」); run once after an upgrade."""
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    result = tk.get_action("gifu_tags_fold")({"user": site_user["name"]}, {"dry_run": dry_run})
    n, datasets = len(result["datasets"]), ", ".join(result["datasets"]) or "-"
    m, removed = len(result["removed"]), ", ".join(result["removed"]) or "-"
    if dry_run:
        click.echo("タグの表記統一（試行：何も変更しません） / tag folding, dry run (nothing changed)")
    else:
        click.echo("タグの表記統一 / tag folding")
    for old, new in result["tags"].items():
        click.echo(f"  {old} → {new}")
    if dry_run:
        click.echo(f"データセット {n} 件が変更対象 / {n} datasets would change: {datasets}")
        click.echo(f"タグ {m} 件が削除対象 / {m} tags would be removed: {removed}")
    else:
        click.echo(f"データセット {n} 件を変更 / {n} datasets changed: {datasets}")
        click.echo(f"タグ {m} 件を削除 / {m} tags removed: {removed}")
    if result["kept"]:
        click.echo(
            "削除済みデータセットが使うため残したタグ / kept for deleted datasets: "
            + ", ".join(result["kept"])
        )
    for name, error in result["failed"].items():
        click.echo(f"更新できなかったデータセット / failed: {name}: {error}", err=True)
    if result["failed"]:
        raise SystemExit(1)  # the others were folded; fix these and run again
