"""The demo's datasets of personal records with the three plugins together, as ``make run`` loads
them: the award recipients are open with their names public and everything else about them
scrubbed, and suppressed for whoever opts out; the volunteers' list is in notice; the barbers'
register is in stock. A second load changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from ckan.tests.helpers import call_action

from ckanext.gifu.demo import loader, tables

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets optout anonymize"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index", "clean_queues", "with_test_worker"),
]

AWARDS, VOLUNTEERS, BARBERS = (
    "civic-award-recipients",
    "disaster-volunteer-register",
    "barber-beauty-shops-holders",
)
ANONYMOUS = {"user": "", "ignore_auth": False}


def public_rows(app, dataset):
    resource = dataset["resources"][0]
    response = app.get(
        f"/dataset/{dataset['id']}/resource/{resource['id']}/download/x.csv",
        extra_environ={"REMOTE_USER": ""},
    )
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_demo_personal_records_are_prepared_as_staff_would(app, run_jobs):
    summary = loader.load_demo(only=[AWARDS, VOLUNTEERS, BARBERS])
    assert summary == {"created": 3, "updated": 0, "unchanged": 0}
    run_jobs()  # re-derivations queued when the subject columns were set

    awards = call_action("package_show", context=ANONYMOUS, id=AWARDS)
    assert awards["private"] is False
    assert call_action("optout_dataset_show", id=AWARDS)["state"] == "open"
    resource = awards["resources"][0]
    assert call_action("optout_resource_show", resource_id=resource["id"])["subject_columns"] == {
        "name": "氏名",
        "name_kana": "フリガナ",
        "birth_date": "生年月日",
    }
    assert call_action("anonymize_resource_status_show", id=resource["id"])["status"] == "published"

    header, generated = tables.award_recipients()
    rows = public_rows(app, awards)
    assert rows[0] == header and len(rows) == len(generated) + 1
    published = dict(zip(header, rows[1]))
    original = dict(zip(header, generated[0]))
    assert published["氏名"] == original["氏名"]  # names of recipients are public on purpose
    assert published["受賞名"] == original["受賞名"]
    for column in ("生年月日", "住所", "電話番号"):
        assert published[column] != original[column], column
    body = str(rows)
    assert not any(person[2] in body or person[4] in body for person in generated)

    volunteers = call_action("optout_dataset_show", id=VOLUNTEERS)
    assert volunteers["state"] == "notice" and volunteers["private"] is True
    notices = call_action("optout_notice_list", context=ANONYMOUS)["results"]
    assert [n["name"] for n in notices] == [VOLUNTEERS]
    assert {c["column"] for c in notices[0]["resources"][0]["subject_columns"]} == {
        "氏名",
        "フリガナ",
        "生年月日",
    }
    stock = call_action("optout_stock_list", context=ANONYMOUS)["results"]
    assert [s["name"] for s in stock] == [BARBERS]
    barbers = call_action("package_show", id=BARBERS)
    assert (
        call_action("anonymize_resource_status_show", id=barbers["resources"][0]["id"])["status"] == "review"
    )

    # A resident on the award list opts out: their row leaves the published file.
    call_action(
        "optout_request_create",
        context=ANONYMOUS,
        scope=AWARDS,
        subject={
            "name": original["氏名"].replace(" ", "　"),
            "birth_date": original["生年月日"].replace("-", "/"),
        },
    )
    run_jobs()
    names = [row[0] for row in public_rows(app, awards)[1:]]
    assert original["氏名"] not in names
    assert len(names) == len(generated) - sum(
        p[0] == original["氏名"] and p[2] == original["生年月日"] for p in generated
    )

    assert loader.load_demo(only=[AWARDS, VOLUNTEERS, BARBERS]) == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
    }
