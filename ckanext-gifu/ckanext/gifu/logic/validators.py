"""Validators of the municipal dataset schema (``schemas/dataset.yaml``).

Messages are English msgids translated through the plugin's gettext catalog (``i18n/``), so the
portal shows them in Japanese first and in English on /en/ pages.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.gifu import municipality

# The tag aggregators such as BODIK harvest standard datasets by.
STANDARD_DATASET_TAG = "自治体標準ODS"

# Japanese phone numbers: 0 + 9 or 10 digits, hyphens optional (058-265-4141, 0120-000-000,
# 090-1234-5678).
_PHONE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")


def _nfkc(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def gifu_municipality_code(value: Any, context: dict[str, Any]) -> Any:
    """全国地方公共団体コード: the portal's own code when empty, else six digits with a valid check digit."""
    if value is tk.missing or value is None or str(value).strip() == "":
        return tk.config.get("ckanext.gifu.municipality_code")
    try:
        return municipality.validate(value)
    except municipality.InvalidCode:
        raise tk.Invalid(
            tk._("Not a valid local government code: six digits with a check digit, e.g. 212016")
        ) from None


def gifu_publisher_name(value: Any, context: dict[str, Any]) -> Any:
    if value is tk.missing or value is None or str(value).strip() == "":
        return tk.config.get("ckanext.gifu.publisher_name")
    return str(value).strip()


def gifu_phone_number(value: Any, context: dict[str, Any]) -> Any:
    if not value:
        return value
    folded = _nfkc(value).replace("−", "-").replace("ー", "-").replace(" ", "")
    if not _PHONE.match(folded) or not 10 <= len(folded.replace("-", "")) <= 11:
        raise tk.Invalid(tk._("Not a valid Japanese phone number, e.g. 058-265-4141"))
    return folded


def gifu_license_required(value: Any, context: dict[str, Any]) -> Any:
    """A licence from the portal's list is required: unlicensed data is not open data."""
    if value is tk.missing or not value:
        raise tk.Invalid(tk._("Please choose a license"))
    from ckan import model  # the register is only reachable through the model

    if model.Package.get_license_register().get(value) is None:
        raise tk.Invalid(tk._("Unknown license: {license_id}").format(license_id=value))
    return value


def gifu_standard_dataset_tag(key: Any, data: dict, errors: dict, context: dict) -> None:
    """Datasets that follow a 自治体標準オープンデータセット carry the tag 自治体標準ODS."""
    if not data.get(("conforms_to",)):
        return
    indexes = {k[1] for k in data if len(k) == 3 and k[0] == "tags"}
    names = {data.get(("tags", i, "name")) for i in indexes}
    if STANDARD_DATASET_TAG not in names:
        data[("tags", max(indexes, default=-1) + 1, "name")] = STANDARD_DATASET_TAG


def _as_date(value: Any) -> dt.date | None:
    if not value or value is tk.missing:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def gifu_temporal_range(key: Any, data: dict, errors: dict, context: dict) -> None:
    start, end = _as_date(data.get(("temporal_start",))), _as_date(data.get(("temporal_end",)))
    if start and end and end < start:
        errors.setdefault(("temporal_end",), []).append(
            tk._("The end of the period must not be before its start")
        )


def get_validators() -> dict[str, Any]:
    return {name: fn for name, fn in globals().items() if name.startswith("gifu_") and callable(fn)}
