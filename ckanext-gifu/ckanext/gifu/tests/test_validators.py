"""Validators of the municipal dataset schema, called directly."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

from ckanext.gifu.logic import validators as v


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("058-265-4141", "058-265-4141"),
        ("０５８－２６５－４１４１", "058-265-4141"),
        ("0582654141", "0582654141"),
        ("090-1234-5678", "090-1234-5678"),
    ],
)
def test_phone_numbers_are_folded(raw, clean):
    assert v.gifu_phone_number(raw, {}) == clean


@pytest.mark.parametrize("raw", ["12345", "058-265", "+81 58 265 4141", "電話"])
def test_bad_phone_numbers(raw):
    with pytest.raises(tk.Invalid):
        v.gifu_phone_number(raw, {})


def test_empty_municipality_code_takes_the_configured_one():
    assert v.gifu_municipality_code("", {}) == tk.config.get("ckanext.gifu.municipality_code") == "212016"


def test_standard_tag_is_added_once():
    data = {("conforms_to",): "AED設置箇所一覧", ("tags", 0, "name"): "防災"}
    v.gifu_standard_dataset_tag(None, data, {}, {})
    v.gifu_standard_dataset_tag(None, data, {}, {})
    assert sorted(val for key, val in data.items() if key[0] == "tags") == ["自治体標準ODS", "防災"]


def test_no_standard_no_tag():
    data = {("conforms_to",): "", ("tags", 0, "name"): "防災"}
    v.gifu_standard_dataset_tag(None, data, {}, {})
    assert ("tags", 1, "name") not in data


def test_period_end_before_start_is_an_error():
    errors: dict = {}
    v.gifu_temporal_range(
        None, {("temporal_start",): "2025-04-01", ("temporal_end",): "2025-03-31"}, errors, {}
    )
    assert list(errors) == [("temporal_end",)]
    errors = {}
    v.gifu_temporal_range(
        None, {("temporal_start",): "2025-04-01", ("temporal_end",): "2025-04-01"}, errors, {}
    )
    assert errors == {}


@pytest.mark.parametrize(
    "raw, tag",
    [
        ("ＡＥＤ", "AED"),
        ("ﾎﾞｳｻｲ", "ボウサイ"),
        ("　税　", "税"),
        ("ＰＭ２．５", "PM2.5"),
        ("公衆　無線LAN", "公衆 無線LAN"),
    ],
)
def test_tags_are_folded_to_one_spelling(raw, tag):
    assert v.fold_tag(raw) == tag


def test_one_character_tag_passes_the_length_check():
    assert v.tag_length_validator("税", {}) == "税"
    with pytest.raises(tk.Invalid):
        v.tag_length_validator("　", {})
