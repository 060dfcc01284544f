"""``gifu_standards_catalogue``: which 自治体標準オープンデータセット the city should publish (one
per spec), which it does (datasets carrying the standard's tag, by ``package_search``), which
conform and which are missing. The staff dashboard (``/gifu/standards``) and the public
machine-readable catalogue (``/gifu/standards/conformance.json``) are this action's answer.

Conformance is that of the **public** file of each uploaded CSV (what aggregators download), never
of a closed original: listing the catalogue reads no original and records no access. A report is
kept in memory per file version (path, modification time, size) so that a catalogue request checks
only files that changed since.
"""

from __future__ import annotations

import datetime
import functools
import os
from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.exceptions import NotFound

from ckanext.gifu import standards
from ckanext.gifu.logic.conformance import CSV_FORMATS, CSV_SUFFIXES, NORMALISE_FLAG
from ckanext.gifu.logic.validators import AGGREGATOR_LICENSES, STANDARD_DATASET_TAG

MAX_DATASETS = 1000


@functools.lru_cache(maxsize=512)
def _checked(path: str, mtime_ns: int, size: int, spec_id: str) -> dict[str, Any]:
    """The summary of one file version's report (the arguments are the cache key)."""
    with open(path, "rb") as f:
        report = standards.check(f.read(), standards.load(spec_id)).to_dict()
    return {k: report[k] for k in ("conforms", "fixable", "encoding", "rows", "errors", "warnings")}


def _public_report(resource: dict[str, Any], spec: standards.Spec) -> dict[str, Any] | None:
    """The summary of the resource's public file, or None when it has none (not yet published,
    a link, not a CSV)."""
    if resource.get("url_type") != "upload":
        return None
    fmt = (resource.get("format") or "").strip().lower()
    if fmt not in CSV_FORMATS and not (resource.get("url") or "").lower().endswith(CSV_SUFFIXES):
        return None
    from ckan.lib import uploader

    try:
        path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    except NotFound:  # anonymize: no derivative published
        return None
    if not isinstance(path, str) or not os.path.exists(path):
        return None
    stat = os.stat(path)
    return _checked(path, stat.st_mtime_ns, stat.st_size, spec.id)


def _resource_entry(resource: dict[str, Any], spec: standards.Spec) -> dict[str, Any]:
    report = _public_report(resource, spec)
    return {
        "id": resource["id"],
        "name": resource.get("name") or "",
        "url": resource.get("url") or "",
        "format": resource.get("format") or "",
        "normalised": bool(resource.get(NORMALISE_FLAG)),
        "checked": report is not None,
        **(report or {"conforms": None}),
    }


def _dataset_entry(package: dict[str, Any], spec: standards.Spec) -> dict[str, Any]:
    resources = [_resource_entry(r, spec) for r in package.get("resources") or []]
    checked = [r for r in resources if r["checked"]]
    return {
        "id": package["id"],
        "name": package["name"],
        "title": package.get("title") or package["name"],
        "url": tk.url_for("dataset.read", id=package["name"], _external=True),
        "private": bool(package.get("private")),
        "license_id": package.get("license_id"),
        "license_title": package.get("license_title"),
        "license_accepted_by_aggregators": package.get("license_id") in AGGREGATOR_LICENSES,
        "conforms": bool(checked) and all(r["conforms"] for r in checked),
        "resources": resources,
    }


def _status(datasets: list[dict[str, Any]]) -> str:
    if not datasets:
        return "missing"
    if any(d["conforms"] for d in datasets):
        return "conforms"
    if any(r["checked"] for d in datasets for r in d["resources"]):
        return "does_not_conform"
    return "not_checked"


STATUS_LABELS = {
    "conforms": ("公開済・適合", "published, conforms"),
    "does_not_conform": ("公開済・不適合", "published, does not conform"),
    "not_checked": (
        "公開済・未確認（確認できる CSV の公開ファイルなし）",
        "published, no public CSV to check",
    ),
    "missing": ("未公開", "not published"),
}


@tk.side_effect_free
def gifu_standards_catalogue(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The city's 自治体標準オープンデータセット: for every standard with a column specification, the
    datasets that follow it (tag 自治体標準ODS and 準拠する標準), their licence and whether it is
    one aggregators ingest, each uploaded CSV's conformance (of its public file) and the
    standard's status: ``conforms``, ``does_not_conform``, ``not_checked`` or ``missing``.

    Anyone may ask; the datasets listed are those the caller may see: public ones, and with
    ``include_private`` the private ones of the caller's organizations too.

    :param include_private: also list private datasets the caller may see (default false)
    :type include_private: bool
    :returns: ``publisher``, ``municipality_code``, ``generated``, ``summary`` (``standards``,
        ``published``, ``conforming``, ``missing``) and ``standards`` (``spec``, ``title``,
        ``title_en``, ``source``, ``status``, ``status_label``, ``datasets``)
    :rtype: dictionary
    """
    tk.check_access("gifu_standards_catalogue", context, data_dict)
    include_private = tk.asbool(data_dict.get("include_private", False))
    found = tk.get_action("package_search")(
        dict(context),
        {
            "fq": f'+dataset_type:dataset +tags:"{STANDARD_DATASET_TAG}"',
            "rows": MAX_DATASETS,
            "include_private": include_private,
            "sort": "title_string asc",
        },
    )
    by_standard: dict[str, list[dict[str, Any]]] = {}
    for package in found["results"]:
        if include_private or not package.get("private"):
            by_standard.setdefault(package.get("conforms_to") or "", []).append(package)
    entries = []
    for spec in standards.all_specs():
        datasets = [_dataset_entry(p, spec) for p in by_standard.get(spec.title, [])]
        status = _status(datasets)
        ja, en = STATUS_LABELS[status]
        entries.append(
            {
                "spec": spec.id,
                "title": spec.title,
                "title_en": spec.title_en,
                "source": spec.source,
                "status": status,
                "status_label": {"ja": ja, "en": en},
                "datasets": datasets,
            }
        )
    return {
        "publisher": tk.config.get("ckanext.gifu.publisher_name"),
        "municipality_code": tk.config.get("ckanext.gifu.municipality_code"),
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "summary": {
            "standards": len(entries),
            "published": sum(e["status"] != "missing" for e in entries),
            "conforming": sum(e["status"] == "conforms" for e in entries),
            "missing": sum(e["status"] == "missing" for e in entries),
        },
        "standards": entries,
    }


@tk.auth_allow_anonymous_access
def gifu_standards_catalogue_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Anyone: package_search shows each caller only what they may see."""
    return {"success": True}


def gifu_standards_dashboard_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Staff: users who may create datasets in some organization (and sysadmins)."""
    if not context.get("user"):
        return {"success": False, "msg": "ログインが必要です / login required"}
    orgs = tk.get_action("organization_list_for_user")(
        {"user": context["user"], "ignore_auth": True}, {"permission": "create_dataset"}
    )
    if orgs:
        return {"success": True}
    return {"success": False, "msg": "職員（組織の編集者）のみ / staff (organization editors) only"}
