"""After a registry change only the configured resources in the opt-out's scope are re-derived,
through the pipeline's ``anonymize_resource_rescrub`` and ``anonymize_bulk_rescrub`` actions (a
stand-in plugin here)."""

import ckan.model as model
import ckan.plugins as p
import pytest
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.optout import jobs

RESCRUBBED: list[str] = []
DEFER_COMMIT: list[bool] = []  # what each call to the pipeline was told about committing
BULK_FAILS: list[str] = []  # ids the stand-in's bulk call reports as failed; "*": the call raises


class StandInPipeline(p.SingletonPlugin):
    """Only the actions optout calls; the real ones belong to the anonymize plugin. The bulk
    action withdraws in the background, like one ``background`` call per resource."""

    p.implements(p.IActions)

    def get_actions(self):
        def anonymize_resource_rescrub(context, data_dict):
            assert context.get("ignore_auth") is True
            assert set(data_dict) <= {"id", "background"}
            RESCRUBBED.append((data_dict["id"], data_dict.get("background", False)))
            DEFER_COMMIT.append(bool(context.get("defer_commit")))
            return {"id": data_dict["id"]}

        def anonymize_bulk_rescrub(context, data_dict):
            assert context.get("ignore_auth") is True
            assert set(data_dict) == {"ids"}
            if "*" in BULK_FAILS:
                raise RuntimeError("the pipeline is broken")
            RESCRUBBED.extend((rid, True) for rid in data_dict["ids"])
            DEFER_COMMIT.extend(bool(context.get("defer_commit")) for _ in data_dict["ids"])
            failed = [rid for rid in data_dict["ids"] if rid in BULK_FAILS]
            withdrawn = [rid for rid in data_dict["ids"] if rid not in BULK_FAILS]
            return {"withdrawn": withdrawn, "failed": failed, "not_found": []}

        return {
            "anonymize_resource_rescrub": anonymize_resource_rescrub,
            "anonymize_bulk_rescrub": anonymize_bulk_rescrub,
        }


pytestmark = [
    pytest.mark.provide_plugin("optout_test_pipeline", StandInPipeline),
    pytest.mark.ckan_config("ckan.plugins", "optout optout_test_pipeline"),
    pytest.mark.usefixtures("with_plugins", "optout_db", "clean_queues"),
]

SUBJECT = {"name": "岐阜 太郎", "birth_date": "S55.3.1"}


@pytest.fixture
def two_datasets():
    org = factories.Organization()
    sysadmin = factories.Sysadmin()
    result = {}
    for key in ("a", "b"):
        dataset = factories.Dataset(owner_org=org["id"])
        keyed = factories.Resource(package_id=dataset["id"], name="名簿")
        plain = factories.Resource(package_id=dataset["id"], name="集計表")
        helpers.call_action(
            "optout_resource_configure",
            {"user": sysadmin["name"]},
            resource_id=keyed["id"],
            subject_columns={"name": "氏名", "birth_date": "生年月日"},
        )
        result[key] = {"dataset": dataset, "keyed": keyed, "plain": plain}
    for job in ckan_jobs.get_queue().jobs:  # the configure calls' own jobs
        job.delete()
    RESCRUBBED.clear()
    DEFER_COMMIT.clear()
    BULK_FAILS.clear()
    return result


def queued_resources():
    return [job.args[0] for job in ckan_jobs.get_queue().jobs]


def test_a_dataset_scoped_opt_out_withdraws_only_that_datasets_keyed_resources_at_once(two_datasets):
    helpers.call_action(
        "optout_request_create", {"user": ""}, subject=SUBJECT, scope=two_datasets["a"]["dataset"]["name"]
    )
    # In the request itself: withdrawn now, re-derived by the pipeline's own background job.
    assert [(two_datasets["a"]["keyed"]["id"], True)] == RESCRUBBED
    assert queued_resources() == []


def test_an_opt_out_for_everything_withdraws_every_keyed_resource(two_datasets):
    helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT)
    assert sorted(RESCRUBBED) == sorted(
        [(two_datasets["a"]["keyed"]["id"], True), (two_datasets["b"]["keyed"]["id"], True)]
    )


def test_the_same_resources_are_withdrawn_whoever_files(two_datasets):
    helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT)
    first = sorted(RESCRUBBED)
    RESCRUBBED.clear()
    helpers.call_action(
        "optout_request_create", {"user": ""}, subject={"name": "存在 しない人", "birth_date": "1901-01-01"}
    )
    assert sorted(RESCRUBBED) == first


