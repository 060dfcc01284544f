"""Datasets go stock → notice → open; only editors move them; release-due opens what is due."""

import datetime as dt

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.optout import model as m

# With anonymize as on the portal (and as `ckan optout release-due` runs: CLI commands load the
# plugins of test.ini): release reads its scrub reports.
pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout anonymize"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index"),
]

TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)
DEADLINE = TODAY + dt.timedelta(days=14)  # the shortest notice by default


@pytest.fixture
def team():
    """An organization with an editor and an outsider, and a private dataset in stock."""
    org = factories.Organization()
    editor, outsider = factories.User(), factories.User()
    helpers.call_action(
        "member_create",
        {"ignore_auth": True},
        id=org["id"],
        object=editor["name"],
        object_type="user",
        capacity="editor",
    )
    dataset = factories.Dataset(
        owner_org=org["id"],
        private=True,
        title="理容所登録簿",
        notes="市内の理容所の一覧",
        tags=[{"name": "衛生"}],
    )
    resource = factories.Resource(
        package_id=dataset["id"], name="登録簿", url="http://example.com/closed/original.csv", format="CSV"
    )
    helpers.call_action("optout_dataset_stock", as_user(editor), id=dataset["id"], listed=True)
    return {"org": org, "editor": editor, "outsider": outsider, "dataset": dataset, "resource": resource}


def as_user(user):
    return {"user": user["name"], "ignore_auth": False}


def state_of(dataset_id):
    return helpers.call_action("optout_dataset_show", {"ignore_auth": True}, id=dataset_id)


def sysadmin():
    return {"user": factories.Sysadmin()["name"], "ignore_auth": False}


def time_passes(dataset_id, deadline):
    """The notice period has run: move its deadline back (the only way to age a notice in a test
    without faking the clock)."""
    model.Session.remove()
    row = model.Session.get(m.OptoutDataset, dataset_id)
    row.deadline = deadline
    model.Session.commit()


def message(exc_info):
    return str(exc_info.value.error_dict if hasattr(exc_info.value, "error_dict") else exc_info.value)


@pytest.mark.ckan_config("ckanext.optout.stock_by_default", True)
def test_new_datasets_start_in_stock_when_configured():
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], private=False)
    assert dataset["private"] is True
    assert state_of(dataset["id"])["state"] == "stock"
    assert model.Package.get(dataset["id"]).private is True


@pytest.mark.ckan_config("ckanext.optout.stock_by_default", True)
def test_packages_of_another_type_are_not_stocked_by_default():
    """A gifu 活用事例 (type ``use``) is public information about an app, not a register."""
    org = factories.Organization()
    use = factories.Dataset(owner_org=org["id"], private=False, type="use")
    assert use["private"] is False
    assert model.Package.get(use["id"]).private is False
    assert state_of(use["id"])["state"] is None


def test_without_the_option_new_datasets_stay_as_created():
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], private=False)
    assert dataset["private"] is False
    assert state_of(dataset["id"])["state"] is None


def test_a_dataset_in_stock_cannot_be_made_public_by_editing(team):
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action("package_patch", as_user(team["editor"]), id=team["dataset"]["id"], private=False)
    assert "private" in info.value.error_dict
    model.Session.rollback()
    assert model.Package.get(team["dataset"]["id"]).private is True
    # Other edits are fine.
    helpers.call_action(
        "package_patch", as_user(team["editor"]), id=team["dataset"]["id"], notes="更新した説明"
    )


