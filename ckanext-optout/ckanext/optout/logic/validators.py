"""Validators of the optout action schemas (registered through IValidators by blanket)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ..keys import ATTRIBUTE_LABELS, ATTRIBUTES, NormalisationError, normalize, normalize_code


def optout_subject(value: Any, context: dict) -> dict[str, str]:
    """A resident's identifying attributes: 氏名 and 生年月日 required, フリガナ and 住所 optional.

    The values are checked (a date of birth must be a date) but returned as given: they are hashed
    by the action and never stored.
    """
    if not isinstance(value, dict):
        raise tk.Invalid("本人を特定する項目を指定してください (subject must be an object)")
    unknown = sorted(set(value) - set(ATTRIBUTES))
    if unknown:
        raise tk.Invalid(
            "不明な項目があります (unknown subject attributes): " + ", ".join(str(u) for u in unknown)
        )
    subject = {k: str(v) for k, v in value.items() if v is not None and str(v).strip()}
    for required in ("name", "birth_date"):
        if required not in subject:
            raise tk.Invalid(f"{ATTRIBUTE_LABELS[required]}は必須です ({required} is required)")
    for attr, text in subject.items():
        if len(text) > 300:
            raise tk.Invalid(f"{ATTRIBUTE_LABELS[attr]}が長すぎます ({attr} is too long)")
        try:
            normalize(attr, text)
        except NormalisationError:
            raise tk.Invalid(
                f"{ATTRIBUTE_LABELS[attr]}を読み取れません。例: 昭和55年3月1日、"
                f"1980-03-01 ({attr} could not be read)"
            ) from None
    return subject


def optout_scope(value: Any, context: dict) -> str:
    """``all`` or a dataset id/name, returned as ``all`` or the dataset id."""
    if value in (None, "", "all"):
        return "all"
    from ckan import model

    pkg = model.Package.get(str(value))
    if pkg is None or pkg.state != "active":
        raise tk.Invalid("データセットが見つかりません (dataset not found)")
    return pkg.id


def optout_code(value: Any, context: dict) -> str:
    text = normalize_code(value)
    if not text or len(text) > 64:
        raise tk.Invalid("番号の形式が正しくありません (malformed code)")
    return text


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise tk.Invalid("日付は YYYY-MM-DD で指定してください (date must be YYYY-MM-DD)") from None


def optout_date(value: Any, context: dict) -> dt.date:
    """A date, ``YYYY-MM-DD`` (e.g. a notice's deadline; how far away it must be is a rule of
    the lifecycle, ``lifecycle.notice_long_enough``)."""
    return _iso_date(value)


def optout_judgement_date(value: Any, context: dict) -> dt.date:
    """The day ``release-due`` judges deadlines by: a date, not after today (judging as of a
    later day would release a dataset before residents' time to object is up)."""
    day = _iso_date(value)
    if day > dt.date.today():
        raise tk.Invalid("今日より後の日付は指定できません (the date cannot be after today)")
    return day


def optout_subject_columns(value: Any, context: dict) -> dict[str, str]:
    """Attribute → column title. An empty mapping removes the configuration."""
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            raise tk.Invalid("JSON のオブジェクトで指定してください (must be a JSON object)") from None
    if not isinstance(value, dict):
        raise tk.Invalid("属性と列名の対応で指定してください (must map attributes to columns)")
    unknown = sorted(set(value) - set(ATTRIBUTES))
    if unknown:
        raise tk.Invalid("不明な項目があります (unknown attributes): " + ", ".join(map(str, unknown)))
    columns = {k: str(v).strip() for k, v in value.items() if v is not None and str(v).strip()}
    return columns


__all__ = [
    "optout_code",
    "optout_date",
    "optout_judgement_date",
    "optout_scope",
    "optout_subject",
    "optout_subject_columns",
]
