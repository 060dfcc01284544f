"""Datasets go stock → notice → open; only editors move them; release-due opens what is due."""
import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

pytestmark = [pytest.mark.ckan_config("ckan.plugins", "optout"),
              pytest.mark.usefixtures("with_plugins", "optout_db")]

TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture
def team():
    """An organization with an editor and an outsider, and a private dataset in stock."""
    org = factories.Organization()
    editor, outsider = factories.User(), factories.User()
    helpers.call_action("member_create", {"ignore_auth": True}, id=org["id"],
                        object=editor["name"], object_type="user", capacity="editor")
    dataset = factories.Dataset(owner_org=org["id"], private=True, title="理容所登録簿",
                                notes="市内の理容所の一覧", tags=[{"name": "衛生"}])
    resource = factories.Resource(package_id=dataset["id"], name="登録簿",
                                  url="http://example.com/closed/original.csv", format="CSV")
    helpers.call_action("optout_dataset_stock", as_user(editor), id=dataset["id"])
    return {"org": org, "editor": editor, "outsider": outsider, "dataset": dataset,
            "resource": resource}


def as_user(user):
    return {"user": user["name"], "ignore_auth": False}


def state_of(dataset_id):
    return helpers.call_action("optout_dataset_show", {"ignore_auth": True}, id=dataset_id)


@pytest.mark.ckan_config("ckanext.optout.stock_by_default", True)
def test_new_datasets_start_in_stock_when_configured():
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], private=False)
    assert dataset["private"] is True
    assert state_of(dataset["id"])["state"] == "stock"
    assert model.Package.get(dataset["id"]).private is True


def test_without_the_option_new_datasets_stay_as_created():
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], private=False)
    assert dataset["private"] is False
    assert state_of(dataset["id"])["state"] is None


def test_a_dataset_in_stock_cannot_be_made_public_by_editing(team):
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action("package_patch", as_user(team["editor"]), id=team["dataset"]["id"],
                            private=False)
    assert "private" in info.value.error_dict
    model.Session.rollback()
    assert model.Package.get(team["dataset"]["id"]).private is True
    # Other edits are fine.
    helpers.call_action("package_patch", as_user(team["editor"]), id=team["dataset"]["id"],
                        notes="更新した説明")


