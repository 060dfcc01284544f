"""The status mail: a requester who gave a contact gets a mail (Japanese, then English) through
CKAN's mailer when staff change the status or the linked dataset opens; the contact is erased
once a final status is mailed; nobody else is mailed. A local SMTP catcher receives it."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.roundtable import model

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "roundtable"),
    pytest.mark.ckan_config("ckanext.roundtable.text_check.unavailable", "publish"),
    pytest.mark.usefixtures("with_plugins", "roundtable_db", "clean_redis", "with_test_worker"),
]
ANON = {"user": "", "ignore_auth": False}


def file(**data):
    base = {"title": "保育所の空き状況", "description": "毎月の空き状況がほしいです。"}
    return call_action("roundtable_request_create", context=dict(ANON), **{**base, **data})


def test_the_requester_is_mailed_when_the_status_changes(smtp_catcher, run_jobs, staff):
    created = file(contact="parent@example.org")
    silent = file(title="連絡先なしのリクエスト")
    answered = call_action(
        "roundtable_request_update_status",
        context=dict(staff["context"]),
        id=created["id"],
        status="considering",
        reason="担当課で検討しています。",
    )
    assert answered["mailed"] is True
    call_action(
        "roundtable_request_update_status",
        context=dict(staff["context"]),
        id=silent["id"],
        status="considering",
    )
    run_jobs()
    assert len(smtp_catcher.messages) == 1
    caught = smtp_catcher.messages[0]
    assert caught["to"] == ["parent@example.org"]
    message = caught["message"]
    assert "検討中" in message["Subject"] and "under consideration" in message["Subject"]
    text = message.get_content()
    assert text.index("状況: 検討中") < text.index("Status: under consideration")
    assert "担当課で検討しています。" in text and f"/roundtable/request/{created['id']}" in text
    assert "<opendata@city.gifu.example>" in message["From"]
    change = (
        model.Session.query(model.StatusChange)
        .filter_by(request_id=created["id"], status="considering")
        .one()
    )
    assert change.mailed is True
    assert model.Session.get(model.Request, created["id"]).contact == "parent@example.org"


def test_opening_the_linked_dataset_mails_and_then_erases_the_contact(smtp_catcher, run_jobs, staff):
    created = file(contact="parent@example.org")
    dataset = factories.Dataset(owner_org=staff["org"]["id"], private=True)
    call_action(
        "roundtable_request_link_dataset",
        context=dict(staff["context"]),
        id=created["id"],
        package_id=dataset["id"],
    )
    run_jobs()
    assert smtp_catcher.messages == []  # linking a private dataset changes no status
    call_action("package_patch", context=dict(staff["context"]), id=dataset["id"], private=False)
    run_jobs()
    assert [m["to"] for m in smtp_catcher.messages] == [["parent@example.org"]]
    assert "公開済" in smtp_catcher.messages[0]["message"]["Subject"]
    # kept for the mail only: gone once the request is answered
    assert model.Session.get(model.Request, created["id"]).contact is None
    shown = call_action("roundtable_request_show", context=dict(staff["context"]), id=created["id"])
    assert shown["contact"] is None


@pytest.mark.ckan_config("ckanext.roundtable.contact_retention_days", 30)
def test_contacts_past_their_retention_are_erased_by_the_daily_command(cli):
    import datetime as dt

    from ckan.cli.cli import ckan as ckan_command

    old, recent = file(contact="old@example.org"), file(contact="recent@example.org")
    model.Session.get(model.Request, old["id"]).created = dt.datetime.utcnow() - dt.timedelta(days=31)
    model.Session.commit()
    result = cli.invoke(ckan_command, ["roundtable", "purge-contacts"])
    assert result.exit_code == 0 and "1 contact(s) erased" in result.output, result.output
    model.Session.expire_all()
    assert model.Session.get(model.Request, old["id"]).contact is None
    assert model.Session.get(model.Request, recent["id"]).contact == "recent@example.org"
