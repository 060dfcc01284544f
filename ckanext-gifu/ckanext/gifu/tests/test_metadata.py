"""The municipal dataset schema (ckanext-scheming), its validation messages and the licence list."""

from __future__ import annotations

import ckan.logic as logic
import ckan.tests.factories as factories
import pytest
from ckan.tests.helpers import call_action

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def municipal(org_id, **fields):
    data = {
        "name": "aed-locations",
        "title": "AED設置箇所一覧",
        "notes": "市内の公共施設に設置しているAEDの一覧です。",
        "owner_org": org_id,
        "license_id": "PDL-1.0",
        "frequency": "monthly",
        "contact_name": "岐阜市 消防本部 救急課",
        "contact_email": "kyukyu@example.jp",
        "contact_phone": "058-262-7161",
        "temporal_start": "2025-04-01",
        "temporal_end": "2026-03-31",
        "tags": [{"name": "防災"}],
    }
    data.update(fields)
    return data


@pytest.fixture
def org():
    return factories.Organization(name="gifu-city", title="岐阜市")


def test_valid_municipal_dataset_gets_gifu_defaults(org):
    created = call_action("package_create", **municipal(org["id"]))
    shown = call_action("package_show", id=created["id"])
    assert shown["municipality_code"] == "212016"
    assert shown["publisher_name"] == "岐阜市"
    assert shown["frequency"] == "monthly"
    assert shown["temporal_start"] == "2025-04-01"
    assert shown["contact_phone"] == "058-262-7161"
    assert [t["name"] for t in shown["tags"]] == ["防災"]


def test_standard_dataset_is_tagged_for_aggregators(org):
    created = call_action("package_create", **municipal(org["id"], conforms_to="AED設置箇所一覧"))
    assert {t["name"] for t in created["tags"]} == {"防災", "自治体標準ODS"}
    # BODIK-style harvest: by the tag.
    found = call_action("package_search", fq='tags:"自治体標準ODS"')
    assert [d["name"] for d in found["results"]] == ["aed-locations"]


def test_full_width_municipality_code_is_folded_and_checked(org):
    created = call_action("package_create", **municipal(org["id"], municipality_code="２１２０１６"))
    assert created["municipality_code"] == "212016"
    with pytest.raises(logic.ValidationError) as err:
        call_action("package_create", **municipal(org["id"], name="x", municipality_code="212017"))
    assert "municipality_code" in err.value.error_dict


@pytest.mark.parametrize("field", ["frequency", "contact_name", "license_id"])
def test_required_fields(org, field):
    with pytest.raises(logic.ValidationError) as err:
        call_action("package_create", **municipal(org["id"], **{field: ""}))
    assert field in err.value.error_dict


def test_unknown_licence_and_frequency_are_rejected(org):
    with pytest.raises(logic.ValidationError) as err:
        call_action("package_create", **municipal(org["id"], license_id="cc-by-nc", frequency="hourly"))
    assert set(err.value.error_dict) >= {"license_id", "frequency"}


def test_validation_messages_are_japanese(app, org):
    admin = factories.SysadminWithToken()
    bad = municipal(
        org["id"],
        municipality_code="212017",
        contact_phone="12345",
        temporal_end="2024-03-31",
        frequency="",
        license_id="",
    )
    response = app.post(
        "/api/3/action/package_create", json=bad, headers={"Authorization": admin["token"]}, status=409
    )
    errors = response.json["error"]
    assert errors["municipality_code"] == [
        "全国地方公共団体コードが正しくありません。検査数字を含む6桁の数字で入力してください（例：212016）。"
    ]
    assert errors["contact_phone"] == ["電話番号の形式が正しくありません（例：058-265-4141）。"]
    assert errors["temporal_end"] == ["対象期間の終了日が開始日より前になっています。"]
    assert errors["frequency"] == ["入力してください。"]
    assert errors["license_id"] == ["ライセンスを選択してください。"]


def test_licence_list_is_local_and_has_pdl_cc_by_cc0():
    licences = {lic["id"]: lic for lic in call_action("license_list")}
    assert {"PDL-1.0", "CC-BY-4.0", "CC0-1.0"} <= set(licences)
    assert licences["PDL-1.0"]["title"] == "公共データ利用規約 第1.0版 (PDL1.0)"
    assert licences["PDL-1.0"]["od_conformance"] == "approved"  # shown as open data


def test_schema_labels_are_japanese_and_english():
    schema = call_action("scheming_dataset_schema_show", type="dataset")
    labels = {f["field_name"]: f["label"] for f in schema["dataset_fields"]}
    assert labels["municipality_code"] == {"ja": "全国地方公共団体コード", "en": "Local government code"}
    assert labels["frequency"]["ja"] == "更新頻度"
    assert labels["conforms_to"]["ja"] == "準拠する標準"


def test_dataset_form_shows_the_japanese_fields(app, org):
    admin = factories.SysadminWithToken()
    page = app.get("/dataset/new", headers={"Authorization": admin["token"]})
    for label in ("全国地方公共団体コード", "更新頻度", "準拠する標準", "対象期間（開始）", "問い合わせ先"):
        assert label in page.body
    assert "公共データ利用規約 第1.0版 (PDL1.0)" in page.body


def test_dataset_page_shows_the_municipal_fields(app, org):
    call_action("package_create", **municipal(org["id"], conforms_to="AED設置箇所一覧"))
    page = app.get("/dataset/aed-locations").body
    for text in (
        "全国地方公共団体コード",
        "212016",
        "更新頻度",
        "毎月",
        "準拠する標準",
        "AED設置箇所一覧",
        "岐阜市 消防本部 救急課",
        "公共データ利用規約 第1.0版 (PDL1.0)",
    ):
        assert text in page, text


def test_dataset_form_in_english(app, org):
    admin = factories.SysadminWithToken()
    page = app.get("/en/dataset/new", headers={"Authorization": admin["token"]})
    for label in ("Local government code", "Update frequency", "Conforms to", "Contact phone"):
        assert label in page.body
