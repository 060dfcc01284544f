"""Who may use the anonymize actions: editors of the dataset's organization (and sysadmins).
Never the public: reports and originals are about closed data."""

from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

__all__ = [
    "anonymize_bulk_rescrub",
    "anonymize_original_download",
    "anonymize_report_show",
    "anonymize_resource_policy_update",
    "anonymize_resource_publish",
    "anonymize_resource_rescrub",
    "anonymize_resource_status_show",
    "anonymize_sweep",
    "anonymize_text_preview",
    "file_create",
]


def _can_edit_resource(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
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


anonymize_resource_status_show = _can_edit_resource
anonymize_report_show = _can_edit_resource
anonymize_resource_policy_update = _can_edit_resource
anonymize_resource_publish = _can_edit_resource
anonymize_resource_rescrub = _can_edit_resource
anonymize_original_download = _can_edit_resource


def anonymize_bulk_rescrub(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Editors of every dataset the resources belong to (and sysadmins)."""
    for resource_id in (data_dict or {}).get("ids") or []:
        result = _can_edit_resource(context, {"id": resource_id})
        if not result["success"]:
            return result
    return {"success": True}


def anonymize_sweep(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Sysadmins only (and the scheduler, which acts as the site user)."""
    return {"success": False, "msg": "システム管理者のみ / sysadmins only"}


def anonymize_text_preview(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Staff who can create datasets in some organization (editors, admins, sysadmins)."""
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    if user is None or not getattr(user, "is_authenticated", True) or not context.get("user"):
        return {"success": False, "msg": "ログインが必要です / login required"}
    orgs = tk.get_action("organization_list_for_user")(
        {"user": context["user"], "ignore_auth": True}, {"permission": "create_dataset"}
    )
    if orgs:
        return {"success": True}
    return {"success": False, "msg": "職員（組織の編集者）のみ使えます / staff (organization editors) only"}


@tk.chained_auth_function
def file_create(next_auth: Any, context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """CKAN 2.12's files API stores uploads without passing the resource uploader, so it would
    bypass the scrubbing pipeline: with anonymize on it is closed to everyone but sysadmins,
    unless the operator opens it (ckanext.anonymize.allow_files_api)."""
    if not tk.asbool(tk.config.get("ckanext.anonymize.allow_files_api")):
        return {
            "success": False,
            "msg": "ファイルAPIは匿名化の対象外のため使えません。リソースとしてアップロードしてください / "
            "the files API bypasses scrubbing and is closed; upload a resource instead",
        }
    return next_auth(context, data_dict)
