"""anonymize_bulk_rescrub: many public copies withdrawn in one call (a new opt-out with scope
"all"), each re-derived in the background, nothing started before the caller's commit. Real
PostgreSQL, Redis and RQ (jobs run in this process, as a worker would)."""

from __future__ import annotations

import os

import ckan.lib.jobs as jobs
import ckan.model as model
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.anonymize import storage

from .conftest import PERSONAL_VALUES, RESIDENTS_CSV, as_user, upload_resource
from .test_publishing import download
from .test_state_machine import audits, run_jobs

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_queues", "with_test_worker"),
    pytest.mark.ckan_config("ckan.plugins", "anonymize"),
]
SYSTEM = {"ignore_auth": True, "user": ""}


def published(dataset, editor, n):
    resources = []
    for i in range(n):
        resource = upload_resource(dataset, editor, RESIDENTS_CSV, filename=f"r{i}.csv")
        call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
        resources.append(resource)
    return resources


def queued_resources() -> set[str]:
    return {job.args[0] for job in jobs.get_queue().jobs}


def test_every_copy_is_withdrawn_at_once_and_comes_back_scrubbed(app, dataset, org_with_staff):
    editor = org_with_staff["editor"]
    resources = published(dataset, editor, 3)
    link = call_action(
        "resource_create", context=as_user(editor), package_id=dataset["id"], url="https://example.org/a.csv"
    )
    os.unlink(storage.original_path(resources[2]["id"]))  # restored from an incomplete backup
    ids = [r["id"] for r in resources]

    result = call_action("anonymize_bulk_rescrub", context=as_user(editor), ids=[*ids, link["id"]])

    assert sorted(result["withdrawn"]) == sorted(ids) and result["failed"] == []
    assert result["not_found"] == [link["id"]]
    for resource in resources:  # none public any more, before any job ran
        assert download(app, dataset, resource).status_code == 404
    assert queued_resources() == set(ids[:2])  # no job for the one without an original
    missing = call_action("anonymize_resource_status_show", context=as_user(editor), id=ids[2])
    assert missing["status"] == "failed" and missing["failure_code"] == "original_missing"

    run_jobs()
    for resource in resources[:2]:  # approved before: back by themselves, scrubbed
        body = download(app, dataset, resource).get_data(as_text=True)
        assert "市民文化賞" in body and not any(v in body for v in PERSONAL_VALUES)
        assert len(audits(resource, "rescrub")) == 1
    assert download(app, dataset, resources[2]).status_code == 404


def test_only_editors_of_every_dataset_may_withdraw(app, dataset, org_with_staff):
    editor, outsider = org_with_staff["editor"], org_with_staff["outsider"]
    mine = published(dataset, editor, 1)[0]
    theirs_dataset = factories.Dataset(owner_org=org_with_staff["other_org"]["id"])
    theirs = published(theirs_dataset, outsider, 1)[0]

    for user in (outsider, org_with_staff["member"]):
        with pytest.raises(Exception) as refused:
            call_action("anonymize_bulk_rescrub", context=as_user(user), ids=[theirs["id"], mine["id"]])
        assert type(refused.value).__name__ == "NotAuthorized"
    with pytest.raises(Exception) as refused:
        call_action("anonymize_bulk_rescrub", context={"user": "", "ignore_auth": False}, ids=[mine["id"]])
    assert type(refused.value).__name__ == "NotAuthorized"
    assert download(app, dataset, mine).status_code == 200  # nothing withdrawn by a refusal
    assert download(app, theirs_dataset, theirs).status_code == 200


def test_bad_ids_are_refused_in_both_languages(org_with_staff):
    for ids in ({"a": 1}, [1, 2], ["x"] * 10_001):
        with pytest.raises(Exception) as refused:
            call_action("anonymize_bulk_rescrub", context=SYSTEM, ids=ids)
        message = str(refused.value.error_dict["ids"])
        assert "ids" in message and ("一覧" in message or "件まで" in message)


def test_no_derivation_starts_before_the_callers_commit(app, dataset, org_with_staff):
    """Under ``defer_commit`` inside a savepoint (how an opt-out withdraws within a caller's
    transaction), a job enqueued at the savepoint's release would read the state before the
    change and find nothing to do: jobs wait for the outermost commit, and a rollback drops them."""
    editor = org_with_staff["editor"]
    first, second = (r["id"] for r in published(dataset, editor, 2))
    deferred = {**SYSTEM, "defer_commit": True}

    with model.Session.begin_nested():
        call_action("anonymize_bulk_rescrub", context=deferred, ids=[first])
    assert queued_resources() == set()
    model.repo.commit()
    assert queued_resources() == {first}

    jobs.get_queue().empty()
    with model.Session.begin_nested():
        call_action("anonymize_bulk_rescrub", context=deferred, ids=[second])
    model.Session.rollback()
    model.repo.commit()
    assert queued_resources() == set()
