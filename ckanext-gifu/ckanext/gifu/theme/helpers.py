"""Template helpers of the gifu theme (prefixed ``gifu_``).

Helpers of the other plugins (``optout_*``, ``anonymize_*``) are called from the templates only
when present (``'name' in h``): the theme never imports their code.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SolrConnectionError
from ckan.plugins.toolkit import _

# Search that cannot run (Solr down): a helper of the home page returns nothing instead.
SEARCH_DOWN = (tk.ValidationError, tk.NotAuthorized, SearchError, SolrConnectionError)

log = logging.getLogger(__name__)

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN_DIR = os.path.dirname(HERE)
BUILT_CSS = os.path.join(PLUGIN_DIR, "assets", "build", "gifu.css")
A11Y_RESULTS = os.path.join(HERE, "a11y-results.json")

DEFAULT_SITE_TITLE = "岐阜市オープンデータ"

# Plain-Japanese summaries of the licences the city publishes under (ids of ../licenses.json).
LICENSE_SUMMARIES = {
    "PDL-1.0": "出典（岐阜市）を記載すれば、営利目的を含め、複製・加工・再配布など自由に利用できます。",
    "CC-BY-4.0": "出典（岐阜市）を表示すれば、営利目的を含め、複製・改変・再配布など自由に利用できます。",
    "CC0-1.0": "著作権を放棄しています。出典の表示がなくても、自由に利用できます。",
    "cc-by": "出典（岐阜市）を表示すれば、営利目的を含め、複製・改変・再配布など自由に利用できます。",
    "cc-zero": "著作権を放棄しています。出典の表示がなくても、自由に利用できます。",
    "odc-pddl": "著作権を放棄しています。出典の表示がなくても、自由に利用できます。",
}

IMPACTS = ("critical", "serious", "moderate", "minor")

# package_search returns packages of every type (活用事例 are type ``use``): datasets only.
DATASETS_ONLY = "+dataset_type:dataset"


def gifu_site_title() -> str:
    """The portal's name; CKAN's placeholder title "CKAN" becomes 岐阜市オープンデータ."""
    title = tk.config.get("ckan.site_title") or ""
    return DEFAULT_SITE_TITLE if title.strip() in ("", "CKAN") else title


def gifu_source_url() -> str:
    """Where this portal's source code is published (AGPL-3.0: offered to every user)."""
    return tk.config.get("ckanext.gifu.source_url")


def gifu_optout_enabled() -> bool:
    return p.plugin_loaded("optout")


def gifu_roundtable_enabled() -> bool:
    """Whether the roundtable plugin (data requests) is loaded: the header and footer link to it."""
    return p.plugin_loaded("roundtable")


def gifu_theme_built() -> bool:
    """Whether the install-time CSS build has run (without it the page keeps CKAN's own look)."""
    return os.path.isfile(BUILT_CSS)


def gifu_newest_datasets(limit: int = 6) -> list[dict[str, Any]]:
    """The most recently created public datasets, newest first."""
    try:
        result = tk.get_action("package_search")(
            {},
            {
                "fq": DATASETS_ONLY,
                "sort": "metadata_created desc",
                "rows": int(limit),
                "include_private": False,
            },
        )
    except SEARCH_DOWN as exc:  # search down: the page still renders
        log.warning("newest datasets unavailable: %s", exc)
        return []
    return result["results"]


def gifu_dataset_count() -> int:
    try:
        found = tk.get_action("package_search")(
            {}, {"fq": DATASETS_ONLY, "rows": 0, "include_private": False}
        )
        return found["count"]
    except SEARCH_DOWN:
        return 0


def gifu_categories(limit: int = 12) -> list[dict[str, Any]]:
    """The portal's dataset categories (CKAN groups), largest first."""
    try:
        groups = tk.get_action("group_list")(
            {}, {"all_fields": True, "sort": "package_count desc", "limit": int(limit)}
        )
    except SEARCH_DOWN:
        return []
    return groups


def gifu_license_summary(license_id: str | None) -> str:
    """One plain-Japanese sentence on what the licence allows, or '' when we have none."""
    return LICENSE_SUMMARIES.get(license_id or "", "")


def _other_helper(name: str, *args: Any) -> Any:
    """Call another plugin's helper if that plugin registered it; its failure never breaks a page
    (the status is then not shown, and the failure is logged)."""
    from ckan.lib.helpers import helper_functions

    helper = helper_functions.get(name)
    if helper is None:
        return None
    try:
        return helper(*args)
    except Exception:  # another plugin's error must not take our page down
        log.exception("helper %s failed", name)
        return None


def gifu_scrub_status(resource_id: str) -> dict[str, Any] | None:
    """The anonymize plugin's status of a resource (its editors only), or None."""
    return _other_helper("anonymize_status", resource_id)


