"""The roundtable view for staff: most-supported requests and feedback per organization and
theme, the CSV for the meeting (UTF-8 with BOM, Excel opens it), and the history of what was
opened because someone asked. Only staff reach it; the demo content loads and is idempotent."""

from __future__ import annotations

import csv
import io

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "roundtable"),
    pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish"),
    pytest.mark.usefixtures("with_plugins", "roundtable_db", "clean_redis"),
]
ANON = {"user": "", "ignore_auth": False}


def supported(title, n, **data):
    created = call_action(
        "roundtable_request_create", context=dict(ANON), title=title, description="理由", **data
    )
    for i in range(n):
        call_action(
            "roundtable_request_support",
            context={"user": "", "ignore_auth": True, "roundtable_supporter": f"test:{i}"},
            id=created["id"],
        )
    return created


def test_summary_per_organization_and_theme_and_what_was_opened(app, staff):
    theme = factories.Group(name="kosodate", title="子育て")
    other_org = factories.Organization(title="観光課")
    dataset = factories.Dataset(owner_org=staff["org"]["id"], private=True, groups=[{"name": "kosodate"}])
    nursery = supported("保育所の空き状況", 3, group="kosodate")
    bus = supported("バス停の時刻表", 5)
    supported("観光地の入込客数", 1)
    call_action(
        "roundtable_request_update_status",
        context=dict(staff["context"]),
        id=bus["id"],
        status="considering",
        organization=other_org["name"],
    )
    call_action(
        "roundtable_request_link_dataset",
        context=dict(staff["context"]),
        id=nursery["id"],
        package_id=dataset["id"],
    )
    call_action("package_patch", context=dict(staff["context"]), id=dataset["id"], private=False)
    for kind in ("wish", "wish", "thanks"):
        call_action(
            "roundtable_comment_create",
            context=dict(ANON),
            package_id=dataset["id"],
            kind=kind,
            body="ご意見",
        )

    with pytest.raises(tk.NotAuthorized):
        call_action("roundtable_summary", context=dict(ANON))
    summary = call_action("roundtable_summary", context=dict(staff["context"]))
    assert [r["title"] for r in summary["top"]] == ["バス停の時刻表", "保育所の空き状況", "観光地の入込客数"]
    orgs = {o["title"]: o for o in summary["organizations"]}
    assert (orgs["観光課"]["requests"], orgs["観光課"]["supports"]) == (1, 5)
    own = orgs[staff["org"]["title"]]
    assert (own["requests"], own["supports"], own["feedback"]) == (1, 3, {"wish": 2, "thanks": 1})
    assert orgs["未分類 (unassigned)"]["requests"] == 1
    themes = {t["title"]: t for t in summary["themes"]}
    assert themes["子育て"]["requests"] == 1 and themes["子育て"]["feedback"] == {"wish": 2, "thanks": 1}
    assert theme["name"] == "kosodate"
    assert [(o["request"]["title"], o["dataset"]["name"]) for o in summary["opened"]] == [
        ("保育所の空き状況", dataset["name"])
    ]
    assert summary["opened"][0]["opened"] is not None

    app_user = {"REMOTE_USER": ""}
    assert app.get("/roundtable/staff", extra_environ=app_user).status_code == 403
    headers = {"Authorization": factories.APIToken(user=staff["user"]["name"])["token"]}
    page = app.get("/roundtable/staff", headers=headers)
    assert page.status_code == 200 and "リクエストから公開につながったデータ" in page.get_data(as_text=True)
    export = app.get("/roundtable/staff/roundtable.csv", headers=headers)
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    raw = export.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:6] == ["区分", "組織・テーマ", "順位", "リクエスト", "状況", "応援数"]
    assert rows[1][:6] == ["組織", "観光課", "1", "バス停の時刻表", "検討中", "5"]  # most supported first
    assert any(r[0] == "公開につながったリクエスト" and r[3] == "保育所の空き状況" for r in rows)
    assert app.get("/roundtable/staff/roundtable.csv").status_code == 403


def test_the_demo_loads_once_and_is_public():
    from ckanext.roundtable import demo

    first = list(demo.load())
    assert sum(line.startswith("created:") for line in first) == len(demo.REQUESTS)
    again = list(demo.load())
    assert all(line.startswith("exists:") for line in again)
    results = call_action("roundtable_request_search", context=dict(ANON), limit=100)["results"]
    assert len(results) == len(demo.REQUESTS)
    assert results[0]["title"] == "バス停ごとの時刻表と乗降客数" and results[0]["support_count"] == 21
    declined = next(r for r in results if r["status"] == "declined")
    assert "個人情報" in declined["status_reason"]