def test_only_editors_move_a_dataset(team):
    for name in (
        "optout_dataset_stock",
        "optout_dataset_notice",
        "optout_dataset_hold",
        "optout_dataset_release",
    ):
        assert helpers.call_auth(
            name, {"user": team["editor"]["name"], "model": model}, id=team["dataset"]["id"]
        )
        for who in (team["outsider"]["name"], ""):
            with pytest.raises(tk.NotAuthorized):
                helpers.call_auth(name, {"user": who, "model": model}, id=team["dataset"]["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action(
            "optout_dataset_notice",
            as_user(team["outsider"]),
            id=team["dataset"]["id"],
            deadline=DEADLINE.isoformat(),
        )
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("optout_dataset_release_due", {"user": team["editor"]["name"], "model": model})


def test_notice_keeps_the_dataset_closed_and_publishes_metadata_only(team):
    helpers.call_action(
        "optout_resource_configure",
        as_user(team["editor"]),
        resource_id=team["resource"]["id"],
        subject_columns={"name": "氏名", "birth_date": "生年月日"},
    )
    state = helpers.call_action(
        "optout_dataset_notice",
        as_user(team["editor"]),
        id=team["dataset"]["name"],
        deadline=DEADLINE.isoformat(),
    )
    assert state["state"] == "notice" and state["deadline"] == DEADLINE.isoformat()
    assert state["private"] is True
    public = helpers.call_action("optout_notice_list", {"user": ""})
    assert public["count"] == 1
    [item] = public["results"]
    assert item["title"] == "理容所登録簿" and item["tags"] == ["衛生"]
    assert item["deadline"] == DEADLINE.isoformat()
    assert item["release_date"] == (DEADLINE + dt.timedelta(days=1)).isoformat()
    assert item["resources"][0]["subject_columns"] == [
        {"attribute": "birth_date", "label": "生年月日", "column": "生年月日"},
        {"attribute": "name", "label": "氏名", "column": "氏名"},
    ]
    assert "example.com" not in repr(public)  # no file URL of the closed original
    assert helpers.call_action("optout_stock_list", {"user": ""})["count"] == 0


def test_stock_list_shows_metadata_only(team):
    stock = helpers.call_action("optout_stock_list", {"user": ""})
    [item] = stock["results"]
    assert item["title"] == "理容所登録簿" and item["num_resources"] == 1
    assert item["organization"] == team["org"]["title"]
    assert "example.com" not in repr(stock) and "resources" not in item


def test_notice_must_last_at_least_the_minimum_period(team):
    """Residents get at least ``notice_min_days`` (14) to object: tomorrow is not enough."""
    for too_soon in (TODAY, TOMORROW, DEADLINE - dt.timedelta(days=1)):
        with pytest.raises(tk.ValidationError) as info:
            helpers.call_action(
                "optout_dataset_notice",
                as_user(team["editor"]),
                id=team["dataset"]["id"],
                deadline=too_soon.isoformat(),
            )
        text = message(info)
        assert "14" in text and "告知期間" in text and "notice period" in text, text
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action(
            "optout_dataset_notice", as_user(team["editor"]), id=team["dataset"]["id"], deadline="来月"
        )
    assert "YYYY-MM-DD" in message(info)
    assert state_of(team["dataset"]["id"])["state"] == "stock"
    state = helpers.call_action(
        "optout_dataset_notice",
        as_user(team["editor"]),
        id=team["dataset"]["id"],
        deadline=DEADLINE.isoformat(),
    )
    assert state["deadline"] == DEADLINE.isoformat()


@pytest.mark.ckan_config("ckanext.optout.notice_min_days", 30)
def test_the_minimum_notice_period_is_configurable(team):
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action(
            "optout_dataset_notice",
            as_user(team["editor"]),
            id=team["dataset"]["id"],
            deadline=DEADLINE.isoformat(),
        )
    assert "30" in message(info)
    helpers.call_action(
        "optout_dataset_notice",
        as_user(team["editor"]),
        id=team["dataset"]["id"],
        deadline=(TODAY + dt.timedelta(days=30)).isoformat(),
    )


def test_open_datasets_need_stock_first_and_release_needs_notice(team):
    with pytest.raises(tk.ValidationError):  # release needs a notice first
        helpers.call_action("optout_dataset_release", as_user(team["editor"]), id=team["dataset"]["id"])
    public = factories.Dataset(owner_org=team["org"]["id"], private=False)
    with pytest.raises(tk.ValidationError):
        helpers.call_action(
            "optout_dataset_notice", as_user(team["editor"]), id=public["id"], deadline=DEADLINE.isoformat()
        )


def test_no_release_before_the_deadline_has_passed(team):
    helpers.call_action(
        "optout_dataset_notice",
        as_user(team["editor"]),
        id=team["dataset"]["id"],
        deadline=DEADLINE.isoformat(),
    )
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action("optout_dataset_release", as_user(team["editor"]), id=team["dataset"]["id"])
    assert "期限" in message(info) and "deadline" in message(info)
    # The last day for objections is still a day for objections.
    time_passes(team["dataset"]["id"], TODAY)
    with pytest.raises(tk.ValidationError):
        helpers.call_action("optout_dataset_release", as_user(team["editor"]), id=team["dataset"]["id"])
    assert state_of(team["dataset"]["id"])["state"] == "notice"
    assert model.Package.get(team["dataset"]["id"]).private is True

    time_passes(team["dataset"]["id"], TODAY - dt.timedelta(days=1))
    state = helpers.call_action("optout_dataset_release", as_user(team["editor"]), id=team["dataset"]["id"])
    assert state["state"] == "open" and state["private"] is False
    assert helpers.call_action("package_show", {"user": ""}, id=team["dataset"]["id"])["private"] is False
    # Back to stock closes it again.
    state = helpers.call_action("optout_dataset_stock", as_user(team["editor"]), id=team["dataset"]["id"])
    assert state["state"] == "stock" and state["private"] is True


def test_a_held_dataset_is_not_released_by_anyone(team):
    helpers.call_action(
        "optout_dataset_notice",
        as_user(team["editor"]),
        id=team["dataset"]["id"],
        deadline=DEADLINE.isoformat(),
    )
    helpers.call_action("optout_dataset_hold", as_user(team["editor"]), id=team["dataset"]["id"])
    time_passes(team["dataset"]["id"], TODAY - dt.timedelta(days=1))
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action("optout_dataset_release", as_user(team["editor"]), id=team["dataset"]["id"])
    assert "保留" in message(info) and "held" in message(info)
    with pytest.raises(tk.ValidationError):
        helpers.call_action(
            "optout_dataset_release", sysadmin(), id=team["dataset"]["id"], early=True, reason="議会の要請"
        )
    assert state_of(team["dataset"]["id"])["state"] == "notice"
    assert model.Package.get(team["dataset"]["id"]).private is True


def test_early_release_is_for_sysadmins_with_a_reason_and_is_audited(team):
    helpers.call_action(
        "optout_dataset_notice",
        as_user(team["editor"]),
        id=team["dataset"]["id"],
        deadline=DEADLINE.isoformat(),
    )
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action(
            "optout_dataset_release",
            as_user(team["editor"]),
            id=team["dataset"]["id"],
            early=True,
            reason="急ぎ",
        )
    admin = sysadmin()
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action("optout_dataset_release", admin, id=team["dataset"]["id"], early=True)
    assert "reason" in info.value.error_dict
    with pytest.raises(tk.ValidationError):  # a sysadmin too needs to ask for it explicitly
        helpers.call_action("optout_dataset_release", admin, id=team["dataset"]["id"])
    assert state_of(team["dataset"]["id"])["state"] == "notice"

    state = helpers.call_action(
        "optout_dataset_release",
        admin,
        id=team["dataset"]["id"],
        early=True,
        reason="本人全員の同意を書面で確認済み",
    )
    assert state["state"] == "open" and state["private"] is False
    log = helpers.call_action("optout_audit_list", admin, id=team["dataset"]["id"])
    [entry] = [e for e in log["results"] if e["action"] == "dataset_open"]
    assert entry["actor"] == admin["user"]
    assert entry["detail"]["early"] is True
    assert entry["detail"]["reason"] == "本人全員の同意を書面で確認済み"
    assert entry["detail"]["deadline"] == DEADLINE.isoformat()


def test_release_due_opens_ended_notices_unless_held(team, cli):
    held = factories.Dataset(owner_org=team["org"]["id"], private=True)
    later = factories.Dataset(owner_org=team["org"]["id"], private=True)
    for dataset in (team["dataset"], held, later):
        helpers.call_action("optout_dataset_stock", as_user(team["editor"]), id=dataset["id"])
    for dataset in (team["dataset"], held, later):
        helpers.call_action(
            "optout_dataset_notice", as_user(team["editor"]), id=dataset["id"], deadline=DEADLINE.isoformat()
        )
    assert helpers.call_action("optout_dataset_hold", as_user(team["editor"]), id=held["id"])["held"] is True
    for dataset in (team["dataset"], held):
        time_passes(dataset["id"], TODAY)

    # Not due yet on the deadline itself.
    result = cli.invoke(ckan, ["optout", "release-due"])
    assert result.exit_code == 0, result.output
    assert "0 dataset(s) released" in result.output

    for dataset in (team["dataset"], held):
        time_passes(dataset["id"], TODAY - dt.timedelta(days=1))
    result = cli.invoke(ckan, ["optout", "release-due"])
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
    helpers.call_action("optout_dataset_hold", as_user(team["editor"]), id=held["id"], held=False)
    result = helpers.call_action("optout_dataset_release_due", {"ignore_auth": True, "user": ""})
    assert result["released"] == [held["name"]]


def test_release_due_judges_by_a_valid_date_not_after_today(team, cli):
    helpers.call_action(
        "optout_dataset_notice",
        as_user(team["editor"]),
        id=team["dataset"]["id"],
        deadline=DEADLINE.isoformat(),
    )
    staff = sysadmin()
    for bad in ("来月", "2026-13-45", "", 20260101):
        with pytest.raises(tk.ValidationError) as info:
            helpers.call_action("optout_dataset_release_due", staff, today=bad)
        assert "today" in info.value.error_dict
    # Judging as of a later day would release before residents' time is up.
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action(
            "optout_dataset_release_due", staff, today=(DEADLINE + dt.timedelta(days=1)).isoformat()
        )
    assert "today" in info.value.error_dict
    assert state_of(team["dataset"]["id"])["state"] == "notice"
    # The API answers 409 (a validation error), not 500.
    result = cli.invoke(ckan, ["optout", "release-due", "--today", "来月"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output and "Traceback" not in result.output
    # An earlier day is fine (re-running a missed day releases no more than that day would).
    done = helpers.call_action(
        "optout_dataset_release_due", staff, today=(TODAY - dt.timedelta(days=3)).isoformat()
    )
    assert done["count"] == 0


def test_lifecycle_changes_are_audited(team):
    helpers.call_action(
        "optout_dataset_notice",
        as_user(team["editor"]),
        id=team["dataset"]["id"],
        deadline=DEADLINE.isoformat(),
    )
    helpers.call_action("optout_dataset_hold", as_user(team["editor"]), id=team["dataset"]["id"])
    helpers.call_action("optout_dataset_hold", as_user(team["editor"]), id=team["dataset"]["id"], held=False)
    time_passes(team["dataset"]["id"], TODAY - dt.timedelta(days=1))
    helpers.call_action("optout_dataset_release", as_user(team["editor"]), id=team["dataset"]["id"])
    sysadmin_ = factories.Sysadmin()
    log = helpers.call_action("optout_audit_list", {"user": sysadmin_["name"]}, id=team["dataset"]["id"])
    actions = [e["action"] for e in reversed(log["results"])]
    assert actions == ["dataset_stock", "dataset_notice", "dataset_hold", "dataset_unhold", "dataset_open"]
    assert {e["actor"] for e in log["results"]} == {team["editor"]["name"]}
    assert log["results"][0]["detail"]["before"] == "notice"
    assert log["results"][0]["detail"]["early"] is False


# ---------------------------------------------------------------------------------------------
# What the public stock list shows: only what staff chose to list


@pytest.mark.ckan_config("ckanext.optout.stock_by_default", True)
def test_datasets_stocked_automatically_are_not_listed_until_staff_choose(team):
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], title="職員の内部資料", notes="まだ誰にも見せない説明")
    assert state_of(dataset["id"])["state"] == "stock"
    assert state_of(dataset["id"])["listed"] is False
    stock = helpers.call_action("optout_stock_list", {"user": ""})
    assert [s["name"] for s in stock["results"]] == [team["dataset"]["name"]]
    assert "職員の内部資料" not in repr(stock) and "まだ誰にも見せない" not in repr(stock)

    state = helpers.call_action("optout_dataset_stock", sysadmin(), id=dataset["id"], listed=True)
    assert state["listed"] is True and state["state"] == "stock"
    names = {s["name"] for s in helpers.call_action("optout_stock_list", {"user": ""})["results"]}
    assert names == {team["dataset"]["name"], dataset["name"]}

    helpers.call_action("optout_dataset_stock", sysadmin(), id=dataset["id"], listed=False)
    names = {s["name"] for s in helpers.call_action("optout_stock_list", {"user": ""})["results"]}
    assert names == {team["dataset"]["name"]}


def test_stocking_without_saying_lists_nothing_new_and_keeps_a_choice(team):
    other = factories.Dataset(owner_org=team["org"]["id"], private=True, title="未掲載の名簿")
    state = helpers.call_action("optout_dataset_stock", as_user(team["editor"]), id=other["id"])
    assert state["listed"] is False
    # Staff may list it; a later stock action that does not say keeps the choice.
    helpers.call_action("optout_dataset_stock", as_user(team["editor"]), id=other["id"], listed="true")
    state = helpers.call_action("optout_dataset_stock", as_user(team["editor"]), id=other["id"])
    assert state["listed"] is True
    staff_view = helpers.call_action("optout_stock_list", sysadmin(), include_unlisted=True)
    assert {s["name"] for s in staff_view["results"]} == {team["dataset"]["name"], other["name"]}
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("optout_stock_list", {"user": "", "ignore_auth": False}, include_unlisted=True)
