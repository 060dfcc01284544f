"""The staff dashboard (/gifu/standards) and the public conformance catalogue
(/gifu/standards/conformance.json, action ``gifu_standards_catalogue``): which standard datasets
the city should publish, which exist, which conform, which are missing; the public one lists public
datasets only, whoever asks. Real PostgreSQL, Solr and the anonymize pipeline (auto mode)."""

from __future__ import annotations

import io
from pathlib import Path

import ckan.tests.factories as factories
import pytest
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.gifu import standards
from ckanext.gifu.tests.test_metadata import municipal

FIXTURES = Path(__file__).parent / "standards_fixtures"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat anonymize"),
    pytest.mark.ckan_config("ckanext.anonymize.mode", "auto"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def city(migrate_db_for):
    migrate_db_for("anonymize")
    editor, outsider = factories.User(), factories.User()
    org = factories.Organization(name="gifu-city", users=[{"name": editor["name"], "capacity": "editor"}])
    context = {"user": editor["name"]}

    def dataset(name, standard, data, **fields):
        created = call_action(
            "package_create",
            context=context,
            **municipal(org["id"], name=name, title=standard, conforms_to=standard) | fields,
        )
        call_action(
            "resource_create",
            context=context,
            package_id=created["id"],
            name=f"{name}.csv",
            format="CSV",
            upload=FileStorage(stream=io.BytesIO(data), filename=f"{name}.csv"),
        )
        return created

    made = {
        "aed": dataset(
            "aed", "AED設置箇所一覧", (FIXTURES / "aed_conformant.csv").read_bytes(), license_id="CC-BY-4.0"
        ),
        "events": dataset("events", "イベント一覧", (FIXTURES / "events_utf8_nobom.csv").read_bytes()),
        "shelters": dataset(
            "shelters", "指定避難所一覧", (FIXTURES / "evacuation_sjis.csv").read_bytes(), private=True
        ),
    }
    token = factories.APIToken(user=editor["name"])["token"]
    outsider_token = factories.APIToken(user=outsider["name"])["token"]
    return {"editor": editor, "token": token, "outsider_token": outsider_token, **made}


def by_spec(catalogue):
    return {entry["spec"]: entry for entry in catalogue["standards"]}


def names(catalogue):
    return {d["name"] for entry in catalogue["standards"] for d in entry["datasets"]}


def test_the_public_catalogue_says_what_is_published_conforms_and_is_missing(app, city):
    catalogue = app.get("/gifu/standards/conformance.json").json
    entries = by_spec(catalogue)
    assert set(entries) == set(standards.ids())  # every standard the city should publish
    assert entries["aed"]["status"] == "conforms"
    [aed] = entries["aed"]["datasets"]
    assert aed["name"] == "aed" and aed["license_accepted_by_aggregators"] is True
    assert aed["resources"][0]["checked"] and aed["resources"][0]["conforms"] is True
    assert entries["events"]["status"] == "does_not_conform"
    assert entries["events"]["datasets"][0]["license_accepted_by_aggregators"] is False  # PDL1.0
    # The private dataset is not in the public catalogue: its standard counts as missing.
    assert entries["evacuation_shelters"]["status"] == "missing"
    assert names(catalogue) == {"aed", "events"}
    assert catalogue["summary"] == {
        "standards": len(standards.ids()),
        "published": 2,
        "conforming": 1,
        "missing": len(standards.ids()) - 2,
    }
    assert catalogue["municipality_code"] == "212016"


def test_the_public_catalogue_is_the_same_for_staff(app, city):
    as_staff = app.get("/gifu/standards/conformance.json", headers={"Authorization": city["token"]}).json
    assert by_spec(as_staff)["evacuation_shelters"]["status"] == "missing"
    assert names(as_staff) == {"aed", "events"}


def test_the_action_lists_private_datasets_to_their_staff_only(city):
    own = call_action(
        "gifu_standards_catalogue",
        context={"user": city["editor"]["name"], "ignore_auth": False},
        include_private=True,
    )
    [shelters] = by_spec(own)["evacuation_shelters"]["datasets"]
    assert shelters["private"] is True and shelters["name"] == "shelters"
    other = call_action(
        "gifu_standards_catalogue", context={"user": "", "ignore_auth": False}, include_private=True
    )
    assert by_spec(other)["evacuation_shelters"]["datasets"] == []


def test_the_dashboard_is_for_staff(app, city):
    assert app.get("/gifu/standards", follow_redirects=False).status_code == 302  # to the login
    assert app.get("/gifu/standards", headers={"Authorization": city["outsider_token"]}).status_code == 403
    html = app.get("/gifu/standards", headers={"Authorization": city["token"]}).get_data(as_text=True)
    assert "自治体標準オープンデータセットの公開状況" in html
    assert html.index("自治体標準オープンデータセットの公開状況") < html.index(
        "Municipal standard open datasets"
    )
    assert "公開 3 件（うち適合 1 件）" in html  # the private shelters list counts for its staff
    row = html[html.index('data-spec="evacuation_shelters"') :]
    assert "非公開" in row[: row.index("</tr>")]
    events = html[html.index('data-spec="events"') :]
    events = events[: events.index("</tr>")]
    assert "公開済・不適合" in events and "BODIK" in events  # PDL1.0: aggregators do not take it
    aed = html[html.index('data-spec="aed"') :]
    assert "公開済・適合" in aed[: aed.index("</tr>")]
    missing = html[html.index('data-spec="public_toilets"') :]
    assert "未公開" in missing[: missing.index("</tr>")]
    assert "<caption>" in html and 'scope="row"' in html
