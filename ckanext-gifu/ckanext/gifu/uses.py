"""活用事例 (uses of data): apps, analyses and articles that use the portal's datasets.

A use is a CKAN package of type ``use`` (schema ``schemas/use.yaml``, served by ckanext-scheming
at ``/use/``), owned by the organization that registers it: CKAN's own auth applies, no table of
its own. Its ``used_datasets`` are stored as a JSON list of dataset ids and indexed in Solr as
``vocab_used_datasets`` (CKAN's schema has one multi-valued exact-string dynamic field,
``vocab_*``; no change to the Solr schema), so a dataset page asks
``fq=+dataset_type:use +vocab_used_datasets:"<id>"``.

Privacy: a use's index document holds the ids only, never a used dataset's title, and every page
shows a used dataset through ``package_show`` with the viewer's own rights, so a use that lists a
dataset in stock or notice shows nothing of it to someone who cannot read it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from ckan.plugins.toolkit import _

log = logging.getLogger(__name__)

USE_TYPE = "use"
SOLR_FIELD = "vocab_used_datasets"
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "use.yaml")
MAX_SHOWN = 50

URL_REFUSED = (
    "URL は http:// または https:// で始まるものにしてください。 / "
    "The URL must start with http:// or https://."
)
NO_DATASET = "使用しているデータセットを 1 つ以上指定してください。 / Name at least one dataset the use uses."
NOT_FOUND = "データセットが見つかりません: {ref} / No such dataset: {ref}"

_HTTP_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,、，]+")


# Validators (schemas/use.yaml)


def gifu_http_url(value: Any, context: dict[str, Any]) -> Any:
    """Only http(s) links: a ``javascript:`` or ``data:`` URL would run in a visitor's browser."""
    if value is tk.missing or value is None or value == "":
        return value
    if not _HTTP_URL.match(str(value)):
        raise tk.Invalid(URL_REFUSED)
    return value


def _references(value: Any) -> list[str]:
    """A list, a JSON list, or text with one name or id per line (commas and spaces also part)."""
    if value is tk.missing or value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            with contextlib.suppress(ValueError):
                value = json.loads(text)
        if isinstance(value, str):
            return [r for r in _SEPARATORS.split(text) if r]
    if isinstance(value, (list, tuple)):
        return [str(r).strip() for r in value if r is not None and str(r).strip()]
    return [str(value)] if value else []


def gifu_used_datasets(value: Any, context: dict[str, Any]) -> str:
    """The datasets a use uses, by name or id, stored as a JSON list of ids (names change, ids do
    not). Each must be an active dataset the one saving the use may read: a dataset they cannot
    see is answered as not found, exactly as a name that does not exist."""
    import ckan.model as model

    refs = _references(value)
    if not refs:
        raise tk.Invalid(NO_DATASET)
    auth_context = {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)}
    ids: list[str] = []
    for ref in refs:
        pkg = model.Package.get(ref)
        readable = pkg is not None and pkg.state == "active" and (pkg.type or "dataset") == "dataset"
        if readable:
            try:
                tk.check_access("package_show", dict(auth_context), {"id": pkg.id})
            except tk.NotAuthorized:
                readable = False
        if not readable:
            raise tk.Invalid(NOT_FOUND.format(ref=ref))
        if pkg.id not in ids:
            ids.append(pkg.id)
    return json.dumps(ids)


def get_validators() -> dict[str, Any]:
    return {"gifu_http_url": gifu_http_url, "gifu_used_datasets": gifu_used_datasets}


# Search index (IPackageController.before_dataset_index)


def index_used_datasets(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Put the ids a use lists into the multi-valued exact field ``vocab_used_datasets``."""
    if pkg_dict.get("dataset_type") != USE_TYPE:
        return pkg_dict
    try:
        data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    except ValueError:
        return pkg_dict
    ids = _references(data.get("used_datasets"))
    if ids:
        pkg_dict[SOLR_FIELD] = ids
    return pkg_dict


def exclude_where_showcases_are(search_params: dict[str, Any]) -> dict[str, Any]:
    """A search that leaves out ckanext-showcase's packages (ckanext-dcat's catalogue does:
    ``-dataset_type:showcase``) means datasets: a use is gifu's showcase, left out too."""
    fq_list = search_params.get("fq_list") or []
    if "-dataset_type:showcase" in fq_list and f"-dataset_type:{USE_TYPE}" not in fq_list:
        search_params["fq_list"] = [*fq_list, f"-dataset_type:{USE_TYPE}"]
    return search_params


