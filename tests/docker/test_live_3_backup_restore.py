"""Backup and restore of the Docker deployment with the commands docker/README.md gives operators
(docker/backup.sh, docker/restore.sh): the backup of the running stack, restored into a fresh
stack with the same .env, brings back datasets, users, API tokens, the public files, the closed
originals and the opt-out registry (which still matches). Runs after test_live_1_stack.py and
test_live_2_scale.py on their stack (make test-docker)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
from docker_stack import ROOT, STATE, Stack
from people import FIRST, rows_of
from portal import DATASET, PROJECT, STAFF, STAFF_PASSWORD, login, public_download, wait_status

pytestmark = pytest.mark.docker


# ===================================================================== backup and restore
def test_backup_and_restore_into_a_fresh_stack_bring_everything_back(stack, state, env_file):
    backup = STATE / "backup"
    shutil.rmtree(backup, ignore_errors=True)
    compose = " ".join(stack.compose_command())
    subprocess.run(
        ["bash", str(ROOT / "docker" / "backup.sh"), str(backup)],
        check=True,
        cwd=ROOT / "docker",
        env={**stack.environ(), "GIFU_COMPOSE": compose},
        timeout=900,
    )
    assert {p.name for p in backup.iterdir()} >= {
        "ckan.dump",
        "datastore.dump",
        "storage.tar.gz",
        "SHA256SUMS",
    }
    stack.down()  # the old host is gone; its volumes stay for the rest of the tests

    fresh = Stack(f"{PROJECT}-restore", env_file)  # the same .env: the secrets go with the backups
    fresh.down(volumes=True)
    try:
        subprocess.run(
            ["bash", str(ROOT / "docker" / "restore.sh"), str(backup)],
            check=True,
            cwd=ROOT / "docker",
            env={**fresh.environ(), "GIFU_COMPOSE": " ".join(fresh.compose_command())},
            timeout=1800,
        )
        fresh.up()
        token = state["token"]  # API tokens are in the database
        status, body = public_download(fresh, DATASET, state["resource_id"])
        assert status == 200 and hashlib.sha256(body).hexdigest() == state["published_sha256"]
        staff = login(fresh, STAFF, STAFF_PASSWORD)
        closed = staff.get(fresh.url(f"/anonymize/original/{state['resource_id']}"), timeout=120)
        assert closed.status_code == 200 and closed.content == state["original"]
        registry = fresh.api("optout_request_list", {}, token=token)
        assert registry["count"] == state["optout_count"]
        # The registry still matches (its keyed hashes need the same secret): a re-derivation
        # from the restored original leaves the resident out again.
        fresh.api("anonymize_resource_rescrub", {"id": state["resource_id"]}, token=token)
        wait_status(fresh, token, state["resource_id"], {"published"})
        names = [row[0] for row in rows_of(public_download(fresh, DATASET, state["resource_id"])[1])[1:]]
        assert FIRST[0] not in names and len(names) == len(state["people"]) - 1
        # The search index was rebuilt from the database on the first start.
        assert DATASET in {d["name"] for d in fresh.api("package_search", {"q": "受賞者"})["results"]}
    finally:
        fresh.down(volumes=True)