def gifu_conformance_for_staff(pkg: dict[str, Any], res: dict[str, Any]) -> dict[str, Any] | None:
    """The conformance report of a standard dataset's resource for the dataset's editors (with
    ``can_normalise``: whether the publishing pipeline is there to normalise it), or None for
    everyone else and for resources that are not checked. Reading the closed original is recorded
    by the anonymize plugin, as every access is."""
    if not pkg.get("conforms_to") or res.get("url_type") != "upload":
        return None
    if not tk.h.check_access("package_update", {"id": pkg["id"]}):
        return None
    context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
    try:
        report = tk.get_action("gifu_conformance_show")(context, {"id": res["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return None
    try:
        tk.get_action("anonymize_resource_rescrub")
        report["can_normalise"] = True
    except KeyError:  # no publishing pipeline: the report only
        report["can_normalise"] = False
    report["normalising"] = res.get("gifu_normalise") or None
    return report


def gifu_lifecycle(package_id: str) -> dict[str, str] | None:
    """The optout plugin's lifecycle state of a dataset with its Japanese label, or None."""
    row = _other_helper("optout_dataset_state", package_id)
    if not row or not row.get("state"):
        return None
    label = _other_helper("optout_state_label", row["state"]) or row["state"]
    return {"state": row["state"], "label": label}


def gifu_a11y_results() -> dict[str, Any] | None:
    """The latest published axe-core results (see ``dev/theme.sh publish-a11y``), or None."""
    path = tk.config.get("ckanext.gifu.accessibility_results") or A11Y_RESULTS
    try:
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
    except (OSError, ValueError):
        return None
    totals = dict.fromkeys(IMPACTS, 0)
    for run in results.get("runs", []):
        for impact in IMPACTS:
            totals[impact] += run.get("violations", {}).get(impact, 0)
    results["totals"] = totals
    return results


def gifu_pager_symbols() -> dict[str, Any]:
    """The pager's previous/next arrows with a name for screen readers. CKAN's pager takes
    dominate tags for these (as its own icons are); a string would be escaped."""
    import dominate.tags as tags

    def arrow(icon: str, text: str) -> Any:
        return tags.span(
            tags.i(cls=f"fa-solid fa-chevron-{icon}", aria_hidden="true"),
            tags.span(text, cls="visually-hidden"),
        )

    return {
        "symbol_previous": arrow("left", _("Previous page")),
        "symbol_next": arrow("right", _("Next page")),
    }


# Resource fields CKAN keeps for itself: not information for a resident, and English in any locale.
INTERNAL_RESOURCE_KEYS = {
    "id",
    "package_id",
    "position",
    "state",
    "has_views",
    "url_type",
    "datastore_active",
    "datastore_contains_all_records_of_source_file",
    "mimetype_inner",
    "cache_url",
    "cache_last_updated",
    "revision_id",
    "tracking_summary",
    "resource_type",
    "last_modified",
    "metadata_modified",
    "created",
    "format",
    "name",
    "description",
    "url",
}


def _resource_key_labels() -> dict[str, str]:
    return {
        "mimetype": _("MIME type"),
        "size": _("File size"),
        "hash": _("Hash"),
        "language": _("Language"),
        "encoding": _("Character encoding"),
    }


@tk.chained_helper
def format_resource_items(next_helper, items):
    """CKAN's "Additional information" rows of a resource without CKAN's internal fields, and
    with translated labels for the common ones (core helper, chained)."""
    kept = [
        (k, v)
        for k, v in items
        if k not in INTERNAL_RESOURCE_KEYS and not k.startswith(("anonymize", "optout", "gifu_", "_"))
    ]
    labels = _resource_key_labels()
    return [(labels.get(key.replace(" ", "_"), key), value) for key, value in next_helper(kept)]


@tk.chained_helper
def get_organization(
    next_helper: Any, org: str | None = None, include_datasets: bool = False
) -> dict[str, Any]:
    """CKAN's helper, with the organization's dataset count left out when search is down (the
    count comes from Solr; without this every dataset page answers 500 while Solr is away)."""
    try:
        return next_helper(org, include_datasets)
    except SEARCH_DOWN:
        import ckan.model as model

        group = model.Group.get(org) if org else None
        if group is None or group.state != "active":
            return {}
        return {
            "id": group.id,
            "name": group.name,
            "title": group.title,
            "description": group.description,
            "image_url": group.image_url,
            "image_display_url": group.image_url,
            "is_organization": group.is_organization,
            "type": group.type,
        }


def get_helpers() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            get_organization,
            gifu_site_title,
            gifu_source_url,
            gifu_optout_enabled,
            gifu_roundtable_enabled,
            gifu_theme_built,
            gifu_newest_datasets,
            gifu_dataset_count,
            gifu_categories,
            gifu_license_summary,
            gifu_scrub_status,
            gifu_conformance_for_staff,
            gifu_lifecycle,
            gifu_a11y_results,
            gifu_pager_symbols,
            format_resource_items,
        )
    }
