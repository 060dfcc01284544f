"""``gifu_conformance_show``: the conformance report of a standard dataset's resource.

Which bytes are checked follows who may read them, never more:

- with the ``anonymize`` plugin, an upload is a closed original and only its scrubbed
  derivative is public. Staff who may read the original (its own action
  ``anonymize_original_download`` says who, and records the access) get the report of the
  original, which is what they uploaded and what normalising would fix. Everyone else gets the
  report of the public file, or none while no derivative is published: the check never reads
  around the scrub;
- without it, CKAN's stored upload is what the resource's download serves to whoever can see the
  resource, and that is what is checked.

The report names columns, row numbers and counts, never a cell's value. Links to files elsewhere
are not fetched (the portal downloads nothing at run time).
"""

from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.exceptions import NotFound

from ckanext.gifu import standards

CSV_FORMATS = {"csv", "text/csv", "tsv", "text/tab-separated-values", "txt", "text/plain"}
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def _not_checked(result: dict[str, Any], ja: str, en: str) -> dict[str, Any]:
    return result | {"checked": False, "reason": f"{ja} / {en}", "reason_ja": ja, "reason_en": en}


def _original(context: dict[str, Any], resource_id: str) -> bytes | None:
    """The closed original through the anonymize plugin's action, when it is loaded and the
    caller may read it; None otherwise."""
    try:
        download = tk.get_action("anonymize_original_download")
    except KeyError:  # the plugin is not loaded: there is no closed original
        return None
    own = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj"), "return_path": True}
    try:
        path = download(own, {"id": resource_id}).get("path")
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return None
    if not path or not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


def _served(resource: dict[str, Any]) -> bytes | None:
    """What the resource's download serves (with anonymize: the published derivative)."""
    from ckan.lib import uploader

    try:
        path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    except NotFound:  # anonymize: no derivative published yet
        return None
    if not isinstance(path, str) or not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


def gifu_conformance_show(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The report of a resource against the 自治体標準オープンデータセット its dataset follows
    (the dataset's 準拠する標準, ``conforms_to``): encoding, missing or misnamed columns with the
    standard name when it is unambiguous, values in the wrong format with row numbers, and
    whether normalising would fix them, in Japanese and English.

    Anyone who can see the resource may ask (POST: reading a closed original is recorded, a
    side effect). With the anonymize plugin, staff who may read the
    closed original get its report (the access is recorded by that plugin); others get the
    report of the published scrubbed file, or ``checked: false`` while there is none.

    :param id: the resource id
    :type id: string
    :returns: ``checked``, ``source`` (``original``, ``public`` or ``upload``), ``standard``,
        ``spec``, ``conforms``, ``fixable``, ``encoding``, ``rows``, ``errors``, ``warnings``,
        ``summary``, ``issues`` (``code``, ``severity``, ``message``, ``column``,
        ``suggestion``, ``rows``, ``count``, ``fixable``), ``spec_source``; with
        ``checked: false`` a ``reason`` instead of the report
    :rtype: dictionary
    """
    resource_id = tk.get_or_bust(data_dict, "id")
    tk.check_access("gifu_conformance_show", context, {"id": resource_id})
    resource = tk.get_action("resource_show")(dict(context), {"id": resource_id})
    package = tk.get_action("package_show")(dict(context), {"id": resource["package_id"]})
    title = package.get("conforms_to") or None
    result: dict[str, Any] = {
        "resource_id": resource["id"],
        "package_id": package["id"],
        "standard": title,
    }
    spec = standards.by_title(title) if title else None
    if spec is None:
        if not title:
            return _not_checked(
                result,
                "このデータセットは自治体標準オープンデータセットに準拠するものとして登録されていません。",
                "This dataset is not marked as following a municipal standard open dataset.",
            )
        return _not_checked(
            result,
            f"「{title}」の項目定義はまだ用意されていません。",
            f"There is no column specification for 「{title}」 yet.",
        )
    result |= {"spec": spec.id, "spec_source": spec.source}
    if resource.get("url_type") != "upload":
        return _not_checked(
            result,
            "アップロードされたファイルのみ確認できます（リンク先のファイルは取得しません）。",
            "Only uploaded files are checked (linked files are not fetched).",
        )
    fmt = (resource.get("format") or "").strip().lower()
    url = (resource.get("url") or "").lower()
    if fmt not in CSV_FORMATS and not url.endswith(CSV_SUFFIXES):
        return _not_checked(
            result,
            "CSV ファイルのみ確認できます。",
            "Only CSV files are checked.",
        )
    data = _original(context, resource["id"])
    source = "original"
    if data is None:
        data = _served(resource)
        try:
            tk.get_action("anonymize_original_download")
            source = "public"
        except KeyError:  # no anonymize: CKAN's stored upload, public to whoever sees the resource
            source = "upload"
    result["source"] = source
    if data is None:
        return _not_checked(
            result,
            "公開用のファイルがまだありません（匿名化の確認待ちなど）。",
            "There is no public file yet (e.g. waiting for the scrub review).",
        )
    report = standards.check(data, spec).to_dict()
    return result | {"checked": True} | report


@tk.auth_allow_anonymous_access
def gifu_conformance_show_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever can see the resource (``resource_show``: the dataset's visibility and lifecycle)."""
    try:
        tk.check_access("resource_show", dict(context), {"id": (data_dict or {}).get("id")})
    except tk.NotAuthorized:
        return {
            "success": False,
            "msg": "このリソースを見る権限がありません / not authorized to see this resource",
        }
    return {"success": True}
