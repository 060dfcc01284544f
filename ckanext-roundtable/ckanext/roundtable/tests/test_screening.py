"""The personal-data check with the anonymize plugin loaded: public text waits for the check in
the jobs worker (the web process never loads the PII engine), is shown when nothing is found, and
is held for staff with a message when something is (a phone number, a person's name)."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.roundtable import model

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "anonymize roundtable"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_redis", "with_test_worker"),
]
ANON = {"user": "", "ignore_auth": False}


def search(**data):
    return call_action("roundtable_request_search", context=dict(ANON), **data)["results"]


def test_text_is_shown_only_after_the_background_check_passes_it(run_jobs, staff):
    clean = call_action(
        "roundtable_request_create",
        context=dict(ANON),
        title="市内のバス停の位置",
        description="通学の経路案内に使いたいです。",
    )
    personal = call_action(
        "roundtable_request_create",
        context=dict(ANON),
        title="近所の人の連絡先",
        description="山田太郎さんの電話番号 090-1234-5678 を載せてください。",
    )
    assert clean["visibility"] == personal["visibility"] == "checking"
    assert "自動で確認した後に公開" in clean["notice"]
    assert search() == []  # nothing before the check
    run_jobs()
    assert [r["title"] for r in search()] == ["市内のバス停の位置"]
    held = model.Session.get(model.Request, personal["id"])
    assert (held.visibility, held.hold_reason) == ("held", "personal_data")
    queue = call_action("roundtable_moderation_list", context=dict(staff["context"]))
    assert [r["id"] for r in queue["requests"]] == [personal["id"]]

    comment = call_action(
        "roundtable_comment_create",
        context=dict(ANON),
        request_id=clean["id"],
        body="連絡は 090-1234-5678 の鈴木一郎まで。",
    )
    run_jobs()
    listed = call_action("roundtable_comment_list", context=dict(ANON), request_id=clean["id"])
    assert listed["results"] == []
    assert model.Session.get(model.Comment, comment["id"]).hold_reason == "personal_data"


@pytest.mark.ckan_config("ckanext.roundtable.text_check.background", False)
def test_the_check_can_run_in_the_request_when_configured():
    created = call_action(
        "roundtable_request_create",
        context=dict(ANON),
        title="公園の遊具の一覧",
        description="子どもと出かける前に確認したいです。",
    )
    assert created["visibility"] == "public"


def test_a_check_lost_with_the_queue_is_queued_again_by_the_recheck_command(cli, run_jobs):
    import ckan.lib.jobs as jobs
    from ckan.cli.cli import ckan as ckan_command

    created = call_action(
        "roundtable_request_create",
        context=dict(ANON),
        title="ごみ収集日の一覧",
        description="地区ごとの収集日をカレンダーアプリに入れたいです。",
    )
    jobs.get_queue().empty()  # the job is lost (a flushed Redis, a killed worker)
    run_jobs()
    assert search() == []  # still hidden: fail closed
    result = cli.invoke(ckan_command, ["roundtable", "recheck", "--minutes", "0"])
    assert result.exit_code == 0, result.output
    assert "1 item(s) queued" in result.output
    run_jobs()
    assert [r["id"] for r in search()] == [created["id"]]