def test_only_editors_move_a_dataset(team):
    for name in ("optout_dataset_stock", "optout_dataset_notice", "optout_dataset_hold",
                 "optout_dataset_release"):
        assert helpers.call_auth(name, {"user": team["editor"]["name"], "model": model},
                                 id=team["dataset"]["id"])
        for who in (team["outsider"]["name"], ""):
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth(name, {"user": who, "model": model}, id=team["dataset"]["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("optout_dataset_notice", as_user(team["outsider"]),
                            id=team["dataset"]["id"], deadline=TOMORROW.isoformat())
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("optout_dataset_release_due",
                          {"user": team["editor"]["name"], "model": model})


def test_notice_keeps_the_dataset_closed_and_publishes_metadata_only(team):
    helpers.call_action("optout_resource_configure", as_user(team["editor"]),
                        resource_id=team["resource"]["id"],
                        subject_columns={"name": "氏名", "birth_date": "生年月日"})
    state = helpers.call_action("optout_dataset_notice", as_user(team["editor"]),
                                id=team["dataset"]["name"], deadline=TOMORROW.isoformat())
    assert state["state"] == "notice" and state["deadline"] == TOMORROW.isoformat()
    assert state["private"] is True
    public = helpers.call_action("optout_notice_list", {"user": ""})
    assert public["count"] == 1
    [item] = public["results"]
    assert item["title"] == "理容所登録簿" and item["tags"] == ["衛生"]
    assert item["deadline"] == TOMORROW.isoformat()
    assert item["release_date"] == (TOMORROW + dt.timedelta(days=1)).isoformat()
    assert item["resources"][0]["subject_columns"] == [
        {"attribute": "birth_date", "label": "生年月日", "column": "生年月日"},
        {"attribute": "name", "label": "氏名", "column": "氏名"}]
    assert "example.com" not in repr(public)       # no file URL of the closed original
    assert helpers.call_action("optout_stock_list", {"user": ""})["count"] == 0


def test_stock_list_shows_metadata_only(team):
    stock = helpers.call_action("optout_stock_list", {"user": ""})
    [item] = stock["results"]
    assert item["title"] == "理容所登録簿" and item["num_resources"] == 1
    assert item["organization"] == team["org"]["title"]
    assert "example.com" not in repr(stock) and "resources" not in item


def test_deadline_must_be_in_the_future_and_open_datasets_need_stock_first(team):
    with pytest.raises(tk.ValidationError):
        helpers.call_action("optout_dataset_notice", as_user(team["editor"]),
                            id=team["dataset"]["id"], deadline=TODAY.isoformat())
    with pytest.raises(tk.ValidationError):
        helpers.call_action("optout_dataset_notice", as_user(team["editor"]),
                            id=team["dataset"]["id"], deadline="来月")
    with pytest.raises(tk.ValidationError):        # release needs a notice first
        helpers.call_action("optout_dataset_release", as_user(team["editor"]),
                            id=team["dataset"]["id"])
    public = factories.Dataset(owner_org=team["org"]["id"], private=False)
    with pytest.raises(tk.ValidationError):
        helpers.call_action("optout_dataset_notice", as_user(team["editor"]), id=public["id"],
                            deadline=TOMORROW.isoformat())


def test_release_early_opens_the_dataset(team):
    helpers.call_action("optout_dataset_notice", as_user(team["editor"]),
                        id=team["dataset"]["id"], deadline=TOMORROW.isoformat())
    state = helpers.call_action("optout_dataset_release", as_user(team["editor"]),
                                id=team["dataset"]["id"])
    assert state["state"] == "open" and state["private"] is False
    assert helpers.call_action("package_show", {"user": ""},
                               id=team["dataset"]["id"])["private"] is False
    # Back to stock closes it again.
    state = helpers.call_action("optout_dataset_stock", as_user(team["editor"]),
                                id=team["dataset"]["id"])
    assert state["state"] == "stock" and state["private"] is True


def test_release_due_opens_ended_notices_unless_held(team, cli):
    held = factories.Dataset(owner_org=team["org"]["id"], private=True)
    later = factories.Dataset(owner_org=team["org"]["id"], private=True)
    for dataset in (team["dataset"], held, later):
        helpers.call_action("optout_dataset_stock", as_user(team["editor"]), id=dataset["id"])
    for dataset in (team["dataset"], held):
        helpers.call_action("optout_dataset_notice", as_user(team["editor"]),
                            id=dataset["id"], deadline=TOMORROW.isoformat())
    helpers.call_action("optout_dataset_notice", as_user(team["editor"]), id=later["id"],
                        deadline=(TODAY + dt.timedelta(days=10)).isoformat())
    assert helpers.call_action("optout_dataset_hold", as_user(team["editor"]),
                               id=held["id"])["held"] is True

    # Not due yet on the deadline itself.
    result = cli.invoke(ckan, ["optout", "release-due", "--today", TOMORROW.isoformat()])
    assert result.exit_code == 0, result.output
    assert "0 dataset(s) released" in result.output

    after = (TOMORROW + dt.timedelta(days=1)).isoformat()
    result = cli.invoke(ckan, ["optout", "release-due", "--today", after])
    assert result.exit_code == 0, result.output
    assert f"released: {team['dataset']['name']}" in result.output
    assert "1 dataset(s) released" in result.output
    model.Session.remove()
    assert state_of(team["dataset"]["id"])["state"] == "open"
    assert model.Package.get(team["dataset"]["id"]).private is False
    assert state_of(held["id"])["state"] == "notice"
    assert model.Package.get(held["id"]).private is True
    assert state_of(later["id"])["state"] == "notice"

    # Lifting the hold lets the next run release it.
    helpers.call_action("optout_dataset_hold", as_user(team["editor"]), id=held["id"],
                        held=False)
    result = helpers.call_action("optout_dataset_release_due", {"ignore_auth": True,
                                                                "user": ""}, today=after)
    assert result["released"] == [held["name"]]


def test_lifecycle_changes_are_audited(team):
    helpers.call_action("optout_dataset_notice", as_user(team["editor"]),
                        id=team["dataset"]["id"], deadline=TOMORROW.isoformat())
    helpers.call_action("optout_dataset_hold", as_user(team["editor"]), id=team["dataset"]["id"])
    helpers.call_action("optout_dataset_release", as_user(team["editor"]),
                        id=team["dataset"]["id"])
    sysadmin = factories.Sysadmin()
    log = helpers.call_action("optout_audit_list", {"user": sysadmin["name"]},
                              id=team["dataset"]["id"])
    actions = [e["action"] for e in reversed(log["results"])]
    assert actions == ["dataset_stock", "dataset_notice", "dataset_hold", "dataset_open"]
    assert {e["actor"] for e in log["results"]} == {team["editor"]["name"]}
    assert log["results"][0]["detail"]["before"] == "notice"
