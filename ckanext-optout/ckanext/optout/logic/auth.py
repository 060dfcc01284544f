"""Auth functions of the optout actions.

- Residents (anyone, no account): file a request, check or withdraw it with its token, read the
  notice and stock lists.
- Registry staff (sysadmins, and editors/admins of ``ckanext.optout.staff_organization``): list,
  verify, reject, withdraw on a resident's behalf, audit log.
- Editors of a dataset (``package_update``): its lifecycle (who may ask for each transition is
  in the lifecycle table, ``lifecycle.py``) and its resources' subject columns.
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.model as ckan_model
import ckan.plugins.toolkit as tk

from .. import lifecycle


def is_registry_staff(user_name: str | None) -> bool:
    """Sysadmins, and editors/admins of ``ckanext.optout.staff_organization`` when set."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    org_name = tk.config.get("ckanext.optout.staff_organization")
    if not org_name:
        return False
    org = ckan_model.Group.get(org_name)
    if org is None or not org.is_organization:
        return False
    # editors have update_dataset, admins have every permission
    return authz.has_user_permission_for_group_or_org(org.id, user_name, "update_dataset")


def _staff_only(context: dict, data_dict: dict) -> dict[str, Any]:
    if is_registry_staff(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": "オプトアウト登録簿の担当職員のみ操作できます (registry staff only)"}


def _can_edit_package(context: dict, package_id: str | None) -> dict[str, Any]:
    if not package_id:
        return {"success": False, "msg": "データセットを指定してください (dataset required)"}
    tk.check_access("package_update", context, {"id": package_id})
    return {"success": True}


def _editor(context: dict, data_dict: dict) -> dict[str, Any]:
    try:
        return _can_edit_package(context, data_dict.get("id"))
    except tk.NotAuthorized:
        return {
            "success": False,
            "msg": "このデータセットの編集権限がありません (not an editor of this dataset)",
        }


@tk.auth_allow_anonymous_access
def optout_request_create(context, data_dict):
    return {"success": True}


@tk.auth_allow_anonymous_access
def optout_request_show(context, data_dict):
    # The token is checked by the action: knowing it is the permission.
    return {"success": True}


@tk.auth_allow_anonymous_access
def optout_request_withdraw(context, data_dict):
    # With the token anyone may withdraw; without it only staff (checked by the action).
    return {"success": True}


def optout_request_list(context, data_dict):
    return _staff_only(context, data_dict)


def optout_request_verify(context, data_dict):
    return _staff_only(context, data_dict)


def optout_request_reject(context, data_dict):
    return _staff_only(context, data_dict)


def optout_audit_list(context, data_dict):
    return _staff_only(context, data_dict)


def optout_dataset_release_due(context, data_dict):
    return _staff_only(context, data_dict)


def optout_contact_purge(context, data_dict):
    return _staff_only(context, data_dict)


def optout_resource_configure(context, data_dict):
    resource = ckan_model.Resource.get(data_dict.get("resource_id") or "")
    try:
        return _can_edit_package(context, resource.package_id if resource else None)
    except tk.NotAuthorized:
        return {
            "success": False,
            "msg": "このデータセットの編集権限がありません (not an editor of this dataset)",
        }


@tk.auth_allow_anonymous_access
def optout_resource_show(context, data_dict):
    try:
        tk.check_access("resource_show", context, {"id": data_dict.get("resource_id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": "not authorized"}
    return {"success": True}


# Who may ask for a lifecycle transition: the table's ``who`` (lifecycle.py), checked here.
_CHECK_BY_ROLE = {lifecycle.EDITORS: _editor}


def _may_move(transition: str, context: dict, data_dict: dict) -> dict[str, Any]:
    return _CHECK_BY_ROLE[lifecycle.TRANSITIONS[transition].who](context, data_dict)


def optout_dataset_stock(context, data_dict):
    return _may_move("stock", context, data_dict)


def optout_dataset_notice(context, data_dict):
    return _may_move("notice", context, data_dict)


def optout_dataset_hold(context, data_dict):
    # One action holds and lifts the hold: both are asked for by the same people.
    return _may_move("hold", context, data_dict)


def optout_dataset_release(context, data_dict):
    # Before the deadline only sysadmins: a precondition of the transition (lifecycle.py).
    return _may_move("release", context, data_dict)


@tk.auth_allow_anonymous_access
def optout_dataset_show(context, data_dict):
    # The lifecycle state only; datasets in stock are listed publicly anyway (metadata only).
    return {"success": True}


@tk.auth_allow_anonymous_access
def optout_notice_list(context, data_dict):
    return {"success": True}


@tk.auth_allow_anonymous_access
def optout_stock_list(context, data_dict):
    return {"success": True}


__all__ = [name for name in dir() if name.startswith("optout_")]  # not is_registry_staff
