"""Many residents at once, against a live portal with a real worker: opt-outs and withdrawals
filed from parallel clients over HTTP while the resources are being re-derived and reloaded into
the DataStore. At the end every active opt-out's rows are absent from the files, the DataStore
and search, and every withdrawn one is back."""

from __future__ import annotations

import io
import json
import random
import threading
import time
import urllib.error
import urllib.request

import ckan.model as model
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from real_parts import Worker, wait_for
from werkzeug.datastructures import FileStorage

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout anonymize datastore xloader"),
    pytest.mark.ckan_config("ckanext.optout.rate_limit.request", "1000"),
    pytest.mark.ckan_config("ckanext.optout.rate_limit.check", "1000"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_queues", "clean_index"),
]

RESIDENTS = [(f"長良 花子{chr(0x30A2 + i)}", f"19{60 + i}-0{1 + i % 9}-1{i % 9}") for i in range(16)]
RESOURCES = 3


def register_csv() -> bytes:
    lines = ["氏名,生年月日,住所,受賞名"]
    lines += [f"{name},{born},岐阜市司町{i}番地,市民文化賞" for i, (name, born) in enumerate(RESIDENTS)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def http(base: str, action: str, payload: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(
        f"{base}/api/3/action/{action}",
        data=data,
        headers={"Content-Type": "application/json", **({"Authorization": token} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def public_file(base: str, dataset: dict, resource: dict) -> str | None:
    try:
        with urllib.request.urlopen(
            f"{base}/dataset/{dataset['id']}/resource/{resource['id']}/download/r.csv", timeout=60
        ) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        assert err.code == 404
        return None


@pytest.fixture
def datastore_tables():
    from sqlalchemy import orm

    from ckanext.datastore.backend.postgres import get_write_engine
    from ckanext.datastore.tests.helpers import rebuild_all_dbs

    rebuild_all_dbs(orm.scoped_session(orm.sessionmaker(bind=get_write_engine())))


def test_parallel_opt_outs_and_withdrawals_converge_to_exactly_the_active_ones(
    live_server, datastore_tables, ckan_config, monkeypatch
):
    sysadmin = factories.SysadminWithToken()
    monkeypatch.setitem(ckan_config, "ckanext.xloader.api_token", sysadmin["token"])
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = factories.Dataset(owner_org=org["id"], title="市民表彰 受賞者一覧")
    staff = {"user": editor["name"], "ignore_auth": False}
    resources = []
    for n in range(RESOURCES):
        resource = call_action(
            "resource_create",
            context=staff,
            package_id=dataset["id"],
            name=f"受賞者{n}",
            upload=FileStorage(io.BytesIO(register_csv()), f"r{n}.csv"),
        )
        call_action(
            "anonymize_resource_policy_update", context=staff, id=resource["id"], columns={"氏名": "keep"}
        )
        call_action(
            "optout_resource_configure",
            context=staff,
            resource_id=resource["id"],
            subject_columns={"name": "氏名", "birth_date": "生年月日"},
        )
        call_action("anonymize_resource_publish", context=staff, id=resource["id"])
        resources.append(resource)

    worker = Worker(
        {
            "ckan.plugins": "optout anonymize datastore xloader",
            "ckan.site_url": live_server,
            "ckanext.xloader.api_token": sysadmin["token"],
        }
    )
    try:

        def loaded() -> bool:
            for r in resources:
                status, body = http(live_server, "datastore_search", {"resource_id": r["id"], "limit": 100})
                if status != 200 or body["result"]["total"] != len(RESIDENTS):
                    return False
            return True

        wait_for("the first DataStore loads", loaded, timeout=300, every=1)

        # Each client files two opt-outs and withdraws one of them, in a random order of steps,
        # while the worker re-derives and reloads.
        withdrawn, active, errors = set(), set(), []
        lock = threading.Lock()

        def client(pair: list[int]) -> None:
            try:
                filed = {}
                for i in pair:
                    name, born = RESIDENTS[i]
                    status, body = http(
                        live_server,
                        "optout_request_create",
                        {"subject": {"name": name, "birth_date": born}, "scope": "all"},
                    )
                    assert status == 200, body
                    filed[i] = body["result"]
                    time.sleep(random.random() * 0.3)
                gone = pair[0]
                status, body = http(
                    live_server,
                    "optout_request_withdraw",
                    {"reference": filed[gone]["reference"], "token": filed[gone]["token"]},
                )
                assert status == 200, body
                with lock:
                    withdrawn.add(gone)
                    active.add(pair[1])
            except Exception as err:  # noqa: BLE001 - reported below
                errors.append(err)

        random.seed(12)
        order = list(range(len(RESIDENTS)))
        random.shuffle(order)
        threads = [
            threading.Thread(target=client, args=([order[k], order[k + 1]],)) for k in range(0, len(order), 2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert errors == []
        assert len(active) == len(withdrawn) == len(RESIDENTS) // 2

        def converged() -> bool:
            call_action("anonymize_sweep", context={"ignore_auth": True, "user": ""})
            model.Session.remove()
            for r in resources:
                body = public_file(live_server, dataset, r)
                if body is None:
                    return False
                names = {RESIDENTS[i][0] for i in range(len(RESIDENTS)) if RESIDENTS[i][0] in body}
                if names != {RESIDENTS[i][0] for i in withdrawn}:
                    return False
                status, rows = http(live_server, "datastore_search", {"resource_id": r["id"], "limit": 100})
                if status != 200 or {rec["氏名"] for rec in rows["result"]["records"]} != names:
                    return False
            return True

        wait_for(
            "every public copy and DataStore table to hold exactly the withdrawn residents",
            converged,
            timeout=600,
            every=3,
        )
    finally:
        worker.stop()

    for i in active:
        status, found = http(live_server, "package_search", {"q": RESIDENTS[i][0]})
        assert status == 200 and found["result"]["count"] == 0
