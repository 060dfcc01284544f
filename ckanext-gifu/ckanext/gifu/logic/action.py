"""Actions the gifu plugin adds or chains."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SolrConnectionError

UNAVAILABLE = (
    "検索は一時的に利用できません（検索サーバーに接続できません）。しばらくしてからお試しください。 / "
    "Search is temporarily unavailable (the search server cannot be reached); please try again later."
)


@tk.chained_action
@tk.side_effect_free
def package_search(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    """CKAN answers a search while Solr is down with a server error (500) on the dataset pages
    and the API; said plainly instead: the pages show that search is unavailable and go on, the
    API answers 409 with the reason (its usual answer for a search that cannot run)."""
    try:
        return next_action(context, data_dict)
    except SolrConnectionError:
        raise SearchError(UNAVAILABLE) from None


# Tags saved before width folding (an upgraded portal, a harvest) keep their old spelling, so the
# portal can show 「ＡＥＤ」 and 「AED」 as two tags. ``gifu_tags_fold`` folds them once, through
# CKAN's own package_patch (validation, index and activity included), never by SQL.


def _error_text(exc: Exception) -> str:
    if isinstance(exc, tk.ValidationError):
        return "; ".join(f"{field}: {message}" for field, message in exc.error_summary.items())
    return str(exc) or type(exc).__name__


def gifu_tags_fold(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Fold the free tags (no vocabulary) saved before width folding, once.

    Every dataset (any type, any state but deleted, private ones too) carrying a tag whose folded
    spelling (``fold_tag``) differs gets its tags rewritten to their folded forms, each once,
    through ``package_patch`` as the calling user (a sysadmin; auth is checked, not ignored). Then
    free tags that no package carries any more and whose folded twin exists are deleted
    (``tag_delete``). A dataset that cannot be patched is reported under ``failed`` and the others
    go on; a tag still carried by a deleted dataset is kept (listed under ``kept``).

    :param dry_run: report what would change and change nothing (default false)
    :returns: ``{"datasets": [...], "tags": {old: folded}, "removed": [...], "failed": {name:
        error}, "kept": [...], "dry_run": bool}``
    """
    from ckan import model

    from ckanext.gifu.logic.validators import fold_tag

    tk.check_access("gifu_tags_fold", context, data_dict)
    dry_run = tk.asbool(data_dict.get("dry_run", False))
    user = context.get("user")
    session = model.Session

    free_tags = session.query(model.Tag).filter(model.Tag.vocabulary_id.is_(None)).all()
    mapping = {t.name: fold_tag(t.name) for t in free_tags if fold_tag(t.name) != t.name}
    carriers = (
        session.query(model.Package.id, model.Package.name, model.Package.state, model.Tag.name)
        .join(model.PackageTag, model.PackageTag.package_id == model.Package.id)
        .join(model.Tag, model.Tag.id == model.PackageTag.tag_id)
        .filter(
            model.Tag.vocabulary_id.is_(None),
            model.Tag.name.in_(list(mapping)),
            model.PackageTag.state == "active",
        )
        .order_by(model.Package.name)
        .all()
        if mapping
        else []
    )
    to_fold = {pkg_id: name for pkg_id, name, state, _tag in carriers if state != "deleted"}
    kept = sorted({tag for _id, _name, state, tag in carriers if state == "deleted"})

    changed: list[str] = []
    failed: dict[str, str] = {}
    for pkg_id, name in to_fold.items():
        if dry_run:
            changed.append(name)
            continue
        try:
            shown = tk.get_action("package_show")({"user": user, "use_cache": False}, {"id": pkg_id})
            folded: list[str] = []
            for tag in shown.get("tags", []):
                if tag.get("vocabulary_id"):
                    continue
                new = fold_tag(tag["name"])
                if new and new not in folded:
                    folded.append(new)
            tk.get_action("package_patch")(
                {"user": user}, {"id": pkg_id, "tags": [{"name": n} for n in folded]}
            )
        except Exception as exc:  # noqa: BLE001 - one dataset's failure must not stop the others
            session.rollback()
            failed[name] = _error_text(exc)
            continue
        changed.append(name)

    removed: list[str] = []
    carried = {tag for _id, _name, state, tag in carriers if state != "deleted"}
    for old, new in sorted(mapping.items()):
        if old in kept:
            continue
        if dry_run:
            # Every carrier would be patched, which makes the folded twin if it is not there yet.
            if old not in carried and model.Tag.by_name(new) is None:
                continue
            removed.append(old)
            continue
        in_use = (
            session.query(model.PackageTag.id)
            .join(model.Tag, model.Tag.id == model.PackageTag.tag_id)
            .filter(
                model.Tag.name == old,
                model.Tag.vocabulary_id.is_(None),
                model.PackageTag.state == "active",
            )
            .first()
        )
        tag_obj = model.Tag.by_name(old)
        if in_use is not None or tag_obj is None or model.Tag.by_name(new) is None:
            continue
        tk.get_action("tag_delete")({"user": user}, {"id": tag_obj.id})
        removed.append(old)

    folded_by = {tag for _id, name, _state, tag in carriers if name in changed}
    return {
        "datasets": changed,
        "tags": {old: new for old, new in sorted(mapping.items()) if old in folded_by or old in removed},
        "removed": removed,
        "failed": failed,
        "kept": kept,
        "dry_run": dry_run,
    }


def gifu_tags_fold_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Sysadmins only (CKAN lets sysadmins through before this is asked)."""
    return {
        "success": False,
        "msg": "システム管理者のみ / sysadmins only (gifu_tags_fold)",
    }
