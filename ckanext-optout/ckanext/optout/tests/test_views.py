"""Public pages in Japanese: the form files without an oracle, is CSRF-protected and rate-limited;
status and withdrawal with reference + token; notice pages without records; staff pages."""

import datetime as dt
import re

import ckan.model as model
import pytest
from ckan.tests import factories, helpers

from ckanext.optout import model as m

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout"),
    pytest.mark.usefixtures("with_plugins", "optout_db", "clean_redis"),
]

FORM = {
    "name": "岐阜　花子",
    "name_kana": "ぎふ はなこ",
    "birth_date": "平成2年7月7日",
    "address": "岐阜市今沢町18",
    "scope": "all",
    "contact": "",
}


def body(res):
    return res.get_data(as_text=True)


def codes(html):
    reference = re.search(r'id="optout-reference">([^<]+)<', html).group(1)
    token = re.search(r'id="optout-token">([^<]+)<', html).group(1)
    return reference, token


@pytest.mark.parametrize(
    "url,heading",
    [
        ("/optout/", "オプトアウト制度のご案内"),
        ("/optout/request", "オプトアウトの申出"),
        ("/optout/status", "申出状況の確認・解除"),
        ("/optout/notices", "公開予定のデータ"),
    ],
)
def test_public_pages_render_in_japanese_without_an_account(app, url, heading):
    res = app.get(url)
    assert res.status_code == 200
    html = body(res)
    assert heading in html and 'lang="ja"' in html


def test_filing_through_the_form_shows_reference_and_token_but_echoes_nothing(app):
    res = app.post("/optout/request", data=FORM)
    assert res.status_code == 200
    html = body(res)
    reference, token = codes(html)
    assert m.OptoutRequest.by_reference(reference).status == "pending"
    for raw in ("花子", "はなこ", "平成2年", "今沢町"):
        assert raw not in html
    shown = helpers.call_action("optout_request_show", {"user": ""}, reference=reference, token=token)
    assert shown["active"] is True


def test_a_public_dataset_the_resident_came_from_is_offered_as_scope(app):
    org = factories.Organization()
    public = factories.Dataset(owner_org=org["id"], title="市民表彰 受賞者一覧")
    closed = factories.Dataset(owner_org=org["id"], private=True, title="非公開の名簿")
    html = body(app.get(f"/optout/request?scope={public['name']}"))
    assert re.search(
        rf'<option value="{public["name"]}" selected>市民表彰 受賞者一覧（公開中）</option>', html
    )
    assert "すべてのデータ（おすすめ）" in html
    # A private dataset is not named to a visitor who cannot see it; "all" stays selected.
    html = body(app.get(f"/optout/request?scope={closed['name']}"))
    assert "非公開の名簿" not in html and f'<option value="{closed["name"]}"' not in html
    assert re.search(r'<option value="all"\s*selected>', html)

    res = app.post("/optout/request", data={**FORM, "scope": public["name"]})
    reference, _ = codes(body(res))
    assert m.OptoutRequest.by_reference(reference).package_id == public["id"]


def test_the_answer_is_the_same_whether_or_not_the_person_is_in_any_dataset(app):
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], private=True)
    resource = factories.Resource(package_id=dataset["id"])
    helpers.call_action(
        "optout_resource_configure",
        {"ignore_auth": True, "user": ""},
        resource_id=resource["id"],
        subject_columns={"name": "氏名", "birth_date": "生年月日"},
    )
    known = body(app.post("/optout/request", data=FORM))
    unknown = body(
        app.post("/optout/request", data={**FORM, "name": "架空 太郎", "name_kana": "", "address": ""})
    )

    def strip(html):
        reference, token = codes(html)
        html = html.replace(reference, "REF").replace(token, "TOKEN")
        # The page's CSRF token is signed with a timestamp: the only other difference.
        return re.sub(r'"[\w-]{20,}\.[\w-]{5,}\.[\w-]{10,}"', '"CSRF"', html)

    assert strip(known) == strip(unknown)


