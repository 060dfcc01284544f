"""The residents' registry: filing, checking, withdrawing, staff decisions, audit; no raw values."""

import datetime as dt

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan.tests import factories, helpers

from ckanext.optout import model as m

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout"),
    pytest.mark.usefixtures("with_plugins", "optout_db"),
]

SUBJECT = {
    "name": "岐阜　太郎",
    "name_kana": "ぎふ たろう",
    "birth_date": "昭和55年3月1日",
    "address": "岐阜県岐阜市今沢町18番地",
}
RAW_VALUES = ["岐阜", "太郎", "ぎふ", "ギフ", "たろう", "タロウ", "1980", "昭和55", "今沢町"]


def anonymous():
    return {"user": "", "ignore_auth": False}


def staff():
    return {"user": factories.Sysadmin()["name"], "ignore_auth": False}


def file_request(**extra):
    return helpers.call_action("optout_request_create", anonymous(), subject=dict(SUBJECT), **extra)


def all_optout_text() -> str:
    """Everything stored in every optout table, as text."""
    text = []
    with model.Session.get_bind().connect() as conn:
        names = [n for n in sa.inspect(conn).get_table_names() if n.startswith("optout_")]
        assert {"optout_request", "optout_subject_key", "optout_audit"} <= set(names)
        for name in names:
            for row in conn.execute(sa.text(f'SELECT * FROM "{name}"')):
                text.append(repr(tuple(row)))
    return "\n".join(text)


def test_a_resident_files_without_an_account_and_gets_reference_and_token():
    result = file_request()
    assert set(result) == {"reference", "token", "status", "scope"}
    assert result["reference"].startswith("OPT-")
    assert result["status"] == "pending" and result["scope"] == "all"
    shown = helpers.call_action(
        "optout_request_show", anonymous(), reference=result["reference"], token=result["token"]
    )
    assert shown["status"] == "pending" and shown["active"] is True
    assert set(shown) == {"reference", "status", "active", "scope", "created", "modified"}


def test_no_optout_table_holds_the_raw_name_date_address_or_token():
    result = file_request(contact="")
    stored = all_optout_text()
    for raw in RAW_VALUES + [result["token"], result["token"].replace("-", "")]:
        assert raw not in stored
    assert result["reference"] in stored  # the reference is not secret
    keys = model.Session.query(m.OptoutSubjectKey).count()
    assert keys == 15  # every combination of four attributes


def test_the_token_is_needed_to_see_a_request_and_errors_do_not_tell_which_part_is_wrong():
    result = file_request()
    with pytest.raises(tk.ObjectNotFound) as wrong_token:
        helpers.call_action(
            "optout_request_show",
            anonymous(),
            reference=result["reference"],
            token="AAAA-BBBB-CCCC-DDDD-EEEE",
        )
    with pytest.raises(tk.ObjectNotFound) as wrong_reference:
        helpers.call_action(
            "optout_request_show", anonymous(), reference="OPT-0000-0000", token=result["token"]
        )
    assert str(wrong_token.value) == str(wrong_reference.value)


def test_reference_and_token_are_accepted_as_typed():
    result = file_request()
    shown = helpers.call_action(
        "optout_request_show",
        anonymous(),
        reference=" " + result["reference"].lower().replace("-", ""),
        token=result["token"].lower().replace("-", " "),
    )
    assert shown["reference"] == result["reference"]


def test_the_same_answer_whether_or_not_the_person_is_known():
    first = file_request()
    again = file_request()
    stranger = helpers.call_action(
        "optout_request_create", anonymous(), subject={"name": "存在 しない人", "birth_date": "2001-01-01"}
    )
    for result in (first, again, stranger):
        assert set(result) == {"reference", "token", "status", "scope"}
        assert result["status"] == "pending"
    assert len({first["reference"], again["reference"], stranger["reference"]}) == 3


