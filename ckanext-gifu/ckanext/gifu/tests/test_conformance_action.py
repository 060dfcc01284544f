"""``gifu_conformance_show`` through the action API: the report of a standard dataset's upload,
to whoever can see the resource, and never read around the anonymize plugin's scrub."""

from __future__ import annotations

import io
from pathlib import Path

import ckan.logic as logic
import ckan.tests.factories as factories
import pytest
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.gifu.tests.test_metadata import municipal

FIXTURES = Path(__file__).parent / "standards_fixtures"
AED_CP932 = (FIXTURES / "aed_cp932.csv").read_bytes()
AED_CONFORMANT = (FIXTURES / "aed_conformant.csv").read_bytes()


@pytest.fixture
def staff():
    editor = factories.User()
    org = factories.Organization(name="gifu-city", users=[{"name": editor["name"], "capacity": "editor"}])
    return {"editor": editor, "org": org}


def standard_dataset(staff, **fields):
    data = municipal(staff["org"]["id"], conforms_to="AED設置箇所一覧") | fields
    return call_action("package_create", context={"user": staff["editor"]["name"]}, **data)


def upload(staff, dataset, data: bytes, filename="aed.csv"):
    return call_action(
        "resource_create",
        context={"user": staff["editor"]["name"]},
        package_id=dataset["id"],
        name=filename,
        format="CSV",
        upload=FileStorage(stream=io.BytesIO(data), filename=filename),
    )


def report(resource, user=None):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return call_action("gifu_conformance_show", context=context, id=resource["id"])


def codes(result):
    return {i["code"] for i in result["issues"]}


@pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestWithoutAnonymize:
    def test_a_cp932_upload_gets_the_report_anyone_who_sees_it_may_read(self, staff):
        resource = upload(staff, standard_dataset(staff), AED_CP932)
        result = report(resource)  # anonymous: the dataset is public
        assert result["checked"] and result["source"] == "upload"
        assert result["standard"] == "AED設置箇所一覧" and result["spec"] == "aed"
        assert not result["conforms"] and result["encoding"] == "cp932"
        assert {"encoding", "misnamed_column", "value_format", "value_invalid"} <= codes(result)
        misnamed = {i["column"]: i["suggestion"] for i in result["issues"] if i["code"] == "misnamed_column"}
        assert misnamed == {"施設名": "名称", "所在地": "住所"}
        assert "／" not in result["summary"] and " / " in result["summary"]  # Japanese, then English
        assert result["spec_source"]["verified"] is False

    def test_a_conformant_upload_conforms(self, staff):
        resource = upload(staff, standard_dataset(staff), AED_CONFORMANT)
        result = report(resource, staff["editor"])
        assert result["checked"] and result["conforms"] and result["issues"] == []

    def test_a_dataset_not_marked_as_standard_is_not_checked(self, staff):
        dataset = call_action(
            "package_create", context={"user": staff["editor"]["name"]}, **municipal(staff["org"]["id"])
        )
        result = report(upload(staff, dataset, AED_CP932))
        assert result["checked"] is False and "準拠" in result["reason_ja"]

    def test_links_are_not_fetched(self, staff):
        dataset = standard_dataset(staff)
        link = call_action(
            "resource_create",
            context={"user": staff["editor"]["name"]},
            package_id=dataset["id"],
            url="https://example.jp/aed.csv",
            format="CSV",
        )
        result = report(link)
        assert result["checked"] is False and "リンク" in result["reason_ja"]

    def test_a_private_dataset_is_closed_to_those_who_cannot_see_it(self, staff):
        resource = upload(staff, standard_dataset(staff, private=True), AED_CP932)
        with pytest.raises(logic.NotAuthorized):
            report(resource)
        with pytest.raises(logic.NotAuthorized):
            report(resource, factories.User())
        assert report(resource, staff["editor"])["checked"]


@pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat anonymize")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestWithAnonymize:
    @pytest.fixture(autouse=True)
    def _tables(self, with_plugins, clean_db, migrate_db_for):
        migrate_db_for("anonymize")

    @pytest.mark.ckan_config("ckanext.anonymize.mode", "review")
    def test_the_closed_original_is_reported_to_staff_only(self, staff):
        resource = upload(staff, standard_dataset(staff), AED_CP932)
        # Staff: the report of what they uploaded (the closed original).
        own = report(resource, staff["editor"])
        assert own["checked"] and own["source"] == "original" and own["encoding"] == "cp932"
        assert "misnamed_column" in codes(own)
        # The public while the scrubbed copy waits for review: nothing read from the original.
        for user in (None, factories.User()):
            public = report(resource, user)
            assert public["checked"] is False and public["source"] == "public"
            assert "issues" not in public and "encoding" not in public

    @pytest.mark.ckan_config("ckanext.anonymize.mode", "auto")
    def test_the_public_gets_the_report_of_the_published_scrubbed_file(self, staff):
        resource = upload(staff, standard_dataset(staff), AED_CP932)
        public = report(resource)
        assert public["checked"] and public["source"] == "public"
        # The derivative the scrubber wrote is UTF-8, whatever the upload was: its report is not
        # the original's.
        assert public["encoding"] != "cp932"
