"""The demo where new datasets start in the closed stock (ckanext.optout.stock_by_default = true,
the Docker deployment's default): ``ckan gifu load-demo`` shows the same portal as ``make run``.
Open data is released from the stock at once (an early release with a reason, as the acting
sysadmin), the registers of people reach their three states, and a second load changes nothing."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.gifu.demo import loader

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets optout anonymize"),
    pytest.mark.ckan_config("ckanext.optout.stock_by_default", "true"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index", "clean_queues", "with_test_worker"),
]

AWARDS, VOLUNTEERS, BARBERS = (
    "civic-award-recipients",
    "disaster-volunteer-register",
    "barber-beauty-shops-holders",
)
# public-wifi: its 設置者 (owner) column is personal unless an organisation, and every owner is the
# city: not a register of people, so it opens without subject-key columns.
OPEN_DATA = ("aed-locations", "population-statistics", "public-wifi")
ANONYMOUS = {"user": "", "ignore_auth": False}


def test_the_demo_opens_what_make_run_opens_although_new_datasets_start_in_the_stock(run_jobs):
    summary = loader.load_demo(only=[*OPEN_DATA, AWARDS, VOLUNTEERS, BARBERS])
    assert summary == {"created": 6, "updated": 0, "unchanged": 0}
    run_jobs()

    for name in OPEN_DATA:
        dataset = call_action("package_show", context=ANONYMOUS, id=name)
        assert dataset["private"] is False, name
        assert call_action("optout_dataset_show", id=name)["state"] == "open"
        for resource in dataset["resources"]:
            assert call_action("anonymize_resource_status_show", id=resource["id"])["status"] == "published"
    found = {d["name"] for d in call_action("package_search", context=ANONYMOUS, q="人口")["results"]}
    assert "population-statistics" in found

    assert call_action("optout_dataset_show", id=AWARDS)["state"] == "open"
    assert call_action("package_show", context=ANONYMOUS, id=AWARDS)["private"] is False
    assert call_action("optout_dataset_show", id=VOLUNTEERS)["state"] == "notice"
    notices = call_action("optout_notice_list", context=ANONYMOUS)["results"]
    assert [n["name"] for n in notices] == [VOLUNTEERS]
    stock = call_action("optout_stock_list", context=ANONYMOUS)["results"]
    assert [s["name"] for s in stock] == [BARBERS]  # listed, as staff would list it

    # every release before its deadline says why, in the opt-out audit log
    releases = [
        entry
        for entry in call_action("optout_audit_list", limit=1000)["results"]
        if entry["action"] == "dataset_open"
    ]
    assert len(releases) == len(OPEN_DATA) + 1 and all(entry["detail"].get("reason") for entry in releases)

    again = loader.load_demo(only=[*OPEN_DATA, AWARDS, VOLUNTEERS, BARBERS])
    assert again == {"created": 0, "updated": 0, "unchanged": 6}
