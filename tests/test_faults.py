"""Fault injection on the real parts: a worker killed mid-job, Redis stopped while an opt-out is
filed, the database connection cut during a job. Each asserts that nothing personal is public at
any moment, that no opt-out is lost, and that the system converges by itself once the part is
back (the sweep, which the RQ scheduler runs every minute in production, is called directly).
(Solr down: ckanext-gifu's test_solr_down.py; the closed original missing: anonymize's
test_state_machine.py.)"""

from __future__ import annotations

import io

import ckan.lib.jobs as jobs
import ckan.lib.redis as ckan_redis
import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan.tests import factories
from ckan.tests.helpers import call_action
from real_parts import RedisServer, Worker, wait_for
from werkzeug.datastructures import FileStorage

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout anonymize"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_queues"),
]

SLOW_ROWS = 10_000  # a derivation of several seconds: time to break something during it


def awards(rows: int = 3) -> str:
    """An award list; 氏名 public by the city's decision, the rest personal. ``rows`` synthetic
    rows after the three named residents make the derivation take a few seconds."""
    lines = [
        "氏名,生年月日,住所,電話番号,受賞名,備考",
        "長良 花子,1980-03-01,岐阜県岐阜市長良福光2丁目3番4号,090-1234-5678,市民文化賞,なし",
        "金華 一郎,1955-03-01,岐阜県岐阜市金町1丁目1番,080-2345-6789,スポーツ功労賞,なし",
        "鵜飼 三郎,1975-12-24,岐阜県岐阜市湊町5番地,070-3456-7890,市民文化賞,なし",
    ]
    for i in range(rows - 3):
        lines.append(
            f"岐阜 太郎{i},19{50 + i % 40}-0{1 + i % 9}-1{i % 9},岐阜市司町{i}番地,058-265-{1000 + i % 9000},"
            f"市民文化賞,{i}番目の記録。山田様より電話あり、折り返し090-{1000 + i % 9000}-{2000 + i % 7000}へ。"
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def setup():
    editor, staff = factories.User(), factories.Sysadmin()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = factories.Dataset(owner_org=org["id"], title="市民表彰 受賞者一覧")
    return {
        "editor": editor,
        "staff": staff,
        "dataset": dataset,
        "ctx": {"user": editor["name"], "ignore_auth": False},
    }


def publish_awards(setup, rows: int = 3) -> dict:
    resource = call_action(
        "resource_create",
        context=setup["ctx"],
        package_id=setup["dataset"]["id"],
        name="受賞者",
        upload=FileStorage(io.BytesIO(awards(rows).encode()), "awards.csv"),
    )
    call_action(
        "anonymize_resource_policy_update", context=setup["ctx"], id=resource["id"], columns={"氏名": "keep"}
    )
    call_action(
        "optout_resource_configure",
        context=setup["ctx"],
        resource_id=resource["id"],
        subject_columns={"name": "氏名", "birth_date": "生年月日"},
    )
    return resource


def public_text(app, setup, resource) -> str | None:
    """The public file as anyone gets it, or None while there is none."""
    response = app.get(f"/dataset/{setup['dataset']['id']}/resource/{resource['id']}/download/x.csv")
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    return response.get_data(as_text=True)


def state(resource) -> dict:
    return call_action(
        "anonymize_resource_status_show", context={"ignore_auth": True, "user": ""}, id=resource["id"]
    )


def sweep() -> dict:
    return call_action("anonymize_sweep", context={"ignore_auth": True, "user": ""})


def lease(resource) -> bool:
    key = f"{tk.config.get('ckan.site_id')}:anonymize:lease:{resource['id']}"
    return bool(ckan_redis.connect_to_redis().exists(key))


def no_personal_value(text: str | None) -> bool:
    return text is None or not any(v in text for v in ("1980-03-01", "090-1234-5678", "長良福光2丁目"))


@pytest.mark.ckan_config("ckanext.anonymize.sync_max_bytes", "10")
@pytest.mark.ckan_config("ckanext.anonymize.job_grace", "0")
def test_a_worker_killed_mid_job_leaves_nothing_public_and_the_sweep_restarts_it(app, setup):
    resource = publish_awards(setup, rows=SLOW_ROWS)
    assert state(resource)["status"] == "processing"
    worker = Worker()
    try:
        wait_for("the derivation to start", lambda: lease(resource), timeout=120, every=0.05)
        worker.kill()
        assert public_text(app, setup, resource) is None
        assert state(resource)["status"] == "processing", "the job ended before it could be killed"
        wait_for("the dead job's lease to expire", lambda: not lease(resource), timeout=40)
        assert sweep()["lost"] == 1
        assert public_text(app, setup, resource) is None
    finally:
        worker.stop()
    again = Worker(burst=True)
    try:
        assert again.wait(timeout=600) == 0, again.output()
    finally:
        again.stop()
    st = state(resource)
    assert st["status"] == "review", (st, again.output())
    call_action("anonymize_resource_publish", context=setup["ctx"], id=resource["id"])
    body = public_text(app, setup, resource)
    assert "長良 花子" in body and no_personal_value(body)


def test_redis_stopped_while_an_opt_out_is_filed_loses_nothing_and_converges(
    app, setup, ckan_config, monkeypatch, with_test_worker
):
    redis = RedisServer().start()
    try:
        monkeypatch.setitem(ckan_config, "ckan.redis.url", redis.url)
        monkeypatch.setattr(ckan_redis, "_connection_pool", None)
        resource = publish_awards(setup)
        call_action("anonymize_resource_publish", context=setup["ctx"], id=resource["id"])
        assert "長良 花子" in public_text(app, setup, resource)

        redis.stop()
        monkeypatch.setattr(ckan_redis, "_connection_pool", None)
        # A resident on the public form: refused while the abuse limits cannot be counted.
        refused = app.post(
            "/api/3/action/optout_request_create",
            json={"subject": {"name": "長良 花子", "birth_date": "昭和55年3月1日"}},
        )
        assert refused.status_code == 503
        assert call_action("optout_request_list", context={"user": setup["staff"]["name"]})["count"] == 0
        # Staff at the counter file it on her behalf: in effect at once, nothing to wait for.
        filed = call_action(
            "optout_request_create",
            context={"user": setup["staff"]["name"]},
            subject={"name": "長良 花子", "birth_date": "昭和55年3月1日"},
        )
        assert public_text(app, setup, resource) is None
        assert state(resource)["failure_code"] == "queue_unavailable"

        redis.start()
        monkeypatch.setattr(ckan_redis, "_connection_pool", None)
        assert sweep()["queue_retried"] == 1
        while jobs.Worker().work(burst=True, max_jobs=1):
            pass
        body = public_text(app, setup, resource)
        assert body is not None and "長良 花子" not in body and "金華 一郎" in body
        requests = call_action("optout_request_list", context={"user": setup["staff"]["name"]})
        assert [r["reference"] for r in requests["results"]] == [filed["reference"]]
    finally:
        redis.stop()


@pytest.mark.ckan_config("ckanext.anonymize.sync_max_bytes", "10")
def test_the_database_connection_cut_during_a_job_fails_closed_and_is_retried(app, setup):
    resource = publish_awards(setup, rows=SLOW_ROWS)
    worker = Worker()
    try:
        wait_for("the derivation to start", lambda: lease(resource), timeout=120, every=0.05)
        with model.meta.engine.connect() as conn:  # every other backend of this database
            cut = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
        model.meta.engine.dispose()
        assert cut >= 1
        assert public_text(app, setup, resource) is None
        wait_for("the job to fail", lambda: state(resource)["status"] == "failed", timeout=180)
        assert state(resource)["failure_code"] in ("job_failed", "OperationalError")
        assert public_text(app, setup, resource) is None
        assert sweep()["retried"] == 1
        wait_for("the retry to finish", lambda: state(resource)["status"] == "review", timeout=300)
    finally:
        worker.stop()
    call_action("anonymize_resource_publish", context=setup["ctx"], id=resource["id"])
    assert no_personal_value(public_text(app, setup, resource))
