"""Validation schemas of the anonymize actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

POLICIES = ("keep", "transform", "analyze")
TEXT_PREVIEW_MAX = 10_000


def column_policies(value: Any, context: Any) -> dict[str, str]:
    """``{"氏名": "keep", ...}`` (a dict or its JSON text); policies: keep, transform, analyze."""
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            raise tk.Invalid("JSON の形式ではありません / not valid JSON") from None
    if not isinstance(value, dict):
        raise tk.Invalid(
            "列名と方針の対応 (dict) を指定してください / expected a mapping of column to policy"
        )
    for column, policy in value.items():
        if not isinstance(column, str) or policy not in POLICIES:
            raise tk.Invalid(
                f"列「{column}」の方針 {policy!r} は使えません（keep / transform / analyze） / "
                f"invalid policy {policy!r} for column {column!r} (keep, transform, analyze)"
            )
    return value


def text_limit(value: Any, context: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise tk.Invalid("テキストを入力してください / text is required")
    if len(value) > TEXT_PREVIEW_MAX:
        raise tk.Invalid(f"{TEXT_PREVIEW_MAX:,} 文字までです / at most {TEXT_PREVIEW_MAX:,} characters")
    return value


def resource_id_schema() -> dict[str, Any]:
    v = tk.get_validator
    return {"id": [v("not_empty"), v("unicode_safe"), v("resource_id_exists")]}


def policy_update_schema() -> dict[str, Any]:
    v = tk.get_validator
    schema = resource_id_schema()
    schema["columns"] = [v("not_missing"), column_policies]
    return schema


def publish_schema() -> dict[str, Any]:
    v = tk.get_validator
    schema = resource_id_schema()
    schema["override_block"] = [v("default")(False), v("boolean_validator")]
    schema["as_attachment"] = [v("default")(False), v("boolean_validator")]
    return schema


def rescrub_schema() -> dict[str, Any]:
    v = tk.get_validator
    schema = resource_id_schema()
    schema["keep_published"] = [v("default")(True), v("boolean_validator")]
    schema["background"] = [v("default")(False), v("boolean_validator")]
    return schema


BULK_MAX = 10_000


def id_list(value: Any, context: Any) -> list[str]:
    """A list of ids (a JSON list, or one id); at most ``BULK_MAX``."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise tk.Invalid("id の一覧を指定してください / expected a list of ids")
    if len(value) > BULK_MAX:
        raise tk.Invalid(f"一度に {BULK_MAX:,} 件までです / at most {BULK_MAX:,} ids at once")
    return value


def bulk_rescrub_schema() -> dict[str, Any]:
    v = tk.get_validator
    return {
        "ids": [v("not_missing"), id_list],
        "keep_published": [v("default")(True), v("boolean_validator")],
    }


def text_preview_schema() -> dict[str, Any]:
    return {"text": [tk.get_validator("not_missing"), text_limit]}