def test_subject_is_validated_with_japanese_and_english_messages():
    with pytest.raises(tk.ValidationError) as info:
        helpers.call_action(
            "optout_request_create", anonymous(), subject={"name": "岐阜太郎", "birth_date": "そのうち"}
        )
    message = str(info.value.error_dict)
    assert "生年月日" in message and "birth_date" in message
    assert "そのうち" not in message
    with pytest.raises(tk.ValidationError):
        helpers.call_action("optout_request_create", anonymous(), subject={"name": "岐阜太郎"})
    with pytest.raises(tk.ValidationError):
        helpers.call_action(
            "optout_request_create", anonymous(), subject={**SUBJECT, "my_number": "123456789018"}
        )
    with pytest.raises(tk.ValidationError):
        helpers.call_action(
            "optout_request_create", anonymous(), subject=dict(SUBJECT), scope="no-such-dataset"
        )


def test_scope_can_be_one_dataset():
    dataset = factories.Dataset(owner_org=factories.Organization()["id"])
    result = file_request(scope=dataset["name"])
    assert result["scope"] == dataset["id"]


def test_withdrawal_with_the_token_erases_the_hashes():
    result = file_request(contact="taro@example.jp")
    withdrawn = helpers.call_action(
        "optout_request_withdraw", anonymous(), reference=result["reference"], token=result["token"]
    )
    assert withdrawn["status"] == "withdrawn" and withdrawn["active"] is False
    request = m.OptoutRequest.by_reference(result["reference"])
    assert request.contact is None
    assert model.Session.query(m.OptoutSubjectKey).filter_by(request_id=request.id).count() == 0


def test_withdrawal_without_the_token_needs_staff():
    result = file_request()
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("optout_request_withdraw", anonymous(), reference=result["reference"])
    user = factories.User()
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action(
            "optout_request_withdraw",
            {"user": user["name"], "ignore_auth": False},
            reference=result["reference"],
        )
    done = helpers.call_action(
        "optout_request_withdraw", staff(), reference=result["reference"], note="窓口で本人確認の上"
    )
    assert done["status"] == "withdrawn"


def test_staff_verify_and_reject_and_others_may_not():
    first, second = file_request(), file_request()
    user = factories.User()
    for name in (
        "optout_request_list",
        "optout_request_verify",
        "optout_request_reject",
        "optout_audit_list",
    ):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_auth(name, {"user": user["name"], "model": model}, reference=first["reference"])
        with pytest.raises(tk.NotAuthorized):
            helpers.call_auth(name, {"user": "", "model": model}, reference=first["reference"])
    ctx = staff()
    verified = helpers.call_action("optout_request_verify", ctx, reference=first["reference"])
    assert verified["status"] == "verified" and verified["decided_by"] == ctx["user"]
    rejected = helpers.call_action("optout_request_reject", ctx, reference=second["reference"], note="重複")
    assert rejected["status"] == "rejected"
    with pytest.raises(tk.ValidationError):
        helpers.call_action("optout_request_verify", ctx, reference=second["reference"])
    listed = helpers.call_action("optout_request_list", ctx, status="active")
    assert [r["reference"] for r in listed["results"]] == [first["reference"]]
    assert listed["results"][0]["attributes"] == ["address", "birth_date", "name", "name_kana"]


def test_public_actions_are_open_to_anonymous_callers():
    for name in (
        "optout_request_create",
        "optout_request_show",
        "optout_request_withdraw",
        "optout_notice_list",
        "optout_stock_list",
    ):
        assert helpers.call_auth(name, {"user": "", "model": model})


def test_every_change_is_audited_without_identifying_values():
    result = file_request()
    ctx = staff()
    helpers.call_action("optout_request_verify", ctx, reference=result["reference"])
    helpers.call_action(
        "optout_request_withdraw", anonymous(), reference=result["reference"], token=result["token"]
    )
    log = helpers.call_action("optout_audit_list", ctx, reference=result["reference"])
    assert [e["action"] for e in reversed(log["results"])] == [
        "request_create",
        "request_verify",
        "request_withdraw",
    ]
    assert [e["actor"] for e in reversed(log["results"])] == ["resident", ctx["user"], "resident"]
    text = repr(log)
    for raw in RAW_VALUES:
        assert raw not in text


