"""One-click normalisation through the action API: ``gifu_conformance_normalise`` makes the public
copy a normalised derivative of the closed original through the anonymize plugin's publishing
pipeline (normalised, then scrubbed and reviewed like any upload); the original is never edited,
and a file that cannot be normalised publishes nothing."""

from __future__ import annotations

import codecs
import io
import re
from urllib.parse import urlparse

import ckan.logic as logic
import ckan.tests.factories as factories
import pytest
from ckan.tests.helpers import call_action
from rdflib import Graph, Literal
from rdflib.namespace import RDF
from werkzeug.datastructures import FileStorage

from ckanext.dcat.profiles import DCAT, DCT
from ckanext.gifu import standards
from ckanext.gifu.tests.test_metadata import municipal

# The "Done when" file: an AED list exported from an office system in CP932, with a title
# line (with a 和暦 date in it), full-width digits, 〇/×, 「8時30分」 and two misnamed columns (施設名,
# 所在地). The AED spec as transcribed has no date column: 和暦 dates in cells are tested on
# イベント一覧 below. 備考 holds a person's name and mobile number: the scrub must still remove them
# from the normalised copy.
# An office system's AED list: CP932, a title line, full-width digits, two misnamed columns, and
# 和暦 in the 設置年月日 column the standard does not define (kept at the end, as ISO dates).
AED_OFFICE_EXPORT = (
    "ＡＥＤ設置箇所一覧（令和７年４月１日現在）,,,,,,,,,,,,,\r\n"
    "全国地方公共団体コード,ID,地方公共団体名,施設名,名称_カナ,所在地,緯度,経度,電話番号,"
    "開始時間,終了時間,小児対応設備の有無,設置年月日,備考\r\n"
    "２１２０１６,000001,岐阜市,岐阜市役所,ｷﾞﾌｼﾔｸｼｮ,岐阜県岐阜市司町40番地1,３５．４２３２,"
    "１３６．７６０６,０５８－２６５－４１４１,8時30分,17時15分,〇,平成30年4月1日,\r\n"
    "212016,000002,岐阜市,岐阜市立中央図書館,ギフシリツチュウオウトショカン,岐阜県岐阜市司町40番地5,"
    "35.4229,136.7611,058-262-2924,９：００,２１：００,×,Ｒ１．５．７,管理責任者 長良花子 090-1234-5678\r\n"
).encode("cp932")
EVENTS_WAREKI = (
    "イベント名,開始日,終了日,会場\r\n長良川花火大会,令和7年8月1日,R7.8.2,長良川河畔\r\n"
).encode("cp932")
NO_STANDARD_COLUMN = b"a,b\r\n1,2\r\n"


@pytest.fixture
def staff(clean_db, migrate_db_for):
    migrate_db_for("anonymize")
    editor, outsider = factories.User(), factories.User()
    org = factories.Organization(name="gifu-city", users=[{"name": editor["name"], "capacity": "editor"}])
    return {"editor": editor, "outsider": outsider, "org": org}


def as_(user):
    return {"user": user["name"] if user else "", "ignore_auth": False}


def standard_dataset(staff, conforms_to="AED設置箇所一覧", **fields):
    data = municipal(staff["org"]["id"], conforms_to=conforms_to) | fields
    return call_action("package_create", context=as_(staff["editor"]), **data)


def upload(staff, dataset, data: bytes, filename="aed.csv"):
    return call_action(
        "resource_create",
        context=as_(staff["editor"]),
        package_id=dataset["id"],
        name=filename,
        format="CSV",
        upload=FileStorage(stream=io.BytesIO(data), filename=filename),
    )


def normalise(staff, resource, **params):
    return call_action(
        "gifu_conformance_normalise", context=as_(staff["editor"]), id=resource["id"], **params
    )


def status(staff, resource):
    return call_action("anonymize_resource_status_show", context=as_(staff["editor"]), id=resource["id"])


def publish(staff, resource):
    return call_action("anonymize_resource_publish", context=as_(staff["editor"]), id=resource["id"])


def public_bytes(app, resource) -> bytes | None:
    """What the resource's download serves to anyone (None: no public file)."""
    url = call_action("resource_show", id=resource["id"])["url"]
    response = app.get(urlparse(url).path)
    return response.data if response.status_code == 200 else None


