"""The lifecycle table through the action API, as editors and the daily run use it: each illegal
transition is a 409 with the table's message in Japanese and English and changes nothing; a bad
date is a 409 (not a 500) with a Japanese and English message."""

import datetime as dt
import re

import ckan.model as model
import pytest
from ckan.tests import factories, helpers

from ckanext.optout import model as optout_model

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout anonymize"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index"),
]

DEADLINE = dt.date.today() + dt.timedelta(days=14)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def ja_en(message):
    japanese, _, english = message.rpartition(" (")
    return bool(JAPANESE.search(japanese) and message.endswith(")") and re.match(r"[a-z]+ [a-z]+", english))


@pytest.fixture
def editor():
    editor = factories.UserWithToken()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    return {**editor, "org": org, "headers": {"Authorization": editor["token"]}}


def call(app, headers, action, **data):
    return app.post(f"/api/3/action/{action}", json=data, headers=headers)


def dataset_in(app, editor, state):
    """A dataset of the editor's organization in ``state``, moved there through the API;
    ``outside-private`` and ``outside-public``: not in the lifecycle."""
    dataset = factories.Dataset(owner_org=editor["org"]["id"], private=state != "outside-public")
    if state.startswith("outside"):
        return dataset
    steps = [("optout_dataset_stock", {})]
    if state in ("notice", "open"):
        steps.append(("optout_dataset_notice", {"deadline": DEADLINE.isoformat()}))
    for action, data in steps:
        assert call(app, editor["headers"], action, id=dataset["id"], **data).status_code == 200
    if state == "open":
        model.Session.remove()  # the notice has run: its deadline moved back
        row = model.Session.get(optout_model.OptoutDataset, dataset["id"])
        row.deadline = dt.date.today() - dt.timedelta(days=1)
        model.Session.commit()
        assert call(app, editor["headers"], "optout_dataset_release", id=dataset["id"]).status_code == 200
    return dataset


ILLEGAL = [
    ("optout_dataset_notice", "open", {"deadline": DEADLINE.isoformat()}),
    ("optout_dataset_notice", "outside-public", {"deadline": DEADLINE.isoformat()}),
    ("optout_dataset_hold", "stock", {"held": True}),
    ("optout_dataset_hold", "open", {"held": True}),
    ("optout_dataset_hold", "outside-private", {"held": True}),
    ("optout_dataset_hold", "stock", {"held": False}),
    ("optout_dataset_hold", "open", {"held": False}),
    ("optout_dataset_release", "stock", {}),
    ("optout_dataset_release", "open", {}),
    ("optout_dataset_release", "outside-private", {}),
]


@pytest.mark.parametrize("action,state,data", ILLEGAL, ids=[f"{a[15:]}-{s}-{d}" for a, s, d in ILLEGAL])
def test_each_illegal_transition_is_a_409_in_japanese_and_english_and_changes_nothing(
    app, editor, action, state, data
):
    dataset = dataset_in(app, editor, state)
    before = helpers.call_action("optout_dataset_show", id=dataset["id"])
    res = call(app, editor["headers"], action, id=dataset["id"], **data)
    assert res.status_code == 409, res.json
    [message] = res.json["error"]["state"]
    assert ja_en(message), message
    after = helpers.call_action("optout_dataset_show", id=dataset["id"])
    assert after == before


def test_an_early_release_by_an_editor_is_a_403_in_japanese_and_english(app, editor):
    dataset = dataset_in(app, editor, "notice")
    res = call(app, editor["headers"], "optout_dataset_release", id=dataset["id"], early=True, reason="急ぎ")
    assert res.status_code == 403
    message = res.json["error"]["message"]
    assert "システム管理者のみ" in message and "only a sysadmin" in message
    assert helpers.call_action("optout_dataset_show", id=dataset["id"])["state"] == "notice"


@pytest.mark.parametrize("state", ["stock", "notice"])
def test_editing_a_closed_dataset_public_is_a_409_pointing_to_release(app, editor, state):
    dataset = dataset_in(app, editor, state)
    res = call(app, editor["headers"], "package_patch", id=dataset["id"], private=False)
    assert res.status_code == 409
    [message] = res.json["error"]["private"]
    assert ja_en(message) and "releasing" in message
    assert model.Package.get(dataset["id"]).private is True


@pytest.mark.parametrize("today", ["来月", "2026-02-30", "2026/03/01", "", 20260301, ["2026-03-01"]])
def test_a_bad_today_is_a_409_validation_error_not_a_500(app, today):
    sysadmin = factories.SysadminWithToken()
    res = call(app, {"Authorization": sysadmin["token"]}, "optout_dataset_release_due", today=today)
    assert res.status_code == 409, res.get_data(as_text=True)
    assert res.json["error"]["__type"] == "Validation Error"
    [message] = res.json["error"]["today"]
    assert "YYYY-MM-DD" in message and ja_en(message), message


def test_a_today_after_the_current_date_is_a_409_too(app):
    sysadmin = factories.SysadminWithToken()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    res = call(app, {"Authorization": sysadmin["token"]}, "optout_dataset_release_due", today=tomorrow)
    assert res.status_code == 409
    [message] = res.json["error"]["today"]
    assert "今日より後" in message and "after today" in message


@pytest.mark.parametrize("deadline", ["来月", "2026-13-01", 20260301])
def test_a_bad_deadline_is_a_409_validation_error(app, editor, deadline):
    dataset = dataset_in(app, editor, "stock")
    res = call(app, editor["headers"], "optout_dataset_notice", id=dataset["id"], deadline=deadline)
    assert res.status_code == 409
    [message] = res.json["error"]["deadline"]
    assert "YYYY-MM-DD" in message and ja_en(message), message
