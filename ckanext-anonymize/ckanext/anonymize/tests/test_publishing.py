"""The publishing pipeline through the action API: the original stays closed, the public only ever
gets the scrubbed derivative, after an editor approves it (or at once in auto mode)."""

from __future__ import annotations

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .conftest import PERSONAL_VALUES, RESIDENTS_CSV, as_user, file_upload, upload_resource

pytestmark = [pytest.mark.ckan_config("ckan.plugins", "anonymize"), pytest.mark.usefixtures("with_plugins")]


def download(app, dataset, resource, user=None):
    headers = {}
    if user is not None:
        headers["Authorization"] = factories.APIToken(user=user["name"])["token"]
    return app.get(
        f"/dataset/{dataset['id']}/resource/{resource['id']}/download/{resource['url'].rsplit('/', 1)[-1]}",
        headers=headers,
    )


def status(resource, user):
    return call_action("anonymize_resource_status_show", context=as_user(user), id=resource["id"])


def assert_no_personal_values(text: str) -> None:
    for value in PERSONAL_VALUES:
        assert value not in text, value


class TestReviewFlow:
    def test_nothing_public_until_an_editor_publishes(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, RESIDENTS_CSV)
        assert status(resource, editor)["status"] == "review"

        # Nobody gets bytes before publication: not the public, not even the editor.
        assert download(app, dataset, resource).status_code == 404
        assert download(app, dataset, resource, editor).status_code == 404
        shown = call_action("resource_show", id=resource["id"])
        assert "長良" not in str(shown)

        report = call_action("anonymize_report_show", context=as_user(editor), id=resource["id"])
        assert report["report"]["encoding"] in ("utf-8", "utf_8", "utf-8-sig")
        assert "長良 花子" not in str(report)

        published = call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
        assert published["status"] == "published"
        response = download(app, dataset, resource)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert_no_personal_values(body)
        assert "市民文化賞" in body and "スポーツ功労賞" in body
        assert body.count("\n") == RESIDENTS_CSV.count("\n")  # same rows

    def test_column_decision_keeps_a_public_column(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, RESIDENTS_CSV)
        updated = call_action(
            "anonymize_resource_policy_update",
            context=as_user(editor),
            id=resource["id"],
            columns={"氏名": "keep"},
        )
        assert updated["columns"] == {"氏名": "keep"}
        assert updated["status"] == "review"
        call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
        body = download(app, dataset, resource).get_data(as_text=True)
        assert "長良 花子" in body  # kept by the editor's decision
        assert "090-1234-5678" not in body  # the rest is still scrubbed

    def test_original_reaches_editors_only_and_is_audited(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, RESIDENTS_CSV)
        info = call_action("anonymize_original_download", context=as_user(editor), id=resource["id"])
        assert info["filename"] == "residents.csv"
        token = factories.APIToken(user=editor["name"])["token"]
        got = app.get(f"/anonymize/original/{resource['id']}", headers={"Authorization": token})
        assert got.status_code == 200
        assert got.get_data(as_text=True) == RESIDENTS_CSV
        assert app.get(f"/anonymize/original/{resource['id']}").status_code == 403

        import ckan.model as model

        from ckanext.anonymize.model import AuditEntry

        actions = [a.action for a in model.Session.query(AuditEntry).filter_by(resource_id=resource["id"])]
        assert actions.count("original_download") == 2


