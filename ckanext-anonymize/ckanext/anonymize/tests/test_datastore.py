"""With DataStore and XLoader on, they only ever receive the scrubbed derivative: nothing is
loaded before publication, the loaded rows hold no personal value, and a re-scrub empties them
until the new derivative is published."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from .conftest import PERSONAL_VALUES, RESIDENTS_CSV, as_user, upload_resource

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "anonymize datastore xloader"),
    pytest.mark.usefixtures("with_plugins", "clean_queues", "with_test_worker"),
]


def datastore_rows(resource_id):
    try:
        return call_action("datastore_search", resource_id=resource_id, limit=100)["records"]
    except tk.ObjectNotFound:  # no table yet
        return None


@pytest.fixture
def datastore_db(anonymize_db):
    from sqlalchemy import orm

    from ckanext.datastore.backend.postgres import get_write_engine
    from ckanext.datastore.tests.helpers import rebuild_all_dbs

    rebuild_all_dbs(orm.scoped_session(orm.sessionmaker(bind=get_write_engine())))


def test_only_the_derivative_reaches_the_datastore(
    datastore_db, live_server, dataset, org_with_staff, ckan_config, monkeypatch, run_jobs
):
    # XLoader downloads the resource over HTTP (from the live server) with a sysadmin's token.
    from ckan.tests import factories

    monkeypatch.setitem(ckan_config, "ckanext.xloader.api_token", factories.SysadminWithToken()["token"])
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    # XLoader asks before loading (IXloader.can_upload): nothing is public, so it is not even tried.
    assert call_action("xloader_submit", resource_id=resource["id"]) is False
    with pytest.raises(tk.ObjectNotFound):
        call_action("xloader_status", resource_id=resource["id"])
    run_jobs()
    assert not datastore_rows(resource["id"])

    call_action("anonymize_resource_publish", context=as_user(editor), id=resource["id"])
    run_jobs()  # the load XLoader was asked for at publication
    rows = datastore_rows(resource["id"])
    assert rows and len(rows) == 3
    text = str(rows)
    for value in PERSONAL_VALUES:
        assert value not in text
    assert "市民文化賞" in text

    call_action(
        "anonymize_resource_policy_update",
        context=as_user(editor),
        id=resource["id"],
        columns={"氏名": "keep"},
    )
    assert not datastore_rows(resource["id"])  # withdrawn at once, until published again
