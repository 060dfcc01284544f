"""Template helpers of the optout plugin (prefixed ``optout_``)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from . import lifecycle, model
from .keys import ATTRIBUTE_LABELS

STATUS_LABELS = {
    model.PENDING: "受付済（有効）",
    model.VERIFIED: "確認済（有効）",
    model.REJECTED: "却下",
    model.WITHDRAWN: "解除済",
}

STATE_LABELS = {name: state.label for name, state in lifecycle.STATES.items()}


def optout_status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def optout_state_label(state: str | None) -> str:
    return STATE_LABELS.get(state or "", "対象外")


def optout_attribute_label(attribute: str) -> str:
    return ATTRIBUTE_LABELS.get(attribute, attribute)


def optout_dataset_state(package_id: str) -> dict | None:
    row = model.Session.get(model.OptoutDataset, package_id)
    return row.as_dict() if row else None


def optout_notice_days() -> int:
    """The notice period offered by default: never shorter than the minimum."""
    return max(int(tk.config.get("ckanext.optout.notice_days")), optout_notice_min_days())


def optout_notice_min_days() -> int:
    return int(tk.config.get("ckanext.optout.notice_min_days"))


def optout_contact_retention_days() -> int:
    return int(tk.config.get("ckanext.optout.contact_retention_days"))


def get_helpers():
    return {
        f.__name__: f
        for f in (
            optout_status_label,
            optout_state_label,
            optout_attribute_label,
            optout_dataset_state,
            optout_notice_days,
            optout_notice_min_days,
            optout_contact_retention_days,
        )
    }
