"""The suppression stages against the real registry tables (PostgreSQL), without anonymize:
filing drops a resident's rows, withdrawal brings them back, scope is respected, a changed
secret stops publishing instead of silently matching nothing, and an opt-out not yet verified
is matched only on what the public file shows (no oracle for hidden values)."""

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from ckanext.optout import registry
from ckanext.optout.stage import StageError, SuppressionStage

from .stage_doubles import Ctx, Sheet

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout"),
    pytest.mark.usefixtures("with_plugins", "optout_db"),
]

HEADER = ["受付番号", "氏名", "生年月日", "許可の種類"]
ROWS = [
    ["1", "岐阜　太郎", "S55.3.1", "理容所"],
    ["2", "長良 花子", "平成2年7月7日", "理容所"],
    ["3", "岐阜太郎", "1999-01-01", "美容所"],
]


@pytest.fixture
def register():
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], private=True)
    other = factories.Dataset(owner_org=org["id"], private=True)
    resource = factories.Resource(package_id=dataset["id"])
    helpers.call_action(
        "optout_resource_configure",
        {"ignore_auth": True, "user": ""},
        resource_id=resource["id"],
        subject_columns={"name": "氏名", "birth_date": "生年月日"},
    )
    return {"dataset": dataset, "other": other, "resource": resource}


def published(register, rows=ROWS):
    """The filter over ``rows`` as the pipeline would give them after the scrub (here ``rows``
    are both what is held and what is shown). Returns the numbers of the rows kept and the
    counts."""
    stage = SuppressionStage()
    resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": register["resource"]["id"]})
    assert stage.applies_to(resource)
    ctx = Ctx(resource, register["dataset"])
    [sheet] = list(stage.process([Sheet("s", HEADER, iter(rows))], ctx))
    return [row[0] for row in sheet.rows], ctx.report


def file(**extra):
    return helpers.call_action(
        "optout_request_create",
        {"user": ""},
        subject={"name": "岐阜 太郎", "birth_date": "昭和55年3月1日"},
        **extra,
    )


def test_filing_drops_the_row_and_withdrawal_restores_it(register):
    assert published(register)[0] == ["1", "2", "3"]
    filed = file()
    kept, report = published(register)
    assert kept == ["2", "3"]
    assert report["rows_dropped"] == 1 and report["opt_outs_in_scope"] == 1
    helpers.call_action(
        "optout_request_withdraw", {"user": ""}, reference=filed["reference"], token=filed["token"]
    )
    assert published(register)[0] == ["1", "2", "3"]


def test_scope_of_another_dataset_does_not_apply(register):
    file(scope=register["other"]["id"])
    assert published(register)[0] == ["1", "2", "3"]
    file(scope=register["dataset"]["name"])
    assert published(register)[0] == ["2", "3"]


def test_rejected_requests_no_longer_apply(register):
    filed = file()
    helpers.call_action(
        "optout_request_reject",
        {"user": factories.Sysadmin()["name"]},
        reference=filed["reference"],
        note="本人確認できず",
    )
    assert published(register)[0] == ["1", "2", "3"]


def test_a_changed_secret_stops_publishing(register, monkeypatch):
    file()
    monkeypatch.setitem(tk.config, "ckanext.optout.secret", "another-secret")
    with pytest.raises(registry.SecretMismatch):
        registry.load_index(register["dataset"]["id"], ["name", "birth_date"])
    with pytest.raises(StageError) as info:
        published(register)
    assert "ckanext.optout.secret" in info.value.message_ja


SCRUBBED = [[n, name, "〈生年月日〉", kind] for n, name, _, kind in ROWS]


def verify(filed):
    helpers.call_action(
        "optout_request_verify", {"user": factories.Sysadmin()["name"]}, reference=filed["reference"]
    )


def test_before_verification_a_hidden_birth_date_cannot_be_probed(register):
    # The public file shows names and hides birth dates. Whatever date an outsider guesses, the
    # outcome is the same: every row with the public name goes (namesakes too), so nothing about
    # the hidden date is learnt.
    right = file()
    assert published(register, SCRUBBED)[0] == ["2"]
    helpers.call_action(
        "optout_request_withdraw", {"user": ""}, reference=right["reference"], token=right["token"]
    )
    helpers.call_action(
        "optout_request_create", {"user": ""}, subject={"name": "岐阜 太郎", "birth_date": "平成元年1月8日"}
    )
    assert published(register, SCRUBBED)[0] == ["2"]


def test_after_verification_the_resident_alone_is_matched_on_every_column(register):
    filed = file()
    verify(filed)
    kept, report = published(register, ROWS)
    assert kept == ["2", "3"]  # 岐阜太郎 born 1999 is another person: back again
    assert report["rows_dropped"] == 1


def test_rows_whose_identifying_columns_are_all_hidden_wait_for_verification(register):
    hidden = [[n, "〈氏名〉", "〈生年月日〉", kind] for n, _, _, kind in ROWS]
    filed = file()
    assert published(register, hidden)[0] == ["1", "2", "3"]
    verify(filed)
    assert published(register, ROWS)[0] == ["2", "3"]


def test_the_header_may_sit_below_a_title_line(register):
    titled = [["岐阜市 理容所台帳", "", "", ""], ["", "", "", ""], HEADER] + ROWS
    resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": register["resource"]["id"]})
    verify(file())
    ctx = Ctx(resource, register["dataset"])
    [sheet] = list(SuppressionStage().process([Sheet("s", titled[0], iter(titled[1:]))], ctx))
    assert [row[0] for row in sheet.rows] == ["", "受付番号", "2", "3"]