def test_invalid_input_is_explained_in_japanese_and_english(app):
    res = app.post("/optout/request", data={**FORM, "birth_date": "不明"})
    assert res.status_code == 400
    html = body(res)
    assert "生年月日を読み取れません" in html and "could not be read" in html
    assert model.Session.query(m.OptoutRequest).count() == 0


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_the_forms_are_csrf_protected(app):
    refused = app.post("/optout/request", data=FORM)
    assert refused.status_code in (400, 403)
    assert model.Session.query(m.OptoutRequest).count() == 0
    page = body(app.get("/optout/request"))
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    accepted = app.post("/optout/request", data={**FORM, "_csrf_token": token})
    assert accepted.status_code == 200
    assert model.Session.query(m.OptoutRequest).count() == 1
    assert app.post("/optout/status", data={"reference": "x", "token": "y"}).status_code in (400, 403)


@pytest.mark.ckan_config("ckanext.optout.rate_limit.request", 2)
def test_the_public_form_is_rate_limited(app):
    for _ in range(2):
        assert app.post("/optout/request", data=FORM).status_code == 200
    res = app.post("/optout/request", data=FORM)
    assert res.status_code == 429
    assert "しばらくしてから" in body(res)
    assert model.Session.query(m.OptoutRequest).count() == 2
    # The API is limited the same way for anonymous callers.
    res = app.post(
        "/api/3/action/optout_request_create",
        json={"subject": {"name": "岐阜太郎", "birth_date": "1980-03-01"}},
    )
    assert res.status_code == 409
    assert model.Session.query(m.OptoutRequest).count() == 2


@pytest.mark.ckan_config("ckanext.optout.rate_limit.check", 3)
def test_status_checks_are_rate_limited_against_guessing(app):
    for _ in range(3):
        assert (
            app.post("/optout/status", data={"reference": "OPT-0000-0000", "token": "AAAA"}).status_code
            == 404
        )
    assert app.post("/optout/status", data={"reference": "OPT-0000-0000", "token": "AAAA"}).status_code == 429


def test_status_and_withdrawal_with_reference_and_token(app):
    reference, token = codes(body(app.post("/optout/request", data=FORM)))
    res = app.post("/optout/status", data={"reference": reference, "token": token, "do": "show"})
    assert res.status_code == 200 and "受付済（有効）" in body(res)
    assert token not in body(res)
    # Withdrawal needs the confirmation box.
    res = app.post("/optout/status", data={"reference": reference, "token": token, "do": "withdraw"})
    assert "確認欄にチェック" in body(res)
    assert m.OptoutRequest.by_reference(reference).status == "pending"
    res = app.post(
        "/optout/status", data={"reference": reference, "token": token, "do": "withdraw", "confirm": "yes"}
    )
    assert res.status_code == 200 and "解除済" in body(res)
    model.Session.remove()
    assert m.OptoutRequest.by_reference(reference).status == "withdrawn"
    wrong = app.post("/optout/status", data={"reference": reference, "token": "AAAA-BBBB", "do": "show"})
    unknown = app.post("/optout/status", data={"reference": "OPT-ZZZZ-ZZZZ", "token": token, "do": "show"})
    assert wrong.status_code == unknown.status_code == 404
    assert "受付番号または確認コードが正しくありません" in body(wrong)


def test_notice_page_shows_what_will_be_opened_without_records(app):
    org = factories.Organization(title="岐阜市 保健所")
    editor = factories.UserWithToken()
    helpers.call_action(
        "member_create",
        {"ignore_auth": True},
        id=org["id"],
        object=editor["name"],
        object_type="user",
        capacity="editor",
    )
    dataset = factories.Dataset(owner_org=org["id"], private=True, title="理容所登録簿", notes="市内の理容所")
    factories.Resource(package_id=dataset["id"], name="登録簿", url="http://example.com/closed/original.csv")
    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    headers = {"Authorization": editor["token"]}
    res = app.post(
        f"/optout/dataset/{dataset['name']}", headers=headers, data={"op": "notice", "deadline": deadline}
    )
    assert res.status_code == 200  # followed the redirect back to the management page
    notices = body(app.get("/optout/notices"))
    assert "理容所登録簿" in notices and deadline in notices
    page = body(app.get(f"/optout/notices/{dataset['name']}"))
    assert "理容所登録簿" in page and "登録簿" in page and deadline in page
    assert "example.com" not in page
    assert f"scope={dataset['name']}" in page
    # The dataset itself stays closed.
    assert app.get(f"/dataset/{dataset['name']}").status_code == 404

    # What is held in stock is listed by title and a shortened description only.
    stocked = factories.Dataset(
        owner_org=org["id"],
        private=True,
        title="ボランティア名簿",
        notes="災害ボランティアの登録者です。" * 30,
    )
    unlisted = factories.Dataset(owner_org=org["id"], private=True, title="内部の台帳")
    for item, listed in ((stocked, True), (unlisted, False)):
        helpers.call_action(
            "optout_dataset_stock",
            {"ignore_auth": True, "user": editor["name"]},
            id=item["id"],
            listed=listed,
        )
    res = app.get("/optout/notices")
    assert res.status_code == 200
    listed = body(res)
    assert "ボランティア名簿" in listed and "災害ボランティアの登録者です。" in listed
    assert stocked["notes"] not in listed and "…" in listed
    assert "内部の台帳" not in listed


