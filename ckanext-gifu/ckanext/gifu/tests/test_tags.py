"""Japanese tags through the action API: one-character tags, width variants as one tag, CKAN's
other tag rules kept; tags saved before folding folded once by ``gifu_tags_fold`` /
``ckan gifu fold-tags``."""

from __future__ import annotations

import ckan.logic as logic
import ckan.tests.factories as factories
import pytest
from ckan import model
from ckan.lib import search
from ckan.tests.helpers import call_action

from ckanext.gifu.cli import gifu as gifu_cli
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


# Tags saved before folding: a portal upgraded from before this change (or a harvest) carries
# 「ＡＥＤ」 beside 「AED」. Simulated by writing the Tag and PackageTag rows with ckan.model, past
# the validators, and indexing the dataset as it is.


def carry_old_tags(dataset, *names):
    pkg = model.Package.get(dataset["id"])
    for name in names:
        pkg.add_tag_by_name(name, autoflush=False)
    model.repo.commit()
    search.rebuild(dataset["id"])


def tags_of(name):
    return tag_names(call_action("package_show", id=name))


def found(fq):
    result = call_action("package_search", fq=fq, include_private=True, rows=100)
    return sorted(d["name"] for d in result["results"])


def fold(user, **data):
    return call_action("gifu_tags_fold", context={"user": user["name"], "ignore_auth": False}, **data)


@pytest.fixture
def old_tags(org):
    """aed-locations: 「AED」 as typed since folding; aed-2: 「AED」 and the old 「ＡＥＤ」; a private
    dataset with the old 「ＡＥＤ」 and half-width 「ﾎﾞｳｻｲ」."""
    call_action("package_create", **municipal(org["id"], tags=[{"name": "AED"}]))
    second = call_action("package_create", **municipal(org["id"], name="aed-2", tags=[{"name": "AED"}]))
    hidden = call_action(
        "package_create", **municipal(org["id"], name="aed-private", private=True, tags=[{"name": "防災"}])
    )
    carry_old_tags(second, "ＡＥＤ")
    carry_old_tags(hidden, "ＡＥＤ", "ﾎﾞｳｻｲ")
    assert tags_of("aed-2") == ["AED", "ＡＥＤ"]
    assert {"AED", "ＡＥＤ", "ﾎﾞｳｻｲ"} <= set(call_action("tag_list"))
    assert found('tags:"AED"') == ["aed-2", "aed-locations"]
    return factories.Sysadmin()


def test_tags_saved_before_folding_are_folded_once(old_tags):
    result = fold(old_tags)
    assert result == {
        "datasets": ["aed-2", "aed-private"],
        "tags": {"ＡＥＤ": "AED", "ﾎﾞｳｻｲ": "ボウサイ"},
        "removed": ["ＡＥＤ", "ﾎﾞｳｻｲ"],
        "failed": {},
        "kept": [],
        "dry_run": False,
    }
    assert tags_of("aed-2") == ["AED"]  # both spellings: one tag
    assert tags_of("aed-private") == ["AED", "ボウサイ", "防災"]  # private datasets too
    assert found('tags:"AED"') == ["aed-2", "aed-locations", "aed-private"]
    assert found('tags:"ＡＥＤ"') == []
    facets = call_action("package_search", include_private=True, **{"facet.field": ["tags"]})["search_facets"]
    assert {i["name"]: i["count"] for i in facets["tags"]["items"]} == {"AED": 3, "ボウサイ": 1, "防災": 1}
    tags = call_action("tag_list")
    assert "ＡＥＤ" not in tags and "ﾎﾞｳｻｲ" not in tags and tags.count("AED") == 1
    assert model.Tag.by_name("ＡＥＤ") is None
    # Once is enough: a second run finds nothing.
    assert fold(old_tags) == dict(result, datasets=[], tags={}, removed=[])


def test_dry_run_changes_nothing(old_tags):
    before = {n: call_action("package_show", id=n) for n in ("aed-2", "aed-private")}
    result = fold(old_tags, dry_run=True)
    assert result["dry_run"] is True
    assert result["datasets"] == ["aed-2", "aed-private"]
    assert result["tags"] == {"ＡＥＤ": "AED", "ﾎﾞｳｻｲ": "ボウサイ"}
    assert result["removed"] == ["ＡＥＤ", "ﾎﾞｳｻｲ"]
    after = {n: call_action("package_show", id=n) for n in ("aed-2", "aed-private")}
    assert after == before
    assert {"ＡＥＤ", "ﾎﾞｳｻｲ"} <= set(call_action("tag_list"))
    assert found('tags:"ＡＥＤ"') == ["aed-2", "aed-private"]


def test_a_dataset_that_fails_or_is_deleted_keeps_its_tags_and_stops_nothing(org):
    sysadmin = factories.Sysadmin()
    good = call_action("package_create", **municipal(org["id"], name="good", tags=[{"name": "防災"}]))
    bad = call_action("package_create", **municipal(org["id"], name="bad", tags=[{"name": "防災"}]))
    gone = call_action("package_create", **municipal(org["id"], name="gone", tags=[{"name": "防災"}]))
    carry_old_tags(good, "ＡＥＤ")
    carry_old_tags(bad, "ＡＥＤ")
    carry_old_tags(gone, "ﾎﾞｳｻｲ")
    model.Package.get(bad["id"]).license_id = None  # saved before a licence was required
    model.repo.commit()
    search.rebuild(bad["id"])
    call_action("package_delete", id="gone")

    result = fold(sysadmin)
    assert result["datasets"] == ["good"]
    assert list(result["failed"]) == ["bad"] and "license" in result["failed"]["bad"].lower()
    assert result["removed"] == []  # 「ＡＥＤ」 is still on "bad", 「ﾎﾞｳｻｲ」 on the deleted "gone"
    assert result["kept"] == ["ﾎﾞｳｻｲ"]
    assert tags_of("good") == ["AED", "防災"]
    assert tags_of("bad") == ["防災", "ＡＥＤ"]  # untouched
    assert model.Package.get(gone["id"]).state == "deleted"


def test_only_sysadmins_fold_tags(org):
    editor = factories.User()
    for user in (editor, factories.User(sysadmin=False)):
        with pytest.raises(logic.NotAuthorized):
            fold(user)
    with pytest.raises(logic.NotAuthorized):
        call_action("gifu_tags_fold", context={"user": "", "ignore_auth": False})


def test_cli_fold_tags(old_tags, cli):
    dry = cli.invoke(gifu_cli, ["fold-tags", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output and "ＡＥＤ → AED" in dry.output, dry.output
    assert tags_of("aed-2") == ["AED", "ＡＥＤ"]

    done = cli.invoke(gifu_cli, ["fold-tags"])
    assert done.exit_code == 0, done.output
    assert "aed-2, aed-private" in done.output and "データセット 2 件を変更" in done.output, done.output
    assert tags_of("aed-2") == ["AED"]
    assert "ＡＥＤ" not in call_action("tag_list")
