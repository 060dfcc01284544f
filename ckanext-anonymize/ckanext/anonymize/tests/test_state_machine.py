"""Publication as a state machine with a fence: overlapping changes, lost jobs and missing parts
never leave a stale or unscrubbed copy public, and the system repairs itself (the sweep).
Real PostgreSQL, Redis and RQ (jobs run in this process, one at a time, as a worker would)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import ClassVar

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.anonymize import storage
from ckanext.anonymize.interfaces import IPublishingStage
from ckanext.anonymize.model import AuditEntry, ResourceState

from .conftest import PERSONAL_VALUES, RESIDENTS_CSV, as_user, file_upload, upload_resource
from .test_publishing import download, status

# ckan.plugins is set per test (a module-level mark would override a test's own).
pytestmark = [pytest.mark.usefixtures("with_plugins")]
ANONYMIZE = pytest.mark.ckan_config("ckan.plugins", "anonymize")


def run_jobs() -> int:
    done = 0
    while jobs.Worker().work(burst=True, max_jobs=1):
        done += 1
    return done


def audits(resource, action: str) -> list[AuditEntry]:
    return (
        model.Session.query(AuditEntry)
        .filter_by(resource_id=resource["id"], action=action)
        .order_by(AuditEntry.id)
        .all()
    )


class Interrupting:
    """A filter stage during which another request changes the resource (an opt-out filed while
    the job runs): the change is made in a thread of its own, with its own database session."""

    name, order, filter = "interrupting", 300, True
    armed = False
    errors: ClassVar[list] = []

    def applies_to(self, resource):
        return True

    def tap_version(self, resource, dataset):
        return "1"

    def keyer(self, resource, dataset):
        class Keyer:
            def sheet(self, name):
                return lambda row: None

        return Keyer()

    def select(self, sheet, rows, ctx):
        if Interrupting.armed:
            Interrupting.armed = False
            rid = ctx.resource["id"]

            def rescrub():
                try:
                    call_action(
                        "anonymize_resource_rescrub",
                        context={"ignore_auth": True, "user": ""},
                        id=rid,
                        background=True,
                    )
                except Exception as err:  # noqa: BLE001 - reported by the test
                    Interrupting.errors.append(err)
                finally:
                    model.Session.remove()

            thread = threading.Thread(target=rescrub)
            thread.start()
            thread.join()
        yield from rows


class InterruptingPlugin(plugins.SingletonPlugin):
    plugins.implements(IPublishingStage)

    def publishing_stages(self):
        return [Interrupting()]


@pytest.mark.provide_plugin("interrupting_stage", InterruptingPlugin)
@pytest.mark.ckan_config("ckan.plugins", "anonymize interrupting_stage")
@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_a_derivation_superseded_while_it_runs_throws_its_output_away(app, dataset, org_with_staff):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    call_action("anonymize_resource_rescrub", context=as_user(editor), id=resource["id"], background=True)
    Interrupting.armed = True
    assert run_jobs() >= 1
    assert Interrupting.errors == [] and not Interrupting.armed
    # The job derived generation 2; during it generation 3 began: its output went nowhere.
    superseded = audits(resource, "superseded")
    assert [a.detail["generation"] for a in superseded] == [2]
    assert download(app, dataset, resource).status_code in (200, 404)
    state = ResourceState.get(resource["id"])
    model.Session.refresh(state)
    assert state.generation == 3 and state.status == "published" and state.published_generation == 3
    assert [a.detail["generation"] for a in audits(resource, "derived")][-1] == 3
    body = download(app, dataset, resource).get_data(as_text=True)
    assert not any(v in body for v in PERSONAL_VALUES)


@ANONYMIZE
@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_changes_while_the_worker_is_busy_coalesce_and_an_approved_file_comes_back(
    app, dataset, org_with_staff
):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    for _ in range(5):  # five opt-outs filed while the worker is stopped
        call_action(
            "anonymize_resource_rescrub",
            context={"ignore_auth": True, "user": ""},
            id=resource["id"],
            background=True,
        )
        assert download(app, dataset, resource).status_code == 404
    before = len(audits(resource, "derived"))
    run_jobs()
    assert len(audits(resource, "derived")) == before + 1  # one derivation for five
    assert status(resource, editor)["status"] == "published"  # not back to review
    assert download(app, dataset, resource).status_code == 200


@ANONYMIZE
def test_withdrawal_fails_closed_when_the_original_is_missing(app, dataset, org_with_staff):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    os.unlink(storage.original_path(resource["id"]))  # a restore from an incomplete backup
    again = call_action(
        "anonymize_resource_rescrub", context={"ignore_auth": True, "user": ""}, id=resource["id"]
    )
    assert again["status"] == "failed" and again["failure_code"] == "original_missing"
    assert "元ファイル" in again["reason"]["ja"] and "missing" in again["reason"]["en"]
    assert download(app, dataset, resource).status_code == 404


@ANONYMIZE
@pytest.mark.ckan_config("ckan.max_resource_size", 1)
def test_an_oversized_upload_is_refused_and_changes_nothing(app, dataset, org_with_staff):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    before = download(app, dataset, resource).get_data(as_text=True)
    big = "受賞名\n" + "市民文化賞\n" * 200_000
    with pytest.raises(Exception) as info:
        call_action(
            "resource_update", context=as_user(editor), id=resource["id"], upload=file_upload(big, "big.csv")
        )
    assert "大きすぎます" in str(info.value)
    model.Session.rollback()
    assert status(resource, editor)["status"] == "published"
    assert download(app, dataset, resource).get_data(as_text=True) == before


@ANONYMIZE
def test_purging_a_dataset_removes_every_file_of_its_uploads(app, dataset, org_with_staff):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    public_path = storage.tk.config["ckan.storage_path"]
    folder = os.path.dirname(storage.original_path(resource["id"]))
    assert os.path.isdir(folder)
    call_action("dataset_purge", context={"user": factories.Sysadmin()["name"]}, id=dataset["id"])
    assert not os.path.exists(folder)
    leftovers = [f for root, _, files in os.walk(public_path) for f in files if resource["id"] in root + f]
    assert leftovers == []
    assert ResourceState.get(resource["id"]) is None


class OtherUploader(plugins.SingletonPlugin):
    plugins.implements(plugins.IUploader, inherit=True)

    def __init__(self, **kwargs):
        super().__init__(name="other_uploader")  # what CKAN's loader passes (entry-point name)

    def get_resource_uploader(self, data_dict):
        return None


@pytest.mark.provide_plugin("other_uploader", OtherUploader)
def test_ckan_does_not_start_with_another_uploader_listed_first(provide_plugin, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.plugins", "other_uploader anonymize")
    plugins.unload_all()
    try:
        with pytest.raises(RuntimeError, match="IUploader"):
            plugins.load_all()
    finally:
        plugins.unload_all()


@ANONYMIZE
@pytest.mark.ckan_config("ckanext.anonymize.sync_max_bytes", "10")
@pytest.mark.ckan_config("ckanext.anonymize.job_grace", "0")
@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_the_sweep_restarts_a_job_lost_with_redis(app, dataset, org_with_staff):
    from rq.job import Job

    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    state = ResourceState.get(resource["id"])
    model.Session.refresh(state)
    assert state.status == "processing" and state.job_id
    Job.fetch(state.job_id, connection=jobs.get_queue().connection).delete()  # Redis flushed
    swept = call_action("anonymize_sweep", context={"ignore_auth": True, "user": ""})
    assert swept["lost"] == 1
    assert download(app, dataset, resource).status_code == 404
    run_jobs()
    assert status(resource, editor)["status"] == "review"


@ANONYMIZE
@pytest.mark.ckan_config("ckanext.anonymize.sync_max_bytes", "10")
@pytest.mark.ckan_config("ckanext.anonymize.job_grace", "600")
@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_the_sweep_restarts_a_job_a_dying_worker_took_from_the_queue(app, dataset, org_with_staff):
    """A worker killed after it took the job and before it started it leaves RQ's status at
    "queued" on a job no queue holds: lost once the grace has passed, not waited for forever."""
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    state = ResourceState.get(resource["id"])
    model.Session.refresh(state)
    assert state.status == "processing" and state.job_id
    queue = jobs.get_queue()
    queue.connection.lrem(queue.key, 0, state.job_id)  # taken by a worker that then died
    swept = call_action("anonymize_sweep", context={"ignore_auth": True, "user": ""})
    assert swept["lost"] == 0  # within the grace: it may still be starting
    state = ResourceState.get(resource["id"])
    state.job_enqueued_at = dt.datetime.utcnow() - dt.timedelta(hours=1)
    model.Session.commit()
    swept = call_action("anonymize_sweep", context={"ignore_auth": True, "user": ""})
    assert swept["lost"] == 1
    assert download(app, dataset, resource).status_code == 404
    run_jobs()
    assert status(resource, editor)["status"] == "review"


@ANONYMIZE
@pytest.mark.ckan_config("ckanext.anonymize.sync_max_bytes", "10")
@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_a_resource_that_waited_for_redis_is_derived_once_redis_is_back(
    app, dataset, org_with_staff, ckan_config, monkeypatch
):
    import ckan.lib.redis as ckan_redis

    editor = org_with_staff["editor"]
    good_url = ckan_config["ckan.redis.url"]
    monkeypatch.setitem(ckan_config, "ckan.redis.url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(ckan_redis, "_connection_pool", None)
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    assert status(resource, editor)["status"] == "failed"
    monkeypatch.setitem(ckan_config, "ckan.redis.url", good_url)
    monkeypatch.setattr(ckan_redis, "_connection_pool", None)
    swept = call_action("anonymize_sweep", context={"ignore_auth": True, "user": ""})
    assert swept["queue_retried"] == 1
    run_jobs()
    assert status(resource, editor)["status"] == "review"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>\xe9\x95\xb7\xe8\x89\xaf</text></svg>'


@ANONYMIZE
def test_a_file_that_cannot_be_scrubbed_is_refused_and_published_only_as_an_attachment(
    app, dataset, org_with_staff
):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, SVG, filename="chart.svg")
    st = status(resource, editor)
    assert st["status"] == "failed" and st["failure_code"] == "unsafe_type"
    assert "CSV" in st["reason"]["ja"] and "attachment" in st["reason"]["en"]
    assert download(app, dataset, resource).status_code == 404
    with pytest.raises(tk.ValidationError):
        call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    published = call_action(
        "anonymize_resource_publish", context=as_user(editor), id=resource["id"], as_attachment=True
    )
    assert published["status"] == "published" and published["attachment"]
    response = download(app, dataset, resource)
    assert response.status_code == 200 and response.get_data() == SVG
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert [a.actor for a in audits(resource, "override_unsafe_type")] == [editor["name"]]


@ANONYMIZE
def test_an_ordinary_file_cannot_be_published_unscrubbed_as_an_attachment(app, dataset, org_with_staff):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    with pytest.raises(Exception) as info:
        call_action(
            "anonymize_resource_publish", context=as_user(editor), id=resource["id"], as_attachment=True
        )
    assert "as_attachment" in str(info.value)
    assert download(app, dataset, resource).status_code == 404


@ANONYMIZE
def test_a_persons_name_in_the_file_name_is_not_published(app, dataset, org_with_staff):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV, filename="長良花子様_相談記録.csv")
    shown = call_action("resource_show", id=resource["id"])
    assert "長良" not in shown["url"] and shown["url"].endswith(".csv")
    info = call_action("anonymize_original_download", context=as_user(editor), id=resource["id"])
    assert info["filename"] == "長良花子様_相談記録.csv"  # staff keep the original name
    call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    response = download(app, dataset, shown)
    assert response.status_code == 200
    assert "長良" not in response.headers.get("Content-Disposition", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@ANONYMIZE
def test_the_worker_loads_the_engine_once_before_it_forks_its_horses(monkeypatch):
    """RQ forks a work horse per job; a model loaded in the horse dies with it. CKAN's worker
    tells IForkObserver plugins before each fork: the engine and GiNZA load there, once."""
    from ckanext.anonymize import service
    from ckanext.anonymize.engine import nlp

    monkeypatch.setattr(service, "_engine", None)
    monkeypatch.setattr(nlp, "_models", {})
    for plugin in plugins.PluginImplementations(plugins.IForkObserver):
        plugin.before_fork()
    assert service._engine is not None and nlp.MODEL in nlp._models
    loaded = nlp._models[nlp.MODEL]
    for plugin in plugins.PluginImplementations(plugins.IForkObserver):
        plugin.before_fork()
    assert nlp._models[nlp.MODEL] is loaded


@ANONYMIZE
@pytest.mark.usefixtures("clean_db")
def test_an_upload_before_the_migration_says_what_to_run(migrate_db_for, monkeypatch):
    """The plugin enabled, ``ckan db upgrade -p anonymize`` not run: uploads are refused with
    the command to run (not a raw UndefinedTable 500), and nothing is stored."""
    from ckanext.anonymize import service

    migrate_db_for("anonymize")
    with model.meta.engine.begin() as conn:
        conn.exec_driver_sql(
            "DROP TABLE anonymize_audit, anonymize_resource, anonymize_alembic_version CASCADE"
        )
    monkeypatch.setattr(service, "_tables_ready", False)
    try:
        editor = factories.User()
        org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
        dataset = factories.Dataset(owner_org=org["id"])
        with pytest.raises(tk.ValidationError) as refused:
            upload_resource(dataset, editor, RESIDENTS_CSV)
        assert "ckan db upgrade -p anonymize" in str(refused.value.error_dict["upload"])
        model.Session.rollback()
        assert call_action("package_show", id=dataset["id"])["resources"] == []
    finally:
        model.Session.rollback()
        migrate_db_for("anonymize")


class StoppedByTheWorker:
    """A stage during which the worker's time limit strikes (what RQ raises in the job)."""

    name, order = "stopped", 300
    armed = False

    def applies_to(self, resource):
        return True

    def process(self, sheets, ctx):
        from rq.timeouts import JobTimeoutException

        for sheet in sheets:
            if StoppedByTheWorker.armed:
                raise JobTimeoutException("Task exceeded maximum timeout value (1 seconds)")
            yield sheet


class StoppingPlugin(plugins.SingletonPlugin):
    plugins.implements(IPublishingStage)

    def publishing_stages(self):
        return [StoppedByTheWorker()]


@pytest.mark.provide_plugin("stopping_stage", StoppingPlugin)
@pytest.mark.ckan_config("ckan.plugins", "anonymize stopping_stage")
@pytest.mark.ckan_config("ckanext.anonymize.sync_max_bytes", "10")
@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_a_job_stopped_midway_leaves_it_closed_and_a_retry_works(app, dataset, org_with_staff, monkeypatch):
    monkeypatch.setattr(StoppedByTheWorker, "armed", True)
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    jobs.Worker().work(burst=True)
    st = status(resource, editor)
    assert st["status"] == "failed"
    assert "途中で終了" in st["reason"]["ja"] and "re-scrub" in st["reason"]["en"]
    assert download(app, dataset, resource).status_code == 404

    StoppedByTheWorker.armed = False
    call_action("anonymize_resource_rescrub", context=as_user(editor), id=resource["id"])
    jobs.Worker().work(burst=True)
    assert status(resource, editor)["status"] == "review"