def test_dataset_management_is_for_editors_only(app):
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], private=True)
    outsider = factories.UserWithToken()
    assert (
        app.get(
            f"/optout/dataset/{dataset['name']}", headers={"Authorization": outsider["token"]}
        ).status_code
        == 403
    )
    assert app.get(f"/optout/dataset/{dataset['name']}").status_code == 403


def test_staff_dashboard_for_sysadmins_only(app):
    reference, _ = codes(body(app.post("/optout/request", data=FORM)))
    assert app.get("/optout/staff").status_code == 403
    user = factories.UserWithToken()
    assert app.get("/optout/staff", headers={"Authorization": user["token"]}).status_code == 403
    sysadmin = factories.SysadminWithToken()
    headers = {"Authorization": sysadmin["token"]}
    html = body(app.get("/optout/staff", headers=headers))
    assert reference in html and "オプトアウト管理" in html
    assert "花子" not in html
    res = app.post(
        "/optout/staff", headers=headers, data={"reference": reference, "decision": "verify", "note": ""}
    )
    assert res.status_code == 200
    model.Session.remove()
    assert m.OptoutRequest.by_reference(reference).status == "verified"


def test_api_debug_log_does_not_hold_the_residents_data(app, caplog):
    import logging

    logger = logging.getLogger("ckan.views.api")  # "ckan" does not propagate to the root
    caplog.set_level(logging.DEBUG, logger="ckan.views.api")
    logger.addHandler(caplog.handler)
    disabled, logger.disabled = logger.disabled, False  # the test ini's fileConfig disables it
    try:
        res = app.post(
            "/api/3/action/optout_request_create",
            json={"subject": {"name": "岐阜　次郎", "birth_date": "昭和60年1月2日"}},
        )
    finally:
        logger.removeHandler(caplog.handler)
        logger.disabled = disabled
    assert res.status_code == 200
    assert res.json["result"]["reference"].startswith("OPT-")
    assert any("Request data extracted" in r.getMessage() for r in caplog.records)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "次郎" not in logged and "昭和60" not in logged


def test_editors_see_the_lifecycle_button_on_the_dataset_page(app):
    org = factories.Organization()
    editor = factories.UserWithToken()
    helpers.call_action(
        "member_create",
        {"ignore_auth": True},
        id=org["id"],
        object=editor["name"],
        object_type="user",
        capacity="editor",
    )
    dataset = factories.Dataset(owner_org=org["id"], private=True)
    html = body(app.get(f"/dataset/{dataset['name']}", headers={"Authorization": editor["token"]}))
    assert f"/optout/dataset/{dataset['name']}" in html and "公開の管理" in html


def test_public_lists_are_readable_with_get_but_the_token_never_travels_in_a_url(app):
    assert app.get("/api/3/action/optout_notice_list").json["result"]["count"] == 0
    assert app.get("/api/3/action/optout_stock_list").json["success"] is True
    res = app.get("/api/3/action/optout_request_show?reference=OPT-0000-0000&token=AAAA")
    assert res.status_code == 400


def test_the_form_states_how_long_the_contact_is_kept(app):
    html = body(app.get("/optout/request"))
    assert "暗号化" in html and "365日" in html
    assert "encrypted" in html and "365 days" in html


def test_staff_see_a_contact_decrypted_on_the_dashboard(app):
    reference, _ = codes(body(app.post("/optout/request", data={**FORM, "contact": "hanako@example.jp"})))
    sysadmin = factories.SysadminWithToken()
    html = body(app.get("/optout/staff", headers={"Authorization": sysadmin["token"]}))
    assert reference in html and "hanako@example.jp" in html