# Template helpers


def _viewer_context() -> dict[str, Any]:
    user = tk.current_user
    return {"user": user.name if user.is_authenticated else "", "auth_user_obj": user}


def gifu_uses_enabled() -> bool:
    """Whether the ``use`` type is served (scheming loaded with gifu's use schema)."""
    import flask

    return f"{USE_TYPE}.search" in flask.current_app.view_functions


def gifu_uses_of_dataset(package_id: str, limit: int = MAX_SHOWN) -> list[dict[str, Any]]:
    """The uses listing this dataset that the viewer may see, newest first."""
    from ckanext.gifu.theme.helpers import SEARCH_DOWN

    try:
        found = tk.get_action("package_search")(
            _viewer_context(),
            {
                "fq": f'+dataset_type:{USE_TYPE} +{SOLR_FIELD}:"{package_id}"',
                "rows": int(limit),
                "sort": "metadata_created desc",
                "include_private": True,  # only what the viewer may read (permission labels)
            },
        )
    except SEARCH_DOWN as exc:
        log.warning("uses of %s unavailable: %s", package_id, exc)
        return []
    return found["results"]


def gifu_used_datasets_visible(ids: Any) -> list[dict[str, Any]]:
    """The datasets a use lists, as the viewer may see them: a dataset they cannot read (in stock
    or notice, deleted) is left out, title, name and all."""
    shown = []
    for ref in _references(ids):
        try:
            pkg = tk.get_action("package_show")(_viewer_context(), {"id": ref})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue
        if pkg.get("state") != "active":
            continue
        shown.append({"id": pkg["id"], "name": pkg["name"], "title": pkg.get("title") or pkg["name"]})
    return shown


def gifu_used_dataset_names(ids: Any) -> str:
    """The form's text: one dataset name per line (the id when the editor cannot read it, so
    saving the form keeps it); text the editor typed is given back as typed."""
    if isinstance(ids, str) and not ids.lstrip().startswith("["):
        return ids
    names = []
    for ref in _references(ids):
        try:
            names.append(tk.get_action("package_show")(_viewer_context(), {"id": ref})["name"])
        except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
            names.append(ref)
    return "\n".join(names)


@functools.cache
def _kind_labels() -> dict[str, dict[str, str]]:
    with open(SCHEMA, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    field = next(f for f in schema["dataset_fields"] if f["field_name"] == "kind")
    return {c["value"]: c["label"] for c in field["choices"]}


def gifu_use_kind_label(kind: str | None) -> str:
    """アプリ / 分析 / 記事 / その他 (App / Analysis / Article / Other on English pages)."""
    labels = _kind_labels().get(kind or "")
    if not labels:
        return kind or ""
    lang = tk.h.lang() or "ja"
    return labels.get(lang) or labels["ja"]


# CKAN's names for a package type ("Add Use", "Uses"...) in Japanese, and plain English.
def _humanized() -> dict[str, str]:
    return {
        "add link": _("Register a use of data"),
        "breadcrumb": _("Uses of data"),
        "content tab": _("Uses of data"),
        "create label": _("Register a use of data"),
        "create title": _("Register a use of data"),
        "delete confirmation": _("Are you sure you want to delete this use of data?"),
        "edit label": _("Edit use of data"),
        "facet label": _("Uses of data"),
        "main nav": _("Uses of data"),
        "my label": _("My uses of data"),
        "no any objects": _("No uses of data have been registered yet."),
        "page title": _("Uses of data"),
        "save label": _("Save use of data"),
        "search placeholder": _("Search uses of data..."),
        "update label": _("Update use of data"),
        "view label": _("View use of data"),
    }


@tk.chained_helper
def humanize_entity_type(next_helper: Any, entity_type: str, object_type: str, purpose: str) -> Any:
    if (entity_type, object_type) != ("package", USE_TYPE):
        return next_helper(entity_type, object_type, purpose)
    return _humanized().get(purpose) or _("Use of data")


def get_helpers() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            gifu_uses_enabled,
            gifu_uses_of_dataset,
            gifu_used_datasets_visible,
            gifu_used_dataset_names,
            gifu_use_kind_label,
            humanize_entity_type,
        )
    }
