"""What the optout actions share: who acts, and the dataset asked for."""

from __future__ import annotations

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk

from ..auth import is_registry_staff


def actor(context: dict) -> str:
    """Who the audit log names: the user, or a resident without an account."""
    return context.get("user") or "resident"


def is_staff(context: dict) -> bool:
    return bool(context.get("ignore_auth")) or is_registry_staff(context.get("user"))


def package(id_or_name: str) -> ckan_model.Package:
    """The dataset (not deleted), or ObjectNotFound."""
    pkg = ckan_model.Package.get(id_or_name)
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound("データセットが見つかりません (dataset not found)")
    return pkg
