"""What `make run` shows: the roundtable demo loaded after the gifu demo catalogue, on the
portal's plugins. Its requests are public, linked to the demo's open toilets list (公開済, named)
and to the volunteer register in notice (公開予定, shown publicly only as 公開準備中)."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.gifu.demo import loader
from ckanext.roundtable import demo

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets optout anonymize roundtable"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index", "clean_redis", "with_test_worker"),
]
ANON = {"user": "", "ignore_auth": False}
# The demo datasets the roundtable demo names (its feedback on `events` is skipped when absent).
LINKED = ["public-toilets", "disaster-volunteer-register", "aed-locations"]


def test_the_demo_requests_answer_the_gifu_demo_datasets(app, run_jobs):
    loader.load_demo(only=LINKED)
    run_jobs()
    lines = list(demo.load())
    assert sum(line.startswith("created:") for line in lines) == len(demo.REQUESTS)
    assert [line for line in lines if line.startswith("feedback:")] == [
        "feedback: aed-locations (wish)",
        "feedback: aed-locations (thanks)",
    ]
    run_jobs()  # the checks queued for the demo text find it decided already
    results = call_action("roundtable_request_search", context=dict(ANON), limit=100)["results"]
    by_title = {r["title"]: r for r in results}
    assert len(by_title) == len(demo.REQUESTS)
    toilets = by_title["市内の公衆トイレの位置とバリアフリー設備"]
    assert toilets["status_label"] == "公開済" and toilets["dataset"]["name"] == "public-toilets"
    volunteers = by_title["災害ボランティアの登録状況（地区別の人数）"]
    assert volunteers["status_label"] == "公開予定"
    assert volunteers["dataset"] == {"public": False, "label": "公開準備中"}
    page = app.get("/dataset/aed-locations").get_data(as_text=True)
    assert "設置場所の利用可能時間" in page and "次回の更新で" in page  # feedback and the staff reply
    assert "市内の公衆トイレの位置とバリアフリー設備" in app.get("/dataset/public-toilets").get_data(
        as_text=True
    )