def test_resource_subject_columns_are_set_by_editors_only():
    org = factories.Organization()
    editor = factories.User()
    outsider = factories.User()
    helpers.call_action(
        "member_create",
        {"ignore_auth": True},
        id=org["id"],
        object=editor["name"],
        object_type="user",
        capacity="editor",
    )
    dataset = factories.Dataset(owner_org=org["id"])
    resource = factories.Resource(package_id=dataset["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth(
            "optout_resource_configure",
            {"user": outsider["name"], "model": model},
            resource_id=resource["id"],
        )
    result = helpers.call_action(
        "optout_resource_configure",
        {"user": editor["name"], "ignore_auth": False},
        resource_id=resource["id"],
        subject_columns={"name": "氏名", "birth_date": "生年月日"},
    )
    assert result["subject_columns"] == {"name": "氏名", "birth_date": "生年月日"}
    shown = helpers.call_action("optout_resource_show", {"user": editor["name"]}, resource_id=resource["id"])
    assert shown["subject_columns"] == {"name": "氏名", "birth_date": "生年月日"}
    with pytest.raises(tk.ValidationError):
        helpers.call_action(
            "optout_resource_configure",
            {"user": editor["name"]},
            resource_id=resource["id"],
            subject_columns={"phone": "電話"},
        )
    helpers.call_action(
        "optout_resource_configure", {"user": editor["name"]}, resource_id=resource["id"], subject_columns={}
    )
    assert (
        helpers.call_action("optout_resource_show", {"user": editor["name"]}, resource_id=resource["id"])[
            "subject_columns"
        ]
        == {}
    )


@pytest.mark.ckan_config("ckanext.optout.staff_organization", "kojin-joho")
def test_editors_of_the_staff_organization_are_registry_staff():
    office = factories.Organization(name="kojin-joho", title="個人情報保護担当")
    other_org = factories.Organization()
    clerk, member, outsider = factories.User(), factories.User(), factories.User()
    helpers.call_action(
        "member_create",
        {"ignore_auth": True},
        id=office["id"],
        object=clerk["name"],
        object_type="user",
        capacity="editor",
    )
    helpers.call_action(
        "member_create",
        {"ignore_auth": True},
        id=office["id"],
        object=member["name"],
        object_type="user",
        capacity="member",
    )
    helpers.call_action(
        "member_create",
        {"ignore_auth": True},
        id=other_org["id"],
        object=outsider["name"],
        object_type="user",
        capacity="admin",
    )
    result = file_request()
    assert helpers.call_auth("optout_request_list", {"user": clerk["name"], "model": model})
    for who in (member["name"], outsider["name"]):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_auth(
                "optout_request_verify", {"user": who, "model": model}, reference=result["reference"]
            )
    done = helpers.call_action(
        "optout_request_withdraw",
        {"user": clerk["name"], "ignore_auth": False},
        reference=result["reference"],
        note="窓口で解除",
    )
    assert done["status"] == "withdrawn"


# ---------------------------------------------------------------------------------------------
# Tokens as typed: anything that is not the token is the same "wrong token"


@pytest.mark.parametrize("token", ["岐阜タロウ", "ＡＢＣＤ－é", "\u00e9\u00e9\u00e9\u00e9", "😀"])
def test_a_non_ascii_token_is_just_a_wrong_token(token):
    result = file_request()
    with pytest.raises(tk.ObjectNotFound) as info:
        helpers.call_action("optout_request_show", anonymous(), reference=result["reference"], token=token)
    assert "受付番号または確認コードが正しくありません" in str(info.value)
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action(
            "optout_request_withdraw", anonymous(), reference=result["reference"], token=token
        )
    assert m.OptoutRequest.by_reference(result["reference"]).status == "pending"


@pytest.mark.usefixtures("clean_redis")
def test_a_non_ascii_token_over_the_api_is_a_404_not_a_500(app):
    result = file_request()
    for name in ("optout_request_show", "optout_request_withdraw"):
        res = app.post(
            f"/api/3/action/{name}", json={"reference": result["reference"], "token": "岐阜タロウ"}
        )
        assert res.status_code == 404, res.get_data(as_text=True)
        assert "受付番号または確認コードが正しくありません" in res.json["error"]["message"]


# ---------------------------------------------------------------------------------------------
# The contact: encrypted at rest, shown to registry staff only, erased on close and after the
# retention period


CONTACT = "hanako.nagara@example.jp"


def stored_contact(reference):
    with model.Session.get_bind().connect() as conn:
        return conn.execute(
            sa.text("SELECT contact FROM optout_request WHERE reference = :r"), {"r": reference}
        ).scalar()


def test_the_contact_is_encrypted_at_rest_and_shown_to_staff_only():
    result = file_request(contact=CONTACT)
    raw = stored_contact(result["reference"])
    assert raw and CONTACT not in raw and "hanako" not in raw and "example.jp" not in raw
    assert CONTACT not in all_optout_text()
    listed = helpers.call_action("optout_request_list", staff())
    assert listed["results"][0]["contact"] == CONTACT
    shown = helpers.call_action(
        "optout_request_show", anonymous(), reference=result["reference"], token=result["token"]
    )
    assert "contact" not in shown
    # Two requests with the same contact do not store the same bytes.
    again = file_request(contact=CONTACT)
    assert stored_contact(again["reference"]) != raw


def test_a_contact_encrypted_with_another_secret_is_not_shown_but_does_not_break_the_list(
    ckan_config, monkeypatch
):
    file_request(contact=CONTACT)
    monkeypatch.setitem(ckan_config, "ckanext.optout.secret", "another-secret")
    [row] = helpers.call_action("optout_request_list", staff())["results"]
    assert row["contact"] != CONTACT and "復号できません" in row["contact"]


def test_the_contact_is_erased_after_the_retention_period_by_the_daily_run(cli):
    from ckan.cli.cli import ckan

    old, recent = file_request(contact=CONTACT), file_request(contact="090-0000-0000")
    model.Session.remove()
    request = m.OptoutRequest.by_reference(old["reference"])
    request.created = request.created - dt.timedelta(days=366)
    model.Session.commit()

    result = cli.invoke(ckan, ["optout", "release-due"])
    assert result.exit_code == 0, result.output
    assert "1 contact(s) erased" in result.output
    model.Session.remove()
    assert stored_contact(old["reference"]) is None
    assert stored_contact(recent["reference"]) is not None
    # The request itself stays in effect; only the contact is gone, and the erasure is audited.
    assert m.OptoutRequest.by_reference(old["reference"]).status == "pending"
    log = helpers.call_action("optout_audit_list", staff(), reference=old["reference"])
    assert "contact_erase" in [e["action"] for e in log["results"]]


@pytest.mark.ckan_config("ckanext.optout.contact_retention_days", 30)
def test_the_retention_period_is_configurable():
    old = file_request(contact=CONTACT)
    model.Session.remove()
    request = m.OptoutRequest.by_reference(old["reference"])
    request.created = request.created - dt.timedelta(days=31)
    model.Session.commit()
    result = helpers.call_action("optout_contact_purge", staff())
    assert result["erased"] == 1
    assert stored_contact(old["reference"]) is None


def test_the_migration_encrypts_contacts_stored_in_clear(migrate_db_for):
    result = file_request(contact=CONTACT)
    model.Session.remove()
    head = model.Session.execute(sa.text("SELECT version_num FROM optout_alembic_version")).scalar()
    # Back to the revision before encryption, with the contact in clear as it then was.
    migrate_db_for("optout", "1b2c3d4e5f6a", forward=False)
    with model.Session.get_bind().begin() as conn:
        conn.execute(
            sa.text("UPDATE optout_request SET contact = :c WHERE reference = :r"),
            {"c": CONTACT, "r": result["reference"]},
        )
    migrate_db_for("optout")
    model.Session.remove()
    assert model.Session.execute(sa.text("SELECT version_num FROM optout_alembic_version")).scalar() == head
    raw = stored_contact(result["reference"])
    assert raw and CONTACT not in raw
    assert helpers.call_action("optout_request_list", staff())["results"][0]["contact"] == CONTACT
