"""After a registry change only the configured resources in the opt-out's scope are re-derived,
through the pipeline's ``anonymize_resource_rescrub`` action (a stand-in plugin here)."""

import ckan.model as model
import ckan.plugins as p
import pytest
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.optout import jobs

RESCRUBBED: list[str] = []
DEFER_COMMIT: list[bool] = []  # what each call to the pipeline was told about committing


class StandInPipeline(p.SingletonPlugin):
    """Only the action optout calls; the real one belongs to the anonymize plugin."""

    p.implements(p.IActions)

    def get_actions(self):
        def anonymize_resource_rescrub(context, data_dict):
            assert context.get("ignore_auth") is True
            assert set(data_dict) <= {"id", "background"}
            RESCRUBBED.append((data_dict["id"], data_dict.get("background", False)))
            DEFER_COMMIT.append(bool(context.get("defer_commit")))
            return {"id": data_dict["id"]}

        return {"anonymize_resource_rescrub": anonymize_resource_rescrub}


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
