"""Every optout action that writes commits its change, unless the caller passed ``defer_commit``
(CKAN core's pattern): then the change is in the caller's transaction, and a rollback leaves
nothing behind, in our tables or in the dataset's visibility. With the publishing pipeline loaded
as on the portal (anonymize), so that its hooks are part of the check."""

import datetime as dt

import ckan.model as model
import ckan.plugins as p
import pytest
import sqlalchemy as sa
from ckan.tests import factories, helpers

from ckanext.optout import model as optout_model

DEADLINE = dt.date.today() + dt.timedelta(days=14)
SUBJECT = {"name": "岐阜 太郎", "birth_date": "S55.3.1"}
UNPATCHABLE = "unpatchable-"  # datasets whose name starts so cannot be patched (a failing step)


class UnpatchableDatasets(p.SingletonPlugin):
    """A plugin's IPackageController guard refuses some datasets: a step that fails after optout
    has written (package_update runs the guards; a deferred release runs them itself)."""

    p.implements(p.IPackageController, inherit=True)

    def edit(self, entity):
        if entity.name.startswith(UNPATCHABLE):
            raise RuntimeError("the dataset could not be updated")


pytestmark = [
    pytest.mark.provide_plugin("optout_test_unpatchable", UnpatchableDatasets),
    pytest.mark.ckan_config("ckan.plugins", "optout anonymize optout_test_unpatchable"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index"),
]


def snapshot():
    """What is committed: every row of the optout tables and each dataset's visibility."""
    model.Session.remove()
    with model.Session.get_bind().connect() as conn:
        names = sorted(n for n in sa.inspect(conn).get_table_names() if n.startswith("optout_"))
        tables = {
            name: sorted(repr(tuple(row)) for row in conn.execute(sa.text(f'SELECT * FROM "{name}"')))
            for name in names
        }
        tables["package.private"] = sorted(conn.execute(sa.text("SELECT name, private FROM package")).all())
    return tables


def staff():
    return {"user": factories.Sysadmin()["name"], "ignore_auth": False}


def dataset_in(state, name=None):
    """A private dataset (or a public one, outside the lifecycle, for ``None``) in ``state``."""
    org = factories.Organization()
    dataset = factories.Dataset(
        owner_org=org["id"], private=state is not None, **({"name": name} if name else {})
    )
    if state is None:
        return dataset
    helpers.call_action("optout_dataset_stock", staff(), id=dataset["id"])
    if state in ("notice", "due"):
        helpers.call_action("optout_dataset_notice", staff(), id=dataset["id"], deadline=DEADLINE.isoformat())
    if state == "due":
        model.Session.remove()
        model.Session.get(optout_model.OptoutDataset, dataset["id"]).deadline = (
            dt.date.today() - dt.timedelta(days=1)
        )
        model.Session.commit()
    return dataset


def filed(contact=""):
    return helpers.call_action("optout_request_create", {"user": ""}, subject=SUBJECT, contact=contact)


def old_contact():
    result = filed(contact="090-0000-0000")
    model.Session.remove()
    request = optout_model.OptoutRequest.by_reference(result["reference"])
    request.created -= dt.timedelta(days=400)
    model.Session.commit()
    return result


# Each writing action: (context, parameters), prepared and committed before the call.
WRITES = {
    "optout_request_create": lambda: ({"user": ""}, {"subject": SUBJECT, "contact": "窓口で受付"}),
    "optout_request_withdraw": lambda: ({"user": ""}, dict(filed())),
    "optout_request_verify": lambda: (staff(), {"reference": filed()["reference"]}),
    "optout_request_reject": lambda: (staff(), {"reference": filed()["reference"], "note": "本人確認できず"}),
    "optout_contact_purge": lambda: (staff(), old_contact() and {}),
    "optout_resource_configure": lambda: (
        staff(),
        {
            "resource_id": factories.Resource(package_id=dataset_in("stock")["id"])["id"],
            "subject_columns": {"name": "氏名"},
        },
    ),
    "optout_dataset_stock": lambda: (staff(), {"id": dataset_in(None)["id"], "listed": True}),
    "optout_dataset_notice": lambda: (
        staff(),
        {"id": dataset_in("stock")["id"], "deadline": DEADLINE.isoformat()},
    ),
    "optout_dataset_hold": lambda: (staff(), {"id": dataset_in("notice")["id"]}),
    "optout_dataset_release": lambda: (staff(), {"id": dataset_in("due")["id"]}),
    "optout_dataset_release_due": lambda: (staff(), dataset_in("due") and {}),
}


@pytest.mark.parametrize("deferred", [True, False], ids=["defer_commit", "commit"])
@pytest.mark.parametrize("action", sorted(WRITES))
def test_a_write_is_committed_by_the_action_unless_the_caller_defers_it(action, deferred):
    context, data = WRITES[action]()
    before = snapshot()
    helpers.call_action(action, {**context, "defer_commit": deferred}, **data)
    model.Session.rollback()
    if deferred:
        assert snapshot() == before, "something was committed although the caller defers the commit"
    else:
        assert snapshot() != before, "the action did not commit its change"


def test_the_deferred_change_is_committed_by_the_callers_commit():
    dataset = dataset_in("due")
    result = helpers.call_action(
        "optout_dataset_release", {**staff(), "defer_commit": True}, id=dataset["id"]
    )
    assert result["state"] == "open" and result["private"] is False
    anonymous = {"user": "", "ignore_auth": False}
    search = f"name:{dataset['name']}"
    assert helpers.call_action("package_search", anonymous, q=search)["count"] == 0
    model.Session.commit()
    assert helpers.call_action("optout_dataset_show", id=dataset["id"])["state"] == "open"
    assert model.Package.get(dataset["id"]).private is False
    # The search index follows the caller's commit: the dataset is found by everyone.
    assert helpers.call_action("package_search", anonymous, q=search)["count"] == 1


@pytest.mark.parametrize("deferred", [True, False], ids=["defer_commit", "commit"])
def test_one_failing_release_undoes_only_its_own_writes(deferred):
    """release-due: a dataset that fails after optout wrote its state (here: package_patch
    fails) keeps its notice; the others are released, in the caller's transaction or committed."""
    fine = dataset_in("due")
    failing = dataset_in("due", name=f"{UNPATCHABLE}register")
    result = helpers.call_action("optout_dataset_release_due", {**staff(), "defer_commit": deferred})
    assert result["released"] == [fine["name"]]
    assert [item["name"] for item in result["not_released"]] == [failing["name"]]
    assert "RuntimeError" in result["not_released"][0]["reason"]
    if deferred:
        model.Session.commit()
    states = {d["name"]: helpers.call_action("optout_dataset_show", id=d["id"]) for d in (fine, failing)}
    assert states[fine["name"]]["state"] == "open" and states[fine["name"]]["private"] is False
    assert states[failing["name"]]["state"] == "notice" and states[failing["name"]]["private"] is True
