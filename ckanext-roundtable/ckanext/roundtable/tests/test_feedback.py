"""Typed feedback on a dataset (要望, 質問, 不具合, 感謝): anyone gives it on a dataset they can
see, it waits for the check and moderation like any public text, staff reply, the dataset page
shows it, and the form is rate-limited."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "roundtable"),
    pytest.mark.usefixtures("with_plugins", "roundtable_db", "clean_redis"),
]
ANON = {"user": "", "ignore_auth": False}


def body(res):
    return res.get_data(as_text=True)


def test_feedback_is_held_then_approved_and_answered_by_staff(app, staff):
    dataset = factories.Dataset(owner_org=staff["org"]["id"])
    with pytest.raises(tk.ValidationError, match="kind"):
        call_action(
            "roundtable_comment_create", context=dict(ANON), package_id=dataset["name"], body="列の意味は？"
        )
    given = call_action(
        "roundtable_comment_create",
        context=dict(ANON),
        package_id=dataset["name"],
        kind="question",
        body="列の意味は？",
    )
    assert given["visibility"] == "held"  # no checker loaded: held for staff (fail closed)
    assert (
        call_action("roundtable_comment_list", context=dict(ANON), package_id=dataset["id"])["results"] == []
    )
    queue = call_action("roundtable_moderation_list", context=dict(staff["context"]))["comments"]
    assert [c["kind_label"] for c in queue] == ["質問"]
    call_action(
        "roundtable_moderate",
        context=dict(staff["context"]),
        type="comment",
        id=given["id"],
        decision="approve",
    )
    with pytest.raises(tk.NotAuthorized):
        call_action("roundtable_comment_create", context=dict(ANON), parent_id=given["id"], body="返信")
    reply = call_action(
        "roundtable_comment_create",
        context=dict(staff["context"]),
        parent_id=given["id"],
        body="仕様書を添付しました。",
    )
    assert reply["visibility"] == "public" and reply["staff"] is True
    listed = call_action("roundtable_comment_list", context=dict(ANON), package_id=dataset["name"])["results"]
    assert [(c["kind_label"], c["body"], [r["body"] for r in c["replies"]]) for c in listed] == [
        ("質問", "列の意味は？", ["仕様書を添付しました。"])
    ]
    assert "user" not in listed[0]
    page = body(app.get(f"/dataset/{dataset['name']}"))
    assert "このデータへのご意見" in page and "列の意味は？" in page and "仕様書を添付しました。" in page


def test_no_feedback_on_a_dataset_the_caller_cannot_see(staff):
    private = factories.Dataset(owner_org=staff["org"]["id"], private=True)
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "roundtable_comment_create",
            context=dict(ANON),
            package_id=private["id"],
            kind="wish",
            body="公開して",
        )
    with pytest.raises(tk.NotAuthorized):
        call_action("roundtable_comment_list", context=dict(ANON), package_id=private["id"])


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
@pytest.mark.ckan_config("ckanext.roundtable.rate_limit.submit", 2)
def test_the_feedback_form_on_the_dataset_page_is_rate_limited(app):
    dataset = factories.Dataset(owner_org=factories.Organization()["id"])
    url = f"/roundtable/dataset/{dataset['name']}/feedback"
    client = {"REMOTE_ADDR": "198.51.100.20"}
    for n in range(3):
        app.post(url, data={"kind": "thanks", "body": f"ありがとう {n}"}, environ_base=client)
    page = body(app.get(f"/dataset/{dataset['name']}"))
    assert "ありがとう 0" in page and "ありがとう 1" in page and "ありがとう 2" not in page
    assert "感謝" in page
    listed = call_action("roundtable_comment_list", context=dict(ANON), package_id=dataset["id"])
    assert listed["count"] == 2