def original_bytes(staff, resource) -> bytes:
    found = call_action(
        "anonymize_original_download",
        context=as_(staff["editor"]) | {"return_path": True},
        id=resource["id"],
    )
    with open(found["path"], "rb") as f:
        return f.read()


def report(resource, user=None):
    return call_action("gifu_conformance_show", context=as_(user), id=resource["id"])


@pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat anonymize")
@pytest.mark.usefixtures("with_plugins", "clean_index")
class TestNormalise:
    @pytest.mark.ckan_config("ckanext.anonymize.mode", "review")
    def test_the_office_export_is_published_in_the_standard_form_after_the_scrub_and_review(self, app, staff):
        # Created through the API without a licence, with a one-kanji tag and a full-width one.
        fields = municipal(staff["org"]["id"], conforms_to="AED設置箇所一覧")
        fields = {k: v for k, v in fields.items() if k != "license_id"}
        fields["tags"] = [{"name": "ＡＥＤ"}, {"name": "救"}]
        dataset = call_action("package_create", context=as_(staff["editor"]), **fields)
        resource = upload(staff, dataset, AED_OFFICE_EXPORT)
        before = report(resource, staff["editor"])
        assert before["source"] == "original" and not before["conforms"] and before["fixable"]
        misnamed = {i["column"]: i["suggestion"] for i in before["issues"] if i["code"] == "misnamed_column"}
        assert misnamed == {"施設名": "名称", "所在地": "住所"}

        done = normalise(staff, resource)
        assert done["normalise"] is True and done["spec"] == "aed"
        assert done["status"]["status"] == "review"  # reviewed like any upload: nothing public yet
        assert public_bytes(app, resource) is None
        assert call_action("resource_show", id=resource["id"])["gifu_normalise"] == "aed"
        # The scrub ran on the normalised rows: its report and ours are both there.
        stages = call_action("anonymize_report_show", context=as_(staff["editor"]), id=resource["id"])
        stages = stages["report"]["stages"]
        assert stages["gifu_normalise"]["renamed"] == {"施設名": "名称", "所在地": "住所"}
        assert stages["gifu_normalise"]["records"] == 2 and stages["gifu_normalise"]["title_rows"] == 1
        assert stages["gifu_standard_form"]["blank_rows_dropped"] == 1  # the input's header line
        assert "scrub" in stages

        publish(staff, resource)
        served = public_bytes(app, resource)
        assert served is not None and served.startswith(codecs.BOM_UTF8)
        text = served.decode("utf-8-sig")
        lines = text.splitlines()
        assert lines[0].split(",")[:4] == ["全国地方公共団体コード", "ID", "地方公共団体名", "名称"]
        assert lines[0].split(",")[-2:] == ["備考", "設置年月日"] and len(lines) == 3
        assert "35.4232" in text and "058-265-4141" in text and "08:30" in text
        assert [line.split(",")[-1] for line in lines[1:]] == ["2018-04-01", "2019-05-07"]  # 和暦 → 西暦
        assert "090-1234-5678" not in text and "長良花子" not in text  # scrubbed like any upload
        assert standards.check(served, standards.load("aed")).conforms
        # What anyone sees: the report of the published copy, which conforms.
        public = report(resource)
        assert public["source"] == "public" and public["conforms"] and public["encoding"] == "utf-8-sig"
        # The closed original is untouched.
        assert original_bytes(staff, resource) == AED_OFFICE_EXPORT

        # Found by aggregators: their tag, a licence they take, the standard named in DCAT.
        shown = call_action("package_show", id=dataset["id"])
        assert {t["name"] for t in shown["tags"]} == {"AED", "救", "自治体標準ODS"}
        assert shown["license_id"] == "CC-BY-4.0"
        graph = Graph().parse(data=app.get(f"/dataset/{dataset['name']}.ttl").body, format="turtle")
        node = graph.value(predicate=RDF.type, object=DCAT.Dataset)
        standard = graph.value(node, DCT.conformsTo)
        assert graph.value(standard, DCT.title, any=True) is not None
        assert Literal("AED設置箇所一覧", lang="ja") in set(graph.objects(standard, DCT.title))
        licences = {str(o) for o in graph.objects(node, DCT.license)}
        for distribution in graph.objects(node, DCAT.distribution):
            licences |= {str(o) for o in graph.objects(distribution, DCT.license)}
        assert licences == {"https://creativecommons.org/licenses/by/4.0/deed.ja"}

    @pytest.mark.ckan_config("ckanext.anonymize.mode", "auto")
    def test_wareki_dates_become_iso_dates(self, app, staff):
        dataset = standard_dataset(staff, conforms_to="イベント一覧", name="events", title="イベント一覧")
        resource = upload(staff, dataset, EVENTS_WAREKI, filename="events.csv")
        assert "value_format" in {i["code"] for i in report(resource, staff["editor"])["issues"]}
        assert normalise(staff, resource)["status"]["status"] == "published"
        text = public_bytes(app, resource).decode("utf-8-sig")
        assert "2025-08-01" in text and "2025-08-02" in text and "令和" not in text

    @pytest.mark.ckan_config("ckanext.anonymize.mode", "auto")
    def test_a_file_without_a_standard_column_is_refused_and_the_public_copy_stays(self, app, staff):
        resource = upload(staff, standard_dataset(staff), NO_STANDARD_COLUMN)
        published = public_bytes(app, resource)
        assert published is not None
        with pytest.raises(logic.ValidationError) as err:
            normalise(staff, resource)
        assert "正規化できません" in str(err.value) and "cannot be normalised" in str(err.value)
        assert public_bytes(app, resource) == published
        assert not call_action("resource_show", id=resource["id"]).get("gifu_normalise")

    @pytest.mark.ckan_config("ckanext.anonymize.mode", "auto")
    def test_a_new_upload_that_cannot_be_normalised_fails_closed(self, app, staff):
        resource = upload(staff, standard_dataset(staff), AED_OFFICE_EXPORT)
        assert normalise(staff, resource)["status"]["status"] == "published"
        call_action(
            "resource_patch",
            context=as_(staff["editor"]),
            id=resource["id"],
            upload=FileStorage(stream=io.BytesIO(NO_STANDARD_COLUMN), filename="aed.csv"),
        )
        state = status(staff, resource)
        assert state["status"] == "failed" and state["failure_code"] == "stage"
        assert "正規化" in state["reason"]["ja"] and "normalised" in state["reason"]["en"]
        assert public_bytes(app, resource) is None
        assert call_action("resource_show", id=resource["id"])["gifu_normalise"] == "aed"

    @pytest.mark.ckan_config("ckanext.anonymize.mode", "auto")
    def test_the_request_survives_a_resource_edit_and_can_be_ended(self, app, staff):
        resource = upload(staff, standard_dataset(staff), AED_OFFICE_EXPORT)
        normalise(staff, resource)
        shown = call_action("resource_show", id=resource["id"])
        edited = {k: v for k, v in shown.items() if k != "gifu_normalise"} | {"description": "更新"}
        call_action("resource_update", context=as_(staff["editor"]), **edited)
        assert call_action("resource_show", id=resource["id"])["gifu_normalise"] == "aed"

        ended = normalise(staff, resource, enable=False)
        assert ended["normalise"] is False and ended["status"]["status"] == "published"
        served = public_bytes(app, resource)
        assert not served.startswith(codecs.BOM_UTF8)  # the upload as it is, scrubbed
        assert served.decode("utf-8").splitlines()[1].split(",")[3] == "施設名"

    def test_only_editors_of_the_dataset_may_normalise(self, staff):
        resource = upload(staff, standard_dataset(staff), AED_OFFICE_EXPORT)
        for user in (None, staff["outsider"]):
            with pytest.raises(logic.NotAuthorized):
                call_action("gifu_conformance_normalise", context=as_(user), id=resource["id"])
        assert not call_action("resource_show", id=resource["id"]).get("gifu_normalise")

    def test_a_dataset_without_a_standard_is_refused(self, staff):
        dataset = call_action("package_create", context=as_(staff["editor"]), **municipal(staff["org"]["id"]))
        with pytest.raises(logic.ValidationError, match="準拠"):
            normalise(staff, upload(staff, dataset, AED_OFFICE_EXPORT))


@pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_without_the_publishing_pipeline_nothing_is_normalised():
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = call_action(
        "package_create", context=as_(editor), **municipal(org["id"], conforms_to="AED設置箇所一覧")
    )
    resource = call_action(
        "resource_create",
        context=as_(editor),
        package_id=dataset["id"],
        format="CSV",
        upload=FileStorage(stream=io.BytesIO(AED_OFFICE_EXPORT), filename="aed.csv"),
    )
    with pytest.raises(logic.ValidationError, match="anonymize"):
        call_action("gifu_conformance_normalise", context=as_(editor), id=resource["id"])


# --- the web UI: the report on the resource page and its button ---------------------------------

PASSWORD = "Gifu-Test-Passw0rd"


def log_in(app, user) -> None:
    """Through CKAN's login form, as staff do (a session cookie from then on)."""
    page = app.get("/user/login").get_data(as_text=True)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    done = app.post(
        "/user/login",
        data={"login": user["name"], "password": PASSWORD, "_csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 302 and "/user/login" not in done.headers["Location"]


@pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat anonymize")
@pytest.mark.ckan_config("ckanext.anonymize.mode", "review")
@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
@pytest.mark.usefixtures("with_plugins", "clean_index")
class TestResourcePage:
    @pytest.fixture
    def page(self, staff):
        staff["editor"] = factories.User(password=PASSWORD)
        call_action(
            "organization_member_create",
            id=staff["org"]["id"],
            username=staff["editor"]["name"],
            role="editor",
        )
        dataset = standard_dataset(staff)
        resource = upload(staff, dataset, AED_OFFICE_EXPORT)
        return staff, f"/dataset/{dataset['name']}/resource/{resource['id']}", resource

    def test_the_public_and_other_users_do_not_see_the_report(self, app, page):
        _, url, _ = page
        assert "gifu-conformance" not in app.get(url).get_data(as_text=True)
        outsider = factories.User(password=PASSWORD)
        log_in(app, outsider)
        assert "gifu-conformance" not in app.get(url).get_data(as_text=True)

    def test_an_editor_reads_the_report_and_normalises_with_the_form(self, app, page):
        staff, url, resource = page
        log_in(app, staff["editor"])
        html = app.get(url).get_data(as_text=True)
        section = html[html.index('id="gifu-conformance"') :]
        assert "自治体標準オープンデータセットへの適合" in section and "不適合" in section
        assert "施設名 → 名称" in section and "所在地 → 住所" in section
        assert "Shift_JIS" in section and "<caption>" in section and 'scope="col"' in section
        assert section.index("文字コード") < section.index("The file is in")  # Japanese first
        action = re.search(r'<form method="post" action="([^"]+/gifu/normalise)"', section).group(1)
        token = re.search(r'name="_csrf_token" value="([^"]+)"', section).group(1)

        # Without CKAN's CSRF token the post is refused and nothing changes.
        refused = app.post(action, data={}, follow_redirects=False)
        assert refused.status_code == 400 and "CSRF token" in refused.get_data(as_text=True)
        assert not call_action("resource_show", id=resource["id"]).get("gifu_normalise")

        done = app.post(action, data={"_csrf_token": token}, follow_redirects=False)
        assert done.status_code == 302 and done.headers["Location"].endswith(url)
        assert status(staff, resource)["status"] == "review"
        assert call_action("resource_show", id=resource["id"])["gifu_normalise"] == "aed"
        html = app.get(url).get_data(as_text=True)
        assert "確認・承認の後に公開されます" in html  # the flash message
        assert "標準形式に正規化して公開しています" in html and "正規化をやめる" in html

    def test_the_public_is_refused_the_button(self, app, page):
        _, url, resource = page
        outsider = factories.User(password=PASSWORD)
        log_in(app, outsider)
        html = app.get("/user/login").get_data(as_text=True)
        token = re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)
        answer = app.post(url + "/gifu/normalise", data={"_csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 403
        assert not call_action("resource_show", id=resource["id"]).get("gifu_normalise")


# --- the licence aggregators accept ---------------------------------------------------------------


@pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestStandardLicence:
    @pytest.fixture
    def org(self):
        return factories.Organization()

    def test_a_standard_dataset_without_a_licence_gets_cc_by_4(self, org):
        fields = {
            k: v for k, v in municipal(org["id"], conforms_to="公衆トイレ一覧").items() if k != "license_id"
        }
        assert call_action("package_create", **fields)["license_id"] == "CC-BY-4.0"

    def test_a_licence_staff_chose_is_kept_and_other_datasets_still_need_one(self, org):
        chosen = call_action("package_create", **municipal(org["id"], conforms_to="公衆トイレ一覧"))
        assert chosen["license_id"] == "PDL-1.0"
        fields = {k: v for k, v in municipal(org["id"], name="other").items() if k != "license_id"}
        with pytest.raises(logic.ValidationError) as err:
            call_action("package_create", **fields)
        assert "license_id" in err.value.error_dict
