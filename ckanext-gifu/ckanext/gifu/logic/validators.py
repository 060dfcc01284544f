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
from ckanext.jatext import kana, width

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


# Licences national aggregators take in. BODIK's harvester ingests datasets under CC BY, CC BY-SA
# and CC0 only (PDL1.0 is not on its list), so a standard dataset without a chosen licence gets
# CC BY 4.0: the city's other licence (attribution, commercial use allowed), which they accept.
AGGREGATOR_LICENSES = frozenset({"CC-BY-4.0", "CC0-1.0", "cc-by", "cc-by-sa", "cc-zero", "CC-BY-SA-4.0"})
STANDARD_DATASET_LICENSE = "CC-BY-4.0"


def gifu_standard_license(key: Any, data: dict, errors: dict, context: dict) -> None:
    """A standard dataset (準拠する標準 chosen) with no licence gets CC BY 4.0, which aggregators
    such as BODIK accept; a licence staff chose is kept (the dashboard flags one they do not)."""
    value = data.get(key)
    if (value is tk.missing or not value) and data.get(("conforms_to",)):
        data[key] = STANDARD_DATASET_LICENSE


def gifu_standard_dataset_tag(key: Any, data: dict, errors: dict, context: dict) -> None:
    """Datasets that follow a 自治体標準オープンデータセット carry the tag 自治体標準ODS."""
    if not data.get(("conforms_to",)):
        return
    indexes = {k[1] for k in data if len(k) == 3 and k[0] == "tags"}
    names = {data.get(("tags", i, "name")) for i in indexes}
    if STANDARD_DATASET_TAG not in names:
        data[("tags", max(indexes, default=-1) + 1, "name")] = STANDARD_DATASET_TAG


# Tags. CKAN refuses tags shorter than two characters, which makes sense for English words and
# none in Japanese (「税」「水」「森」「AI」 are whole words), and keeps 「ＡＥＤ」 and 「AED」 apart as
# two tags. The portal replaces CKAN's tag length check and tag string conversion (same names,
# registered through IValidators, so every schema that names them, the tags of package_create /
# package_update and tag_create included, gets these); CKAN's character rule
# (tag_name_validator) and its maximum length stay.
MIN_TAG_LENGTH = 1
_SPACES = re.compile(r"\s+")


def fold_tag(name: str) -> str:
    """One spelling for a tag however its width was typed: full-width letters, digits and spaces
    as ASCII, half-width katakana as full-width; runs of spaces as one. Case is kept (CKAN's)."""
    return _SPACES.sub(" ", kana.full_width_kana(width.fold(name))).strip()


def tag_length_validator(value: Any, context: dict[str, Any]) -> Any:
    """CKAN's tag length check with a minimum of one character, on the folded tag."""
    from ckan.model import MAX_TAG_LENGTH

    value = fold_tag(str(value))
    if len(value) < MIN_TAG_LENGTH:
        raise tk.Invalid(tk._('Tag "%s" length is less than minimum %s') % (value, MIN_TAG_LENGTH))
    if len(value) > MAX_TAG_LENGTH:
        raise tk.Invalid(tk._('Tag "%s" length is more than maximum %i') % (value, MAX_TAG_LENGTH))
    return value


def tag_string_convert(key: Any, data: dict, errors: dict, context: dict) -> Any:
    """CKAN's ``tag_string_convert`` (comma-separated tags into the tag list) with folded tags,
    each once: 「ＡＥＤ, AED」 is one tag."""
    from ckan.logic.validators import tag_name_validator

    raw = data[key]
    names = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for name in names:
        folded = fold_tag(str(name))
        if folded and folded not in tags:
            tags.append(folded)
    existing = {data[k] for k in data if len(k) == 3 and k[0] == "tags" and k[2] == "name"}
    start = max([int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"] + [-1]) + 1
    for num, tag in enumerate((t for t in tags if t not in existing), start):
        data[("tags", num, "name")] = tag
    for tag in tags:
        tag_length_validator(tag, context)
        tag_name_validator(tag, context)


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
    own = {name: fn for name, fn in globals().items() if name.startswith("gifu_") and callable(fn)}
    # CKAN core's, replaced by name (see the tags section above).
    return own | {"tag_length_validator": tag_length_validator, "tag_string_convert": tag_string_convert}
