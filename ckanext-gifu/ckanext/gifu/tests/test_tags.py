"""Japanese tags through the action API: one-character tags, width variants as one tag, CKAN's
other tag rules kept."""

from __future__ import annotations

import ckan.logic as logic
import ckan.tests.factories as factories
import pytest
from ckan.tests.helpers import call_action

from ckanext.gifu.tests.test_metadata import municipal

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def org():
    return factories.Organization(name="gifu-city", title="岐阜市")


def tag_names(dataset):
    return sorted(t["name"] for t in dataset["tags"])


def test_one_kanji_tags_are_accepted(org):
    created = call_action("package_create", **municipal(org["id"], tags=[{"name": "税"}, {"name": "水"}]))
    assert tag_names(call_action("package_show", id=created["id"])) == ["水", "税"]


def test_one_character_tags_in_the_tag_string_of_the_form(org):
    data = municipal(org["id"], tag_string="森, 川,AI")
    del data["tags"]
    created = call_action("package_create", **data)
    assert tag_names(created) == ["AI", "川", "森"]


def test_full_width_and_ascii_spellings_are_one_tag(org):
    created = call_action(
        "package_create", **municipal(org["id"], tags=[{"name": "ＡＥＤ"}, {"name": "AED"}, {"name": "ﾎﾞｳｻｲ"}])
    )
    assert tag_names(created) == ["AED", "ボウサイ"]


def test_a_tag_typed_in_full_width_on_update_joins_the_existing_tag(org):
    first = call_action("package_create", **municipal(org["id"], tags=[{"name": "AED"}]))
    second = call_action("package_create", **municipal(org["id"], name="aed-2", tags=[{"name": "防災"}]))
    updated = call_action("package_update", **dict(second, tags=[{"name": "ＡＥＤ"}, {"name": "防災"}]))
    assert tag_names(updated) == ["AED", "防災"]
    assert call_action("tag_list").count("AED") == 1
    found = call_action("package_search", fq='tags:"AED"')
    assert sorted(d["name"] for d in found["results"]) == sorted([first["name"], second["name"]])


def test_tag_string_with_both_spellings_keeps_one(org):
    data = municipal(org["id"], tag_string="ＡＥＤ,AED , 防災")
    del data["tags"]
    assert tag_names(call_action("package_create", **data)) == ["AED", "防災"]


@pytest.mark.parametrize(
    "bad, message",
    [
        ("税!", "can only contain"),  # CKAN's character rule stays
        ("あ" * 101, "more than maximum"),  # and its maximum length
    ],
)
def test_other_tag_rules_are_kept(org, bad, message):
    with pytest.raises(logic.ValidationError) as e:
        call_action("package_create", **municipal(org["id"], tags=[{"name": bad}]))
    assert message in str(e.value.error_dict["tags"])


def test_an_empty_tag_is_still_refused(org):
    with pytest.raises(logic.ValidationError) as e:
        call_action("package_create", **municipal(org["id"], tags=[{"name": "　"}]))
    assert "tags" in e.value.error_dict


def test_one_character_vocabulary_tag_through_tag_create():
    # tag_create validates with the same rules (but CKAN 2.12 saves the name as given, not the
    # validated one, so no folding there: vocabulary tags are made by sysadmins, not typed in forms).
    sysadmin = factories.Sysadmin()
    vocabulary = call_action("vocabulary_create", context={"user": sysadmin["name"]}, name="gifu-topics")
    tag = call_action(
        "tag_create", context={"user": sysadmin["name"]}, name="税", vocabulary_id=vocabulary["id"]
    )
    assert tag["name"] == "税"
    with pytest.raises(logic.ValidationError):
        call_action(
            "tag_create", context={"user": sysadmin["name"]}, name="税!", vocabulary_id=vocabulary["id"]
        )
