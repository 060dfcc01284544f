"""Scale-out of the Docker deployment: `docker compose up --scale ckan=2 --scale worker=3` behind
nginx. Sessions and CSRF tokens hold when a browser's requests land on different web containers;
background jobs spread over the workers and each derivation is published once; a worker killed
in the middle of a job leaves nothing personal public and the job is completed by another worker
(the lease and sweep of ckanext-anonymize, README "When a part fails"). Runs after test_live_1_stack.py on
its stack (make test-docker)."""

from __future__ import annotations

import collections
import re
import threading
import time

import pytest
from docker_stack import Stack, csrf_token, docker, wait_for
from people import cp932_csv, register, rows_of
from portal import (
    DATASET,
    STAFF,
    STAFF_PASSWORD,
    audit_rows,
    login,
    public_download,
    resource_status,
    wait_status,
)

pytestmark = pytest.mark.docker


def upstreams(stack: Stack, marker: str) -> dict[str, str]:
    """probe id -> the ckan replica (address) nginx sent the request to, from nginx's log."""
    found = {}
    for line in stack.logs("nginx", tail=5000).splitlines():
        match = re.search(rf"[?&]{marker}=(\w+)[ &].*upstream=([\d.:]+)", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_scale_out_brings_two_web_containers_and_three_workers(stack, state):
    stack.up(scale={"ckan": 2, "worker": 3})
    assert len(stack.containers("ckan")) == 2 and len(stack.containers("worker")) == 3
    for container in stack.containers("ckan") + stack.containers("worker"):
        assert container["Health"] == "healthy", container
    assert len(stack.containers("scheduler")) == 1
    # nginx follows the replicas (its entrypoint reloads when `ckan` resolves to new addresses).
    http = stack.session()

    def both_answer():
        for n in range(8):
            assert http.get(stack.url(f"/api/3/action/status_show?warm={time.time_ns()}{n}"), timeout=60).ok
        recent = upstreams(stack, "warm")
        return len(set(recent.values())) == 2

    wait_for("nginx to balance over both web containers", both_answer, 120, every=5)


def test_sessions_and_csrf_hold_across_web_containers(stack, state):
    staff = login(stack, STAFF, STAFF_PASSWORD)
    token = state["token"]
    results = []
    for n in range(12):
        form = staff.get(stack.url(f"/dataset/edit/{DATASET}?probe=g{n}"), timeout=60)
        assert form.status_code == 200 and "_csrf_token" in form.text, f"request {n}: not logged in any more"
        notes = f"市民表彰の受賞者の名簿です（編集 {n}）。"
        saved = staff.post(
            stack.url(f"/dataset/edit/{DATASET}?probe=p{n}"),
            timeout=120,
            allow_redirects=False,
            data={
                "_csrf_token": csrf_token(form.text),
                "title": "市民表彰受賞者名簿（テスト）",
                "name": DATASET,
                "notes": notes,
                "owner_org": "gifu-city-test",
                "license_id": "PDL-1.0",
                "frequency": "annual",
                "contact_name": "岐阜市 防災課",
                "save": "保存",
            },
        )
        assert saved.status_code == 302, f"request {n}: {saved.status_code} {saved.text[:500]}"
        assert stack.api("package_show", {"id": DATASET}, token=token)["notes"] == notes
        results.append(n)
    seen = upstreams(stack, "probe")
    crossed = [
        n for n in results if seen.get(f"g{n}") and seen.get(f"p{n}") and seen[f"g{n}"] != seen[f"p{n}"]
    ]
    print(f"form served by one web container and posted to the other: {len(crossed)} of {len(results)}")
    assert len(set(seen.values())) == 2, seen
    assert crossed, "no form was posted to another web container than the one that served it"


def test_jobs_spread_over_the_workers_and_each_is_published_once(stack, state):
    token = state["token"]
    http = stack.session()
    ids = []
    for n in range(6):
        body = cp932_csv(register(1500, seed=10 + n))
        created = http.post(
            stack.url("/api/3/action/resource_create"),
            headers={"Authorization": token},
            data={"package_id": DATASET, "name": f"受賞者名簿 {n}", "format": "CSV", "url": ""},
            files={"upload": (f"meibo-{n}.csv", body, "text/csv")},
            timeout=300,
        )
        assert created.status_code == 200, created.text[:1000]
        ids.append(created.json()["result"]["id"])
    for resource_id in ids:
        wait_status(stack, token, resource_id, {"review"}, timeout=1800)
    runs = collections.defaultdict(set)
    logs = stack.logs("worker", tail=20000)
    for line in logs.splitlines():
        for resource_id in ids:
            if resource_id in line and "starts job" in line:
                runs[resource_id].add(line.split("|")[0].strip())
    workers = set().union(*runs.values())
    print(f"derivations per worker: {collections.Counter(w for ws in runs.values() for w in ws)}")
    assert len(workers) >= 2, f"every job ran on the same worker: {dict(runs)}"
    for resource_id in ids:
        stack.api("anonymize_resource_publish", {"id": resource_id}, token=token)
    time.sleep(15)  # two sweeps: nothing may derive or publish a second time
    for resource_id in ids:
        trail = audit_rows(stack, resource_id)
        derived = [generation for action, generation in trail if action == "derived"]
        published = [generation for action, generation in trail if action == "publish"]
        assert len(derived) == len(set(derived)) == 1, (resource_id, trail)
        assert published == derived, (resource_id, trail)
        assert resource_status(stack, token, resource_id)["status"] == "published"
    state["scale_resources"] = ids


def test_a_worker_killed_mid_job_leaves_nothing_public_and_another_completes_the_job(stack, state):
    token = state["token"]
    people = register(60000, seed=99)
    body = cp932_csv(people)
    http = stack.session()
    created = http.post(
        stack.url("/api/3/action/resource_create"),
        headers={"Authorization": token},
        data={"package_id": DATASET, "name": "大きな名簿", "format": "CSV", "url": ""},
        files={"upload": ("ookina-meibo.csv", body, "text/csv")},
        timeout=600,
    )
    assert created.status_code == 200, created.text[:1000]
    resource_id = created.json()["result"]["id"]

    # Whatever happens next, an anonymous visitor never gets this resource's file before it is
    # scrubbed and approved: checked continuously from another thread.
    leaks, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            status, content = public_download(stack, DATASET, resource_id)
            if status == 200 and content:
                leaks.append(content[:200])
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:

        def running_on():
            for line in stack.logs("worker", tail=5000).splitlines():
                if resource_id in line and "starts job" in line:
                    return line.split("|")[0].strip()
            return None

        victim = wait_for("a worker to start the job", running_on, 300, every=1)
        time.sleep(3)  # mid-job: the scrub of 60,000 rows takes longer
        assert resource_status(stack, token, resource_id)["status"] == "processing"
        # compose's log prefix is service-index; the container is project-service-index
        docker("kill", "--signal", "KILL", f"{stack.project}-{victim}")
        print(f"killed {victim} while it scrubbed {resource_id}")

        killed_at = time.monotonic()

        def completed():
            status = resource_status(stack, token, resource_id)
            # Either the sweep finds the job's lease expired (job_lost) and starts it again, or
            # RQ's abandoned-job handling records the killed job as failed first (job_failed, a
            # transient failure) and the sweep retries it: both end on another worker.
            assert status["status"] != "blocked", status
            if status["status"] == "failed":
                assert status["failure_code"] == "job_failed", status
                return None
            return status if status["status"] == "review" else None

        wait_for(f"resource {resource_id} to be derived again", completed, 1200, every=3)
        print(f"derived again {time.monotonic() - killed_at:.0f} s after the kill")
        trail = [action for action, _ in audit_rows(stack, resource_id)]
        print(f"audit trail: {trail}")
        assert "job_lost" in trail or {"job_failed", "rescrub"} <= set(trail), trail
        assert trail.count("derived") == 1, trail
        finishers = {
            line.split("|")[0].strip()
            for line in stack.logs("worker", tail=20000).splitlines()
            if resource_id in line and "starts job" in line
        }
        assert finishers - {victim}, f"no other worker ran the job: {finishers}"
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert not leaks, f"the file was public before it was approved: {leaks[0]!r}"
    stack.api("anonymize_resource_publish", {"id": resource_id}, token=token)
    status, published = public_download(stack, DATASET, resource_id)
    assert status == 200
    text = published.decode("utf-8-sig")
    assert len(rows_of(published)) == len(people) + 1
    for person in people[:300]:
        assert person[0] not in text and person[4] not in text, person
    # `docker kill` counts as stopped by hand (restart: unless-stopped leaves it); `up --scale`
    # starts it again.
    stack.up(scale={"ckan": 2, "worker": 3})
    assert len([c for c in stack.containers("worker") if c["Health"] == "healthy"]) == 3
