"""Data requests through the action API and the web pages: filing without an account, the
personal-data hold (fail closed without the checker), moderation, Japanese search, one support
per person, rate limits that fail closed, staff answers, and a linked dataset shown as
公開準備中 until it is public."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.roundtable import model

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "roundtable"),
    pytest.mark.usefixtures("with_plugins", "roundtable_db", "clean_redis"),
]

REQUEST = {
    "title": "バス停ごとの時刻表",
    "description": "通学経路の案内アプリを作りたいので、ＧＴＦＳ形式の時刻表がほしいです。",
    "audience": "高校生",
    "contact": "requester@example.org",
}
ANON = {"user": "", "ignore_auth": False}


def as_user(user):
    return {"user": user["name"], "ignore_auth": False}


def file(context=None, **data):
    return call_action("roundtable_request_create", context=dict(context or ANON), **{**REQUEST, **data})


def public_search(**data):
    return call_action("roundtable_request_search", context=dict(ANON), **data)


def body(res):
    return res.get_data(as_text=True)


def test_without_the_checker_a_request_is_held_for_staff_by_default(staff):
    created = file()
    assert created["visibility"] == "held" and "担当職員が確認" in created["notice"]
    assert "contact" not in created
    assert public_search()["count"] == 0
    with pytest.raises(Exception, match="not found"):
        call_action("roundtable_request_show", context=dict(ANON), id=created["id"])
    queue = call_action("roundtable_moderation_list", context=dict(staff["context"]))
    assert [r["id"] for r in queue["requests"]] == [created["id"]]
    assert queue["requests"][0]["hold_reason"] == "check_unavailable"
    call_action(
        "roundtable_moderate",
        context=dict(staff["context"]),
        type="request",
        id=created["id"],
        decision="approve",
    )
    assert [r["title"] for r in public_search()["results"]] == [REQUEST["title"]]


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
def test_the_contact_is_never_in_public_output_and_staff_see_it(app, staff):
    created = file()
    assert created["visibility"] == "public"
    shown = call_action("roundtable_request_show", context=dict(ANON), id=created["id"])
    assert "contact" not in shown and "user" not in shown and "visibility" not in shown
    api = app.get(f"/api/3/action/roundtable_request_show?id={created['id']}")
    assert REQUEST["contact"] not in body(api)
    page = app.get(f"/roundtable/request/{created['id']}")
    assert page.status_code == 200 and REQUEST["title"] in body(page)
    assert REQUEST["contact"] not in body(page) and "requester@" not in body(app.get("/roundtable/"))
    assert (
        call_action("roundtable_request_show", context=dict(staff["context"]), id=created["id"])["contact"]
        == (REQUEST["contact"])
    )


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
@pytest.mark.ckan_config("ckanext.roundtable.moderation", True)
def test_with_moderation_on_nothing_is_shown_before_staff_approve(staff):
    created = file()
    assert created["visibility"] == "held" and "担当職員が確認した後に公開" in created["notice"]
    assert public_search()["count"] == 0
    held = call_action("roundtable_moderation_list", context=dict(staff["context"]))["requests"]
    assert held[0]["hold_reason"] == "moderation"
    call_action(
        "roundtable_moderate",
        context=dict(staff["context"]),
        type="request",
        id=created["id"],
        decision="hide",
    )
    assert public_search()["count"] == 0
    assert call_action("roundtable_moderation_list", context=dict(staff["context"]))["requests"] == []


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
def test_japanese_search_folds_width_kana_and_case():
    file()
    file(title="公園の公衆トイレ", description="ＡＥＤの場所も知りたい", audience="")
    titles = lambda q: [r["title"] for r in public_search(q=q)["results"]]  # noqa: E731
    assert titles("ﾊﾞｽ停") == ["バス停ごとの時刻表"]  # half-width kana
    assert titles("ばすてい") == []  # a reading is not the word (no false friends)
    assert titles("ばす停　時刻") == ["バス停ごとの時刻表"]  # hiragana, ideographic space, two terms
    assert titles("gtfs") == ["バス停ごとの時刻表"]  # full-width ＧＴＦＳ, any case
    assert titles("aed") == ["公園の公衆トイレ"]
    assert titles("100%") == []  # LIKE wildcards are literal
    assert len(titles("")) == 2


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
def test_one_support_per_person_over_the_web(app):
    created = file()
    url = "/api/3/action/roundtable_request_support"
    phone = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": "Phone/1"}
    first = app.post(url, json={"id": created["id"]}, environ_base=phone).json["result"]
    again = app.post(url, json={"id": created["id"]}, environ_base=phone).json["result"]
    assert (first["added"], again["added"], again["support_count"]) == (True, False, 1)
    other = app.post(url, json={"id": created["id"]}, environ_base={**phone, "HTTP_USER_AGENT": "Laptop/2"})
    assert other.json["result"]["support_count"] == 2
    user = factories.User()
    for _ in range(2):
        result = call_action("roundtable_request_support", context=as_user(user), id=created["id"])
    assert result["support_count"] == 3
    assert model.Session.query(model.Support).filter_by(supporter=f"user:{user['id']}").count() == 1
    # the supporter key is a keyed hash: no address is stored
    assert all("198.51.100.7" not in s.supporter for s in model.Session.query(model.Support))


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
@pytest.mark.ckan_config("ckanext.roundtable.rate_limit.submit", 2)
def test_filing_is_rate_limited_per_client(app):
    url = "/api/3/action/roundtable_request_create"
    client = {"REMOTE_ADDR": "203.0.113.5"}
    codes = [app.post(url, json=REQUEST, environ_base=client).status_code for _ in range(3)]
    assert codes == [200, 200, 409]
    refused = app.post(url, json=REQUEST, environ_base=client)
    assert "しばらくしてから" in refused.json["error"]["message"][0]
    assert app.post(url, json=REQUEST, environ_base={"REMOTE_ADDR": "203.0.113.6"}).status_code == 200
    assert model.Session.query(model.Request).count() == 3


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
@pytest.mark.ckan_config("ckanext.roundtable.rate_limit.redis_url", "redis://127.0.0.1:1/0")
def test_without_redis_public_submissions_are_refused_and_nothing_is_stored(app, staff):
    res = app.post(
        "/api/3/action/roundtable_request_create", json=REQUEST, environ_base={"REMOTE_ADDR": "192.0.2.1"}
    )
    message = res.json["error"]["message"][0]
    assert res.status_code == 409 and "一時停止" in message and "temporarily unavailable" in message
    form = app.post("/roundtable/new", data=REQUEST, environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert form.status_code == 400 and "一時停止" in body(form)
    assert model.Session.query(model.Request).count() == 0
    # staff are not counted: they can still act
    assert file(staff["context"])["visibility"] == "public"


def test_only_staff_answer_and_declining_needs_a_reason(staff):
    created = file()
    for context in (ANON, as_user(factories.User())):
        with pytest.raises(tk.NotAuthorized):
            call_action(
                "roundtable_request_update_status",
                context=dict(context),
                id=created["id"],
                status="considering",
            )
    with pytest.raises(Exception, match="reason"):
        call_action(
            "roundtable_request_update_status",
            context=dict(staff["context"]),
            id=created["id"],
            status="declined",
        )
    answered = call_action(
        "roundtable_request_update_status",
        context=dict(staff["context"]),
        id=created["id"],
        status="declined",
        reason="個人情報を含むため公開できません。",
        organization=staff["org"]["name"],
    )
    assert (
        answered["status_label"] == "公開できない"
        and answered["organization"]["name"] == staff["org"]["name"]
    )
    assert [h["status"] for h in answered["history"]] == ["received", "declined"]


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
def test_a_linked_private_dataset_is_only_being_prepared_until_it_opens(app, staff):
    created = file()
    dataset = factories.Dataset(owner_org=staff["org"]["id"], private=True, title="非公開の時刻表")
    with pytest.raises(tk.NotAuthorized, match="staff only"):
        call_action(
            "roundtable_request_link_dataset",
            context=as_user(factories.User()),
            id=created["id"],
            package_id=dataset["name"],
        )
    call_action(
        "roundtable_request_link_dataset",
        context=dict(staff["context"]),
        id=created["id"],
        package_id=dataset["name"],
    )
    call_action(
        "roundtable_request_update_status", context=dict(staff["context"]), id=created["id"], status="planned"
    )
    public = call_action("roundtable_request_show", context=dict(ANON), id=created["id"])
    assert public["dataset"] == {"public": False, "label": "公開準備中"}
    page = body(app.get(f"/roundtable/request/{created['id']}"))
    assert "公開準備中" in page and "非公開の時刻表" not in page and dataset["name"] not in page
    assert (
        call_action("roundtable_request_show", context=dict(staff["context"]), id=created["id"])["dataset"][
            "title"
        ]
        == "非公開の時刻表"
    )
    # the dataset opens (whoever opens it): the request is answered by itself
    call_action("package_patch", context=dict(staff["context"]), id=dataset["id"], private=False)
    opened = call_action("roundtable_request_show", context=dict(ANON), id=created["id"])
    assert opened["status"] == "published" and opened["dataset"]["title"] == "非公開の時刻表"
    assert [h["status"] for h in opened["history"]] == ["received", "planned", "published"]
    linked = call_action("roundtable_request_search", context=dict(ANON), package_id=dataset["name"])
    assert [r["id"] for r in linked["results"]] == [created["id"]]


@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
def test_filing_and_commenting_through_the_pages_without_an_account(app):
    form = app.get("/roundtable/new")
    assert form.status_code == 200 and "データをリクエストする" in body(form) and 'lang="ja"' in body(form)
    english = body(app.get("/en/roundtable/new"))
    assert "Make a data request" in english and "データをリクエストする" not in english
    missing = app.post("/roundtable/new", data={"title": "", "description": ""})
    assert missing.status_code == 400 and "入力してください" in body(missing)
    done = app.post("/roundtable/new", data=REQUEST)
    assert done.status_code == 200 and "公開しました" in body(done)
    created = model.Session.query(model.Request).one()
    assert created.contact == REQUEST["contact"]
    app.post(f"/roundtable/request/{created.id}/comment", data={"body": "GTFS-JP だと助かります。"})
    page = body(app.get(f"/roundtable/request/{created.id}"))
    assert "GTFS-JP だと助かります。" in page and "応援" in page
    listing = body(app.get("/roundtable/?q=ﾊﾞｽ停"))
    assert REQUEST["title"] in listing


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
@pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish")
def test_the_public_forms_need_the_csrf_token(app):
    import re

    refused = app.post("/roundtable/new", data=REQUEST)
    assert refused.status_code in (400, 403)
    assert model.Session.query(model.Request).count() == 0
    page = body(app.get("/roundtable/new"))
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    accepted = app.post("/roundtable/new", data={**REQUEST, "_csrf_token": token})
    assert accepted.status_code == 200 and "公開しました" in body(accepted)
    assert model.Session.query(model.Request).count() == 1
    created = model.Session.query(model.Request).one()
    assert app.post(f"/roundtable/request/{created.id}/support").status_code in (400, 403)
    assert model.Session.query(model.Support).count() == 0
    app.post(f"/roundtable/request/{created.id}/support", data={"_csrf_token": token})
    assert model.Session.query(model.Support).count() == 1