def test_resources_of_a_purged_dataset_are_not_withdrawn_again(two_datasets):
    """CKAN purges its own rows, not our configuration: a purged dataset's keyed resource must
    not cost every later opt-out a failed withdrawal (and a re-derivation job of nothing)."""
    helpers.call_action(
        "dataset_purge", {"user": factories.Sysadmin()["name"]}, id=two_datasets["a"]["dataset"]["id"]
    )
    helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT)
    assert [(two_datasets["b"]["keyed"]["id"], True)] == RESCRUBBED
    assert queued_resources() == []


def test_what_the_pipeline_cannot_withdraw_now_is_rederived_in_a_job(two_datasets):
    keyed = sorted(two_datasets[k]["keyed"]["id"] for k in "ab")
    BULK_FAILS.append(keyed[0])  # e.g. its DataStore table could not be emptied
    helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT)
    assert queued_resources() == [[keyed[0]]]
    ckan_jobs.get_queue().empty()
    BULK_FAILS.append("*")  # the whole call fails: every resource goes to the job
    helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT)
    assert queued_resources() == [keyed]


def test_withdrawal_and_rejection_rederive_in_a_job(two_datasets):
    filed = helpers.call_action(
        "optout_request_create", {"user": ""}, subject=SUBJECT, scope=two_datasets["b"]["dataset"]["id"]
    )
    helpers.call_action(
        "optout_request_withdraw", {"user": ""}, reference=filed["reference"], token=filed["token"]
    )
    other = helpers.call_action(
        "optout_request_create", {"user": ""}, subject=SUBJECT, scope=two_datasets["b"]["dataset"]["id"]
    )
    helpers.call_action(
        "optout_request_reject", {"user": factories.Sysadmin()["name"]}, reference=other["reference"]
    )
    assert queued_resources() == [[two_datasets["b"]["keyed"]["id"]]] * 2


def test_with_defer_commit_the_rederivation_is_enqueued_at_the_callers_commit(two_datasets):
    scope = two_datasets["b"]["dataset"]["id"]
    filed = helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT, scope=scope)
    helpers.call_action(
        "optout_request_withdraw",
        {"user": "", "defer_commit": True},
        reference=filed["reference"],
        token=filed["token"],
    )
    assert queued_resources() == []  # a job now could run before the withdrawal is committed
    model.Session.commit()
    assert queued_resources() == [[two_datasets["b"]["keyed"]["id"]]]


def test_a_change_the_caller_rolls_back_enqueues_nothing(two_datasets):
    filed = helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT)
    helpers.call_action(
        "optout_request_reject",
        {"user": "", "defer_commit": True, "ignore_auth": True},
        reference=filed["reference"],
    )
    model.Session.rollback()
    model.Session.commit()  # a later transaction of the same session
    assert queued_resources() == []
    assert helpers.call_action(
        "optout_request_show", {"user": ""}, reference=filed["reference"], token=filed["token"]
    )["active"]


def test_with_defer_commit_the_pipeline_is_asked_not_to_commit_either(two_datasets):
    helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT)
    helpers.call_action("optout_request_create", {"user": "", "defer_commit": True}, subject=SUBJECT)
    assert DEFER_COMMIT == [False, False, True, True]  # two keyed resources in scope each time
    model.Session.rollback()


def test_the_job_calls_the_pipeline_for_each_resource(two_datasets):
    ids = [two_datasets["a"]["keyed"]["id"], two_datasets["b"]["keyed"]["id"]]
    counts = jobs.rederive(ids, "test")
    assert counts == {"done": 2, "failed": 0, "skipped": 0}
    assert [(i, False) for i in ids] == RESCRUBBED


def test_configuring_columns_rederives_that_resource(two_datasets):
    result = helpers.call_action(
        "optout_resource_configure",
        {"user": factories.Sysadmin()["name"]},
        resource_id=two_datasets["a"]["plain"]["id"],
        subject_columns={"name": "氏名"},
    )
    assert result["rederive"] == [two_datasets["a"]["plain"]["id"]]
    assert queued_resources() == [[two_datasets["a"]["plain"]["id"]]]


def test_cli_rederive_names_what_it_would_touch(two_datasets, cli):
    from ckan.cli.cli import ckan

    dataset = factories.Dataset(owner_org=two_datasets["a"]["dataset"]["owner_org"])
    result = cli.invoke(ckan, ["optout", "rederive", "--dataset", dataset["name"]])
    assert result.exit_code == 0, result.output
    assert "no resource with subject-key columns in scope" in result.output
