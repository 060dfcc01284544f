"""Template helpers of the roundtable plugin (prefixed ``roundtable_``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import model, terms
from .logic.auth import is_staff


def _context() -> dict[str, Any]:
    user = tk.current_user
    return {"user": user.name if getattr(user, "is_authenticated", False) else ""}


def roundtable_ready() -> bool:
    """Whether the plugin's tables exist (``ckan db upgrade -p roundtable`` has run)."""
    return model.tables_exist()


def roundtable_is_staff() -> bool:
    return is_staff(_context()["user"])


def roundtable_statuses() -> list[tuple[str, str]]:
    return [(key, ja) for key, (ja, _en) in terms.STATUSES.items()]


def roundtable_feedback_kinds() -> list[tuple[str, str]]:
    return [(key, ja) for key, (ja, _en) in terms.FEEDBACK_KINDS.items()]


def roundtable_hold_label(reason: str | None) -> str:
    return terms.hold_label(reason)


def roundtable_dataset_requests(package_id: str) -> list[dict[str, Any]]:
    """The public requests that a dataset answers (for its page)."""
    try:
        return tk.get_action("roundtable_request_search")(
            _context(), {"package_id": package_id, "limit": 20}
        )["results"]
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return []


def roundtable_dataset_feedback(package_id: str) -> list[dict[str, Any]]:
    try:
        return tk.get_action("roundtable_comment_list")(_context(), {"package_id": package_id})["results"]
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return []


def get_helpers() -> dict[str, Any]:
    return {
        name: function
        for name, function in globals().items()
        if name.startswith("roundtable_") and callable(function)
    }
