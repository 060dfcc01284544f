"""``gifu_conformance_show``: the conformance report of a standard dataset's resource, and
``gifu_conformance_normalise``: staff ask for its normalised derivative.

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

import ckan.model as model
import ckan.plugins.toolkit as tk
from werkzeug.exceptions import NotFound

from ckanext.gifu import standards

# Resource extra set by ``gifu_conformance_normalise``: the spec id of the standard the
# publishing pipeline normalises the resource into (``stage.py``); empty or absent: not normalised.
NORMALISE_FLAG = "gifu_normalise"
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


def _refused(ja: str, en: str) -> tk.ValidationError:
    return tk.ValidationError({"id": [f"{ja} / {en}"]})


def gifu_conformance_normalise(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Publish the resource in the standard form: its public copy is derived again from the closed
    original, normalised (UTF-8 with BOM, the standard's column names and order, 西暦 dates,
    half-width digits) *before* the PII scrub, then scrubbed, opt-out filtered and reviewed like
    any upload (the ``anonymize`` plugin's publishing pipeline; gifu contributes the stages).
    The closed original is never edited. The public copy is withdrawn at once; the normalised
    one needs the usual approval (in review mode). If normalising fails, the derivation fails
    with the reason (Japanese and English) and nothing is public.

    The request is kept on the resource (extra ``gifu_normalise``: the spec id), so a new upload
    of the same resource is normalised too, until ``enable`` is false.

    Editors of the dataset (``package_update``) only. Needs the ``anonymize`` plugin.

    :param id: the resource id
    :type id: string
    :param enable: normalise (default true), or stop normalising (false: the next derivative is
        the upload as it is, scrubbed)
    :type enable: bool
    :returns: ``resource_id``, ``normalise`` (bool), ``spec``, ``standard`` and ``status`` (the
        anonymize plugin's status after the new derivation: ``review``, ``published``,
        ``failed`` with ``reason_ja`` / ``reason_en``, ...)
    :rtype: dictionary
    """
    resource_id = tk.get_or_bust(data_dict, "id")
    enable = tk.asbool(data_dict.get("enable", True))
    tk.check_access("gifu_conformance_normalise", context, {"id": resource_id})
    try:
        rescrub = tk.get_action("anonymize_resource_rescrub")
    except KeyError:  # no publishing pipeline: a derivative cannot be made, nothing may be edited
        raise _refused(
            "正規化には匿名化プラグイン（anonymize）の公開処理が必要です。",
            "normalising needs the publishing pipeline of the anonymize plugin",
        ) from None
    own = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}
    resource = tk.get_action("resource_show")(dict(own), {"id": resource_id})
    package = tk.get_action("package_show")(dict(own), {"id": resource["package_id"]})
    title = package.get("conforms_to") or None
    spec = standards.by_title(title) if title else None
    if enable:
        if spec is None:
            raise _refused(
                "このデータセットには項目定義のある自治体標準オープンデータセットが選ばれていません（準拠する標準）。",
                "the dataset does not follow a municipal standard open dataset with a column specification",
            )
        fmt = (resource.get("format") or "").strip().lower()
        url = (resource.get("url") or "").lower()
        if resource.get("url_type") != "upload" or (
            fmt not in CSV_FORMATS and not url.endswith(CSV_SUFFIXES)
        ):
            raise _refused(
                "正規化できるのはアップロードされた CSV ファイルだけです。",
                "only uploaded CSV files can be normalised",
            )
    try:
        tk.get_action("anonymize_resource_status_show")(dict(own), {"id": resource_id})
    except tk.ObjectNotFound:
        raise _refused(
            "このリソースには匿名化の対象となるアップロードがありません。ファイルをアップロードし直してください。",
            "the resource has no upload held by the publishing pipeline; upload the file again",
        ) from None
    if enable and spec is not None:
        # Refuse now what the stage would refuse, while the public copy is still up: a request
        # that cannot succeed must not withdraw it. (A later upload the stage cannot normalise
        # fails closed in the pipeline.)
        data = _original(context, resource_id)
        why = standards.unnormalisable(data, spec) if data is not None else None
        if why is not None:
            raise _refused(f"標準形式に正規化できません: {why[0]}", f"cannot be normalised: {why[1]}")
    value = spec.id if enable and spec else ""
    if (resource.get(NORMALISE_FLAG) or "") != value:
        tk.get_action("resource_patch")(dict(own), {"id": resource_id, NORMALISE_FLAG: value})
    # A new derivation from the closed original; the normalised copy is reviewed anew.
    status = rescrub(dict(own), {"id": resource_id, "keep_published": False})
    return {
        "resource_id": resource_id,
        "normalise": bool(value),
        "spec": spec.id if spec else None,
        "standard": title,
        "status": status,
    }


def gifu_conformance_normalise_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Editors of the resource's dataset (``package_update``)."""
    resource = model.Resource.get((data_dict or {}).get("id") or "")
    if resource is None:
        return {"success": False, "msg": "リソースが見つかりません / resource not found"}
    try:
        tk.check_access("package_update", dict(context), {"id": resource.package_id})
    except tk.NotAuthorized:
        return {
            "success": False,
            "msg": "このデータセットの編集者のみが操作できます / only editors of this dataset may do this",
        }
    return {"success": True}
