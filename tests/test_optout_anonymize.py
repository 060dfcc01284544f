"""The whole path with optout and anonymize together: a resident who opts out disappears from
everything published about a dataset of award recipients (file, DataStore, search, activity), the
other rows stay intact, and withdrawal (解除) brings the row back. No optout table holds the name."""

from __future__ import annotations

import urllib.error
import urllib.request

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout anonymize datastore xloader activity"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index", "clean_queues", "with_test_worker"),
]

# Synthetic award recipients; 氏名 and 受賞名 are public by the city's decision.
AWARDS_CSV = (
    "氏名,生年月日,住所,受賞名\n"
    "長良 花子,1980-03-01,岐阜県岐阜市長良福光2丁目3番4号,市民文化賞\n"
    "金華 一郎,1955-03-01,岐阜県岐阜市金町1丁目1番,スポーツ功労賞\n"
    "鵜飼 三郎,1975-12-24,岐阜県岐阜市湊町5番地,市民文化賞\n"
)


@pytest.fixture
def datastore_tables():
    from sqlalchemy import orm

    from ckanext.datastore.backend.postgres import get_write_engine
    from ckanext.datastore.tests.helpers import rebuild_all_dbs

    rebuild_all_dbs(orm.scoped_session(orm.sessionmaker(bind=get_write_engine())))


def public_file(live_server, dataset, resource):
    url = (
        f"{live_server}/dataset/{dataset['id']}/resource/{resource['id']}/download/"
        f"{resource['url'].rsplit('/', 1)[-1]}"
    )
    with urllib.request.urlopen(url) as response:
        return response.read().decode("utf-8")


def datastore_text(resource):
    return str(call_action("datastore_search", resource_id=resource["id"], limit=100)["records"])


def test_opted_out_resident_vanishes_from_everything_public_and_returns_on_withdrawal(
    datastore_tables, live_server, ckan_config, monkeypatch, run_jobs
):
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    monkeypatch.setitem(ckan_config, "ckanext.xloader.api_token", factories.SysadminWithToken()["token"])
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    staff = {"user": editor["name"], "ignore_auth": False}
    dataset = factories.Dataset(owner_org=org["id"], title="市民表彰 受賞者一覧")
    resource = call_action(
        "resource_create",
        context=staff,
        package_id=dataset["id"],
        name="受賞者",
        upload=FileStorage(BytesIO(AWARDS_CSV.encode()), "awards.csv"),
    )
    # The city publishes names of award recipients on purpose: 氏名 is kept.
    call_action(
        "anonymize_resource_policy_update", context=staff, id=resource["id"], columns={"氏名": "keep"}
    )
    call_action(
        "optout_resource_configure",
        context=staff,
        resource_id=resource["id"],
        subject_columns={"name": "氏名", "birth_date": "生年月日"},
    )
    call_action("anonymize_resource_publish", context=staff, id=resource["id"])
    run_jobs()
    assert "長良 花子" in public_file(live_server, dataset, resource)
    assert "長良 花子" in datastore_text(resource)
    # Japanese headers reach the DataStore as written (ckanext.xloader.unidecode_headers = false).
    fields = call_action("datastore_search", resource_id=resource["id"], limit=0)["fields"]
    assert [f["id"] for f in fields] == ["_id", "氏名", "生年月日", "住所", "受賞名"]

    # A resident opts out through the public API, without an account, with 和暦 and a 全角 space.
    filed = call_action(
        "optout_request_create",
        context={"user": "", "ignore_auth": False},
        subject={"name": "長良　花子", "birth_date": "昭和55年3月1日"},
        scope="all",
    )
    # In effect at once: before any job runs, the file and the DataStore rows are withdrawn.
    with pytest.raises(urllib.error.HTTPError) as gone:
        public_file(live_server, dataset, resource)
    assert gone.value.code == 404
    assert "長良" not in datastore_text(resource)
    run_jobs()  # re-derivation without her row and republication, then XLoader's reload
    body = public_file(live_server, dataset, resource)
    assert "長良 花子" not in body
    assert "金華 一郎" in body and "鵜飼 三郎" in body and body.count("\n") == 3
    rows = datastore_text(resource)
    assert "長良 花子" not in rows and "金華 一郎" in rows
    assert call_action("package_search", q="長良 花子")["count"] == 0
    activity = call_action("package_activity_list", id=dataset["id"], limit=100)
    assert "長良" not in str(activity)

    # 解除: the resident withdraws with the reference and token; the row is published again.
    call_action(
        "optout_request_withdraw",
        context={"user": "", "ignore_auth": False},
        reference=filed["reference"],
        token=filed["token"],
    )
    run_jobs()
    assert "長良 花子" in public_file(live_server, dataset, resource)
    assert "長良 花子" in datastore_text(resource)

    # The registry itself never held the name, the birth date or the token in clear.
    with model.Session.connection() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if t.startswith("optout")]
        assert tables
        for table in tables:
            dump = str(conn.execute(sa.text(f'SELECT * FROM "{table}"')).fetchall())
            for secret in ("長良", "花子", "1980-03-01", "昭和55", filed["token"]):
                assert secret not in dump, (table, secret)


@pytest.mark.ckan_config("ckan.plugins", "optout anonymize")
def test_an_opt_out_filters_the_scrubbed_cache_again_without_a_new_pii_scan(run_jobs):
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    staff = {"user": editor["name"], "ignore_auth": False}
    dataset = factories.Dataset(owner_org=org["id"])
    resource = call_action(
        "resource_create",
        context=staff,
        package_id=dataset["id"],
        name="受賞者",
        upload=FileStorage(BytesIO(AWARDS_CSV.encode()), "awards.csv"),
    )
    call_action(
        "anonymize_resource_policy_update", context=staff, id=resource["id"], columns={"氏名": "keep"}
    )
    call_action(
        "optout_resource_configure",
        context=staff,
        resource_id=resource["id"],
        subject_columns={"name": "氏名", "birth_date": "生年月日"},
    )
    run_jobs()
    call_action("anonymize_resource_publish", context=staff, id=resource["id"])
    first = call_action("anonymize_report_show", context=staff, id=resource["id"])["report"]
    assert first["texts_analyzed"] > 0  # the scrub ran (in the jobs' work horse)

    call_action(
        "optout_request_create",
        context={"user": "", "ignore_auth": False},
        subject={"name": "金華 一郎", "birth_date": "昭和30年3月1日"},
    )
    run_jobs()
    report = call_action("anonymize_report_show", context=staff, id=resource["id"])["report"]
    assert report["filtered_only"] is True
    assert report["stages"]["optout"]["rows_dropped"] == 1
    assert report["texts_analyzed"] == 0  # no cell analyzed again
    assert (
        call_action("anonymize_resource_status_show", context=staff, id=resource["id"])["status"]
        == "published"
    )

    # A new column policy is a new scrub: the cache is made again from the original.
    call_action(
        "anonymize_resource_policy_update", context=staff, id=resource["id"], columns={"受賞名": "keep"}
    )
    run_jobs()
    report = call_action("anonymize_report_show", context=staff, id=resource["id"])["report"]
    assert "filtered_only" not in report
    assert report["texts_analyzed"] > 0