class TestEveryUploadPath:
    def _published_body(self, app, dataset, resource, editor):
        call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
        return download(app, dataset, resource).get_data(as_text=True)

    def test_package_patch_with_upload_is_scrubbed(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        patched = call_action(
            "package_patch",
            context=as_user(editor),
            id=dataset["id"],
            resources=[{"name": "r.csv", "upload": file_upload(RESIDENTS_CSV, "r.csv")}],
        )
        resource = patched["resources"][0]
        assert status(resource, editor)["status"] == "review"
        assert download(app, dataset, resource).status_code == 404
        assert_no_personal_values(self._published_body(app, dataset, resource, editor))

    def test_package_create_cannot_carry_an_upload(self, org_with_staff):
        # Stock CKAN 2.12 handles uploads in resource_create/update and package_update/patch only;
        # package_create refuses a file object, so this path stores nothing anywhere.
        import os

        editor = org_with_staff["editor"]
        with pytest.raises(TypeError, match="not JSON serializable"):  # CKAN's own refusal
            call_action(
                "package_create",
                context=as_user(editor),
                name="awards-2024",
                owner_org=org_with_staff["org"]["id"],
                resources=[{"name": "r.csv", "upload": file_upload(RESIDENTS_CSV, "r.csv")}],
            )
        with pytest.raises(tk.ObjectNotFound):
            call_action("package_show", id="awards-2024")
        stored = [f for _, _, files in os.walk(tk.config["ckan.storage_path"]) for f in files]
        assert not any("r.csv" in f for f in stored)

    def test_resource_update_replaces_the_public_file_at_once(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, RESIDENTS_CSV)
        self._published_body(app, dataset, resource, editor)
        call_action(
            "resource_update",
            context=as_user(editor),
            id=resource["id"],
            name="v2",
            upload=file_upload(RESIDENTS_CSV.replace("市民文化賞", "新人賞"), "residents.csv"),
        )
        assert status(resource, editor)["status"] == "review"
        assert download(app, dataset, resource).status_code == 404  # old derivative withdrawn
        body = self._published_body(app, dataset, resource, editor)
        assert "新人賞" in body
        assert_no_personal_values(body)

    def test_web_form_upload_is_scrubbed(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        token = factories.APIToken(user=editor["name"])["token"]
        response = app.post(
            f"/dataset/{dataset['name']}/resource/new",
            headers={"Authorization": token},
            data={
                "name": "form.csv",
                "save": "go-metadata",
                "id": "",
                "upload": (file_upload(RESIDENTS_CSV, "form.csv").stream, "form.csv"),
            },
            content_type="multipart/form-data",
            follow_redirects=False,
        )
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
        resource = call_action("package_show", id=dataset["id"])["resources"][0]
        assert resource["url_type"] == "upload"
        assert status(resource, editor)["status"] == "review"
        assert download(app, dataset, resource).status_code == 404
        assert_no_personal_values(self._published_body(app, dataset, resource, editor))

    def test_cp932_upload_is_read_and_written_as_utf8(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, RESIDENTS_CSV.encode("cp932"))
        report = call_action("anonymize_report_show", context=as_user(editor), id=resource["id"])
        assert report["report"]["encoding"] == "cp932"
        body = self._published_body(app, dataset, resource, editor)
        assert "市民文化賞" in body
        assert_no_personal_values(body)


class TestModesAndFaults:
    MY_NUMBER_CSV = "氏名,個人番号,受賞名\n長良 花子,1234 5678 9018,市民文化賞\n"

    def test_my_number_blocks_publishing_until_override(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, self.MY_NUMBER_CSV)
        st = status(resource, editor)
        assert st["status"] == "blocked"
        assert "MY_NUMBER" in st["high_risk"]
        with pytest.raises(Exception) as err:
            call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
        assert "override_block" in str(err.value)
        assert download(app, dataset, resource).status_code == 404
        call_action(
            "anonymize_resource_publish", context=as_user(editor), id=resource["id"], override_block=True
        )
        body = download(app, dataset, resource).get_data(as_text=True)
        assert "1234 5678 9018" not in body and "123456789018" not in body

    @pytest.mark.ckan_config("ckanext.anonymize.mode", "auto")
    def test_auto_mode_publishes_the_derivative_at_once(self, app, dataset, org_with_staff):
        resource = upload_resource(dataset, org_with_staff["editor"], RESIDENTS_CSV)
        assert status(resource, org_with_staff["editor"])["status"] == "published"
        body = download(app, dataset, resource).get_data(as_text=True)
        assert_no_personal_values(body)

    def test_undecodable_upload_fails_closed_with_a_reason(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, b"\x00\x01\x02PK\x03\x04" * 100, filename="x.csv")
        st = status(resource, editor)
        assert st["status"] == "failed"
        assert st["reason"]["ja"] and st["reason"]["en"]
        assert download(app, dataset, resource).status_code == 404
        with pytest.raises(tk.ValidationError):
            call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])

    @pytest.mark.ckan_config("ckanext.anonymize.sync_max_bytes", "10")
    @pytest.mark.usefixtures("clean_queues", "with_test_worker")
    def test_large_files_go_through_a_background_job(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        good = upload_resource(dataset, editor, RESIDENTS_CSV)
        bad = upload_resource(dataset, editor, b"\x00\x01\x02PK\x03\x04" * 100, filename="bad.csv")
        assert status(good, editor)["status"] == "processing"
        assert download(app, dataset, good).status_code == 404
        jobs.Worker().work(burst=True)
        assert status(bad, editor)["status"] == "failed"
        assert status(good, editor)["status"] == "review"  # the worker went on after the failure
        call_action("anonymize_resource_publish", context=as_user(editor), id=good["id"])
        assert_no_personal_values(download(app, dataset, good).get_data(as_text=True))

    @pytest.mark.ckan_config("ckanext.anonymize.sync_max_bytes", "10")
    def test_redis_down_at_upload_keeps_it_closed_and_says_why(
        self, app, dataset, org_with_staff, ckan_config, monkeypatch
    ):
        import ckan.lib.redis as ckan_redis

        # Nothing listens on port 1: Redis is "down" for this upload. (Set here, after the plugins
        # loaded, because loading re-applies CKAN_REDIS_URL from the environment.)
        monkeypatch.setitem(ckan_config, "ckan.redis.url", "redis://127.0.0.1:1/0")
        monkeypatch.setattr(ckan_redis, "_connection_pool", None)
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, RESIDENTS_CSV)
        st = status(resource, editor)
        assert st["status"] == "failed"
        assert "Redis" in st["reason"]["ja"]
        assert download(app, dataset, resource).status_code == 404

    def test_rescrub_of_a_published_resource_republishes_it(self, app, dataset, org_with_staff):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, RESIDENTS_CSV)
        call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
        again = call_action("anonymize_resource_rescrub", context=as_user(editor), id=resource["id"])
        assert again["status"] == "published"
        assert again["generation"] == 2
        assert download(app, dataset, resource).status_code == 200

    @pytest.mark.usefixtures("clean_queues", "with_test_worker")
    def test_background_rescrub_withdraws_now_and_republishes_after_the_job(
        self, app, dataset, org_with_staff
    ):
        editor = org_with_staff["editor"]
        resource = upload_resource(dataset, editor, RESIDENTS_CSV)  # small: derived in the request
        call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
        again = call_action(
            "anonymize_resource_rescrub", context=as_user(editor), id=resource["id"], background=True
        )
        assert again["status"] == "processing"
        assert download(app, dataset, resource).status_code == 404
        jobs.Worker().work(burst=True)
        assert status(resource, editor)["status"] == "published"
        assert_no_personal_values(download(app, dataset, resource).get_data(as_text=True))


@pytest.mark.ckan_config("ckan.max_resource_size", 1)
def test_a_derivative_larger_than_the_upload_limit_is_still_published(app, dataset, org_with_staff):
    # Under the 1 MB limit as CP932, over it as UTF-8: the limit is for what staff send.
    row = "長良川鵜飼観覧船乗り場周辺清掃活動報告書第一号\n"
    data = ("受賞名\n" + row * 16000).encode("cp932")
    assert len(data) < 1024 * 1024 < len(data.decode("cp932").encode("utf-8"))
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, data, filename="big.csv")
    assert status(resource, editor)["status"] == "review"
    call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    body = download(app, dataset, resource).get_data()
    assert len(body) > 1024 * 1024
    assert body.decode("utf-8").count("長良川鵜飼") == 16000
