"""Auth functions of the roundtable actions.

- Anyone, with or without an account: file, read, search, support and comment on requests, and
  give feedback on a dataset they can see.
- Staff (sysadmins, and editors or admins of any organization: the people who publish data):
  answer requests (status, linked dataset), reply, moderate, and read the roundtable summary.
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk

__all__ = [
    "roundtable_comment_create",
    "roundtable_comment_list",
    "roundtable_moderate",
    "roundtable_moderation_list",
    "roundtable_request_create",
    "roundtable_request_link_dataset",
    "roundtable_request_search",
    "roundtable_request_show",
    "roundtable_request_support",
    "roundtable_request_update_status",
    "roundtable_summary",
]

STAFF_ONLY = "市の担当職員のみ操作できます (city staff only)"


def is_staff(user_name: str | None) -> bool:
    """Sysadmins, and users who may create datasets in some organization."""
    if not user_name:
        return False
    return bool(
        authz.is_sysadmin(user_name) or authz.has_user_permission_for_some_org(user_name, "create_dataset")
    )


def _anyone(context: dict, data_dict: dict) -> dict[str, Any]:
    return {"success": True}


def _staff(name: str):
    def auth(context: dict, data_dict: dict) -> dict[str, Any]:
        if is_staff(context.get("user")):
            return {"success": True}
        return {"success": False, "msg": STAFF_ONLY}

    auth.__name__ = auth.__qualname__ = name  # CKAN names the function in its refusals
    return auth


roundtable_request_create = tk.auth_allow_anonymous_access(_anyone)
roundtable_request_show = tk.auth_allow_anonymous_access(_anyone)
roundtable_request_search = tk.auth_allow_anonymous_access(_anyone)
roundtable_request_support = tk.auth_allow_anonymous_access(_anyone)
roundtable_comment_list = tk.auth_allow_anonymous_access(_anyone)


@tk.auth_allow_anonymous_access
def roundtable_comment_create(context: dict, data_dict: dict) -> dict[str, Any]:
    """Anyone; feedback on a dataset only from who can see the dataset; a reply only from staff."""
    if data_dict.get("parent_id") and not is_staff(context.get("user")):
        return {"success": False, "msg": STAFF_ONLY}
    if data_dict.get("package_id"):
        try:
            tk.check_access("package_show", dict(context), {"id": data_dict["package_id"]})
        except tk.ObjectNotFound:
            return {"success": False, "msg": "データセットが見つかりません (dataset not found)"}
        except tk.NotAuthorized:
            return {"success": False, "msg": "このデータセットは公開されていません (dataset not public)"}
    return {"success": True}


roundtable_request_update_status = _staff("roundtable_request_update_status")
roundtable_request_link_dataset = _staff("roundtable_request_link_dataset")
roundtable_moderate = _staff("roundtable_moderate")
roundtable_moderation_list = _staff("roundtable_moderation_list")
roundtable_summary = _staff("roundtable_summary")
