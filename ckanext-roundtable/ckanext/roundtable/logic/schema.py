"""Validation schemas of the roundtable actions (CKAN navl schemas)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from .. import terms

TITLE_MAX = 200
TEXT_MAX = 4000
AUDIENCE_MAX = 1000
COMMENT_MAX = 2000


def _v(name: str) -> Any:
    return tk.get_validator(name)


def max_chars(limit: int):
    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise tk.Invalid(f"{limit} 文字以内で入力してください ({limit} characters at most)")
        return value

    return validator


def stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def required_text(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip():
        raise tk.Invalid("入力してください (required)")
    return value


def at_most(limit: int):
    def validator(value: Any) -> Any:
        return min(int(value), limit)

    return validator


def choice(options: dict[str, Any] | tuple[str, ...]):
    def validator(value: Any) -> Any:
        if value not in options:
            raise tk.Invalid("選択肢から選んでください: " + ", ".join(options) + " (not a valid choice)")
        return value

    return validator


def request_create() -> dict[str, Any]:
    ignore_missing, unicode_safe = _v("ignore_missing"), _v("unicode_safe")
    return {
        "title": [_v("not_missing"), unicode_safe, stripped, required_text, max_chars(TITLE_MAX)],
        "description": [_v("not_missing"), unicode_safe, stripped, required_text, max_chars(TEXT_MAX)],
        "audience": [ignore_missing, unicode_safe, stripped, max_chars(AUDIENCE_MAX)],
        "contact": [_v("ignore_empty"), unicode_safe, stripped, _v("email_validator"), max_chars(254)],
        "group": [_v("ignore_empty"), unicode_safe, _v("group_id_or_name_exists")],
    }


def request_id() -> dict[str, Any]:
    return {"id": [_v("not_empty"), _v("unicode_safe")]}


def request_search() -> dict[str, Any]:
    ignore_missing, unicode_safe = _v("ignore_missing"), _v("unicode_safe")
    return {
        "q": [ignore_missing, unicode_safe, max_chars(200)],
        "status": [_v("ignore_empty"), choice(terms.STATUSES)],
        "package_id": [_v("ignore_empty"), unicode_safe],
        "sort": [_v("default")("support"), choice(("support", "new"))],
        "include_held": [_v("default")(False), _v("boolean_validator")],
        "limit": [_v("default")(20), _v("natural_number_validator"), at_most(100)],
        "offset": [_v("default")(0), _v("natural_number_validator")],
    }


def comment_create() -> dict[str, Any]:
    ignore_empty, unicode_safe = _v("ignore_empty"), _v("unicode_safe")
    return {
        "request_id": [ignore_empty, unicode_safe],
        "package_id": [ignore_empty, unicode_safe],
        "parent_id": [ignore_empty, unicode_safe],
        "kind": [ignore_empty, choice(terms.FEEDBACK_KINDS)],
        "body": [_v("not_missing"), unicode_safe, stripped, required_text, max_chars(COMMENT_MAX)],
    }


def comment_list() -> dict[str, Any]:
    ignore_empty, unicode_safe = _v("ignore_empty"), _v("unicode_safe")
    return {
        "request_id": [ignore_empty, unicode_safe],
        "package_id": [ignore_empty, unicode_safe],
        "include_held": [_v("default")(False), _v("boolean_validator")],
    }


def update_status() -> dict[str, Any]:
    ignore_missing, unicode_safe = _v("ignore_missing"), _v("unicode_safe")
    return {
        "id": [_v("not_empty"), unicode_safe],
        "status": [_v("not_empty"), choice(terms.STATUSES)],
        "reason": [ignore_missing, unicode_safe, stripped, max_chars(TEXT_MAX)],
        "organization": [_v("ignore_empty"), unicode_safe, _v("group_id_or_name_exists")],
    }


def link_dataset() -> dict[str, Any]:
    return {
        "id": [_v("not_empty"), _v("unicode_safe")],
        "package_id": [_v("ignore_missing"), _v("unicode_safe")],
    }


def moderate() -> dict[str, Any]:
    return {
        "type": [_v("not_empty"), choice(("request", "comment"))],
        "id": [_v("not_empty"), _v("unicode_safe")],
        "decision": [_v("not_empty"), choice(("approve", "hide"))],
    }


def summary() -> dict[str, Any]:
    return {"limit": [_v("default")(10), _v("natural_number_validator")]}
