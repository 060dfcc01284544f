"""Template helpers of the anonymize plugin (also for the gifu theme, through ``h.``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def anonymize_status(resource_id: str) -> dict[str, Any] | None:
    """The publishing status of a resource for the current user, or None if they may not see it."""
    if not tk.current_user.is_authenticated:
        return None
    context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
    try:
        status = tk.get_action("anonymize_resource_status_show")(context, {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return None
    return status if status.get("status") != "none" else None


def anonymize_entity_label(entity_type: str) -> str:
    """Japanese name of an entity type for staff pages (氏名, 電話番号...)."""
    from ckanext.anonymize.engine.entities import label

    return label(entity_type).strip("〈〉")


def get_helpers() -> dict[str, Any]:
    return {"anonymize_status": anonymize_status, "anonymize_entity_label": anonymize_entity_label}