def test_staff_dashboard_names_purged_and_deleted_datasets_in_scope(app):
    org = factories.Organization()
    kept, deleted, purged = (
        factories.Dataset(owner_org=org["id"], title=t)
        for t in ("残る名簿", "削除した名簿", "完全に消した名簿")
    )
    for dataset in (kept, deleted, purged):
        app.post("/optout/request", data={**FORM, "scope": dataset["name"]})
    sysadmin = factories.SysadminWithToken()
    context = {"user": sysadmin["name"], "ignore_auth": False}
    helpers.call_action("package_delete", dict(context), id=deleted["id"])
    helpers.call_action("dataset_purge", dict(context), id=purged["id"])
    res = app.get("/optout/staff", headers={"Authorization": sysadmin["token"]})
    assert res.status_code == 200, body(res)[:2000]
    html = body(res)
    assert "残る名簿" in html
    assert "削除した名簿（削除済み）" in html
    assert f"{purged['id']}（削除済み）" in html
    assert f'href="/dataset/{purged["id"]}"' not in html


def _post_and_capture(app, caplog, payload):
    import logging

    logger = logging.getLogger("ckan.views.api")  # "ckan" does not propagate to the root
    caplog.set_level(logging.DEBUG, logger="ckan.views.api")
    logger.addHandler(caplog.handler)
    disabled, logger.disabled = logger.disabled, False  # the test ini's fileConfig disables it
    caplog.clear()
    try:
        res = app.post("/api/3/action/optout_request_create", json=payload)
    finally:
        logger.removeHandler(caplog.handler)
        logger.disabled = disabled
    text = "\n".join(caplog.handler.format(r) for r in caplog.records)
    return res, text


@pytest.mark.parametrize(
    "payload",
    [
        [{"subject": {"name": "岐阜　次郎", "birth_date": "昭和60年1月2日"}}],  # an array
        ["岐阜　次郎", "昭和60年1月2日"],
        {"subject": {"name": "岐阜　次郎", "birth_date": "昭和60年1月2日"}},  # an object
        {"subject": {"name": "岐阜　次郎", "birth_date": "昭和60年13月2日"}},  # refused
        {
            "subject": {
                "name": "岐阜　次郎",
                "birth_date": "昭和60年1月2日",
                "岐阜次郎の電話": "058-000-0000",
            }
        },  # unknown key
    ],
)
def test_nothing_of_an_optout_request_body_reaches_the_log(app, caplog, payload):
    res, logged = _post_and_capture(app, caplog, payload)
    assert res.status_code in (200, 400, 409), res.status_code
    for fragment in ("次郎", "昭和60", "058-000"):
        assert fragment not in logged, logged
    assert isinstance(payload, dict) or res.status_code == 400
    assert model.Session.query(m.OptoutRequest).count() == (1 if res.status_code == 200 else 0)


def test_the_management_page_releases_early_only_for_a_sysadmin_with_a_reason(app):
    org = factories.Organization()
    editor = factories.UserWithToken()
    helpers.call_action(
        "member_create",
        {"ignore_auth": True},
        id=org["id"],
        object=editor["name"],
        object_type="user",
        capacity="editor",
    )
    dataset = factories.Dataset(owner_org=org["id"], private=True)
    page = f"/optout/dataset/{dataset['name']}"
    editor_headers = {"Authorization": editor["token"]}
    too_soon = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    res = app.post(page, headers=editor_headers, data={"op": "notice", "deadline": too_soon})
    assert res.status_code == 400 and "告知期間は14日以上必要です" in body(res)
    deadline = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    app.post(page, headers=editor_headers, data={"op": "notice", "deadline": deadline})
    res = app.post(page, headers=editor_headers, data={"op": "release"})
    assert res.status_code == 400 and "期限" in body(res)
    res = app.post(page, headers=editor_headers, data={"op": "release_early", "reason": "急ぎ"})
    assert res.status_code == 400 and "システム管理者のみ" in body(res)
    assert "期限前に公開する理由" not in body(app.get(page, headers=editor_headers))

    sysadmin = factories.SysadminWithToken()
    admin_headers = {"Authorization": sysadmin["token"]}
    assert "期限前に公開する理由" in body(app.get(page, headers=admin_headers))
    res = app.post(page, headers=admin_headers, data={"op": "release_early", "reason": ""})
    assert res.status_code == 400
    res = app.post(page, headers=admin_headers, data={"op": "release_early", "reason": "市長決裁により公開"})
    assert res.status_code == 200
    assert helpers.call_action("optout_dataset_show", id=dataset["id"])["state"] == "open"
