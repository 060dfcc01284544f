"""The Docker deployment (docker/) built and run for real, as an operator's first hour: a whole stack
started with `docker compose up` on a fresh .env, the images it runs, the portal used over HTTPS
through nginx as staff and residents use it, and a `docker compose down && up`. Run by
`make test-docker` (dev/docker.sh builds the images first); `make test` skips these tests.

The live tests run in the order of their files' numbers and build on each other: one stack (the
`stack` fixture of conftest.py), what they make kept in `state`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from docker_stack import HTTP_PORT, SITE_URL, csrf_token, docker, wait_for
from people import FIRST, cp932_csv, register, rows_of
from portal import (
    ADMIN,
    ADMIN_PASSWORD,
    DATASET,
    ORG,
    SERVICES,
    STAFF,
    STAFF_PASSWORD,
    login,
    public_download,
    resource_status,
    wait_status,
)

pytestmark = pytest.mark.docker


# ============================================================================== the first hour
def test_compose_up_on_a_fresh_env_brings_every_service_to_healthy(stack, state):
    started = time.monotonic()
    stack.up()
    state["up_seconds"] = round(time.monotonic() - started)
    containers = stack.containers("")
    assert {c["Service"] for c in containers} == SERVICES
    for container in containers:
        assert container["State"] == "running" and container["Health"] == "healthy", container
    # Nobody runs as root.
    for service in SERVICES:
        assert stack.exec(service, "id", "-u").strip() != "0", service
    # Only nginx is published, on loopback.
    published = [
        c for c in containers if c.get("Publishers") and any(p.get("PublishedPort") for p in c["Publishers"])
    ]
    assert [c["Service"] for c in published] == ["nginx"]
    assert all(
        p["URL"] in ("127.0.0.1", "") for c in published for p in c["Publishers"] if p.get("PublishedPort")
    )
    # The database was created once and every migration of CKAN and the plugins is applied.
    assert stack.logs("db").count("[gifu-db] cluster ready") == 1
    init = stack.logs("ckan", tail=400)
    for step in (
        "$ ckan db upgrade",
        "$ ckan db upgrade -p optout",
        "$ ckan db upgrade -p anonymize",
        "DataStore permissions set",
        "search index is up to date",
    ):
        assert step in init, step
    pending = stack.ckan("db", "pending-migrations")
    assert "optout" not in pending and "anonymize" not in pending, pending
    print(f"stack healthy after {state['up_seconds']} s")


def foreign_certificate_lines(bundle: Path) -> list[str]:
    """One base64 line of each certificate of the build CA bundle that Debian's ca-certificates
    does not ship (the TLS-inspecting proxy's, here): what must not be found in any image."""
    debian = "".join(path.read_text() for path in Path("/usr/share/ca-certificates").rglob("*.crt"))
    found = []
    for block in re.findall(r"-----BEGIN CERTIFICATE-----\n(.*?)-----END", bundle.read_text(), re.S):
        lines = block.split()
        if lines[2] not in debian:
            found.append(lines[2])
    return found


def test_the_images_run_unprivileged_and_hold_neither_a_secret_nor_the_build_ca(stack, env_file):
    secrets = [
        line.split("=", 1)[1]
        for line in env_file.read_text().splitlines()
        if re.match(r"[A-Z_]*(PASSWORD|SECRET|SECRET_KEY)=", line)
    ]
    images = sorted({c["Image"] for c in stack.containers("")})
    assert len(images) == 5
    bundle = Path(os.environ.get("GIFU_BUILD_CA", "/etc/ssl/certs/ca-certificates.crt"))
    foreign = foreign_certificate_lines(bundle) if bundle.is_file() else []
    print(f"certificates of the build CA that Debian lacks: {len(foreign)}")
    for image in images:
        config = json.loads(docker("image", "inspect", image))[0]["Config"]
        assert config["User"] not in ("", "root", "0"), image
        environment = "\n".join(config["Env"])
        history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", image)
        for secret in secrets:
            assert secret not in environment and secret not in history, image
        if foreign:
            # every file of the image, read as root, searched for those certificates
            patterns = [arg for line in foreign for arg in ("-e", line)]
            found = subprocess.run(
                ["docker", "run", "--rm", "--user", "0", "--network", "none", "--entrypoint", "grep", image]
                + ["-rlF", "--exclude-dir=proc", "--exclude-dir=sys", "--exclude-dir=dev", *patterns, "/"],
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert found.returncode == 1 and not found.stdout, f"{image}: the build CA is in {found.stdout}"


def test_the_home_page_is_in_japanese_over_https_and_http_redirects(stack):
    http = stack.session()
    home = http.get(stack.url("/"), timeout=60)
    assert home.status_code == 200
    assert re.search(r'<html[^>]* lang="ja"', home.text), home.text[:300]
    assert "岐阜市オープンデータ" in home.text
    assert home.headers["Strict-Transport-Security"].startswith("max-age=")
    # CSS of the gifu theme, built from the design tokens inside the image.
    assert "gifu" in home.text and "/webassets/" in home.text
    plain = http.get(f"http://127.0.0.1:{HTTP_PORT}/dataset?q=x", timeout=30, allow_redirects=False)
    assert plain.status_code == 301 and plain.headers["Location"] == SITE_URL + "/dataset?q=x"


def test_operator_creates_the_sysadmin_and_staff(stack, state):
    # The commands of docker/README.md ("Create a sysadmin"), with the password given inline.
    stack.ckan("user", "add", ADMIN, "email=admin@example.jp", f"password={ADMIN_PASSWORD}")
    stack.ckan("sysadmin", "add", ADMIN)
    token = stack.ckan("user", "token", "add", ADMIN, "docker-test").strip().splitlines()[-1].strip()
    assert len(token) > 20
    state["token"] = token
    stack.api("organization_create", {"name": ORG, "title": "岐阜市 防災課（テスト）"}, token=token)
    stack.api(
        "user_create", {"name": STAFF, "email": "bosai@example.jp", "password": STAFF_PASSWORD}, token=token
    )
    stack.api("organization_member_create", {"id": ORG, "username": STAFF, "role": "editor"}, token=token)


def test_staff_log_in_through_the_form(stack, state):
    http = login(stack, STAFF, STAFF_PASSWORD)
    cookie = next(c for c in http.cookies if c.name == "ckan")
    assert cookie.secure, "the session cookie must be HTTPS-only"
    dashboard = http.get(stack.url("/dashboard/datasets"), timeout=60)
    assert dashboard.status_code == 200 and STAFF in dashboard.text
    state["staff"] = http


def test_a_cp932_csv_uploaded_by_staff_is_scrubbed_by_the_worker_and_published(stack, state):
    token, staff = state["token"], state["staff"]
    people = register(2000)
    original = cp932_csv(people)
    assert len(original) > 65536  # bigger than sync_max_bytes (compose.test.yml): the worker scrubs it
    state["people"], state["original"] = people, original

    # The dataset form, then the resource form with the file (as a browser posts them).
    form = staff.get(stack.url("/dataset/new"), timeout=60)
    assert form.status_code == 200
    created = staff.post(
        stack.url("/dataset/new"),
        timeout=120,
        allow_redirects=False,
        data={
            "_csrf_token": csrf_token(form.text),
            "title": "市民表彰受賞者名簿（テスト）",
            "name": DATASET,
            "notes": "市民表彰の受賞者の名簿です。",
            "owner_org": ORG,
            "license_id": "PDL-1.0",
            "frequency": "annual",
            "contact_name": "岐阜市 防災課",
            "save": "continue",
        },
    )
    assert created.status_code == 302, created.text[:2000]
    resource_form = staff.get(stack.url(f"/dataset/{DATASET}/resource/new"), timeout=60)
    uploaded = staff.post(
        stack.url(f"/dataset/{DATASET}/resource/new"),
        timeout=300,
        allow_redirects=False,
        data={
            "_csrf_token": csrf_token(resource_form.text),
            "id": "",
            "url_type": "upload",
            "url": "",
            "name": "受賞者名簿",
            "description": "",
            "format": "CSV",
            "save": "go-dataset-complete",
        },
        files={"upload": ("jushosha.csv", original, "text/csv")},
    )
    assert uploaded.status_code == 302, uploaded.text[:2000]
    dataset = stack.api("package_show", {"id": DATASET}, token=token)
    resource_id = dataset["resources"][0]["id"]
    state["resource_id"] = resource_id
    # New datasets start in the closed stock (CKANEXT__OPTOUT__STOCK_BY_DEFAULT=true).
    assert dataset["private"] is True
    assert stack.api("optout_dataset_show", {"id": DATASET}, token=token)["state"] == "stock"

    wait_status(stack, token, resource_id, {"review"})
    assert resource_id in stack.logs("worker", tail=2000), "the derivation did not run in the worker"
    # What staff set for a register of people: the subject-key columns of the opt-out, and the
    # columns published on purpose (the recipients' names and awards).
    stack.api(
        "optout_resource_configure",
        {
            "resource_id": resource_id,
            "subject_columns": {"name": "氏名", "name_kana": "フリガナ", "birth_date": "生年月日"},
        },
        token=token,
    )
    stack.api(
        "anonymize_resource_policy_update",
        {"id": resource_id, "columns": {"氏名": "keep", "受賞名": "keep", "功績": "keep"}},
        token=token,
    )
    wait_status(stack, token, resource_id, {"review"})

    # Staff approve the scrubbed copy on its review page (a form with the CSRF token).
    page = staff.get(stack.url(f"/dataset/{DATASET}/resource/{resource_id}/anonymize"), timeout=60)
    assert page.status_code == 200
    approved = staff.post(
        stack.url(f"/dataset/{DATASET}/resource/{resource_id}/anonymize/publish"),
        data={"_csrf_token": csrf_token(page.text)},
        timeout=120,
        allow_redirects=False,
    )
    assert approved.status_code == 302, approved.text[:1000]
    assert resource_status(stack, token, resource_id)["status"] == "published"
    # Still private: nothing is public before the dataset leaves the stock.
    assert public_download(stack, DATASET, resource_id)[0] in (403, 404)
    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    stack.api("optout_dataset_notice", {"id": DATASET, "deadline": deadline}, token=token)
    stack.api(
        "optout_dataset_release",
        {"id": DATASET, "early": True, "reason": "Docker 構成の試験 (test of the Docker deployment)"},
        token=token,
    )

    status, body = public_download(stack, DATASET, resource_id)
    assert status == 200
    rows = rows_of(body)
    assert len(rows) == len(people) + 1
    published = dict(zip(rows[0], rows[1]))
    assert published["氏名"] == FIRST[0] and published["受賞名"] == people[0][5]
    text = body.decode("utf-8-sig")
    for person in people[:500]:
        assert person[2] not in text and person[4] not in text and person[3] not in text, person
    state["published_sha256"] = hashlib.sha256(body).hexdigest()

    # The original stays closed: not for the public, byte for byte for the organization's staff.
    anonymous = stack.session().get(stack.url(f"/anonymize/original/{resource_id}"), timeout=60)
    assert anonymous.status_code in (403, 404)
    closed = staff.get(stack.url(f"/anonymize/original/{resource_id}"), timeout=120)
    assert closed.status_code == 200 and closed.content == original


def test_an_opt_out_filed_through_the_public_form_removes_the_row(stack, state):
    resident = stack.session()
    form = resident.get(stack.url("/optout/request"), timeout=60)
    assert form.status_code == 200
    name = FIRST[0]
    filed = resident.post(
        stack.url("/optout/request"),
        timeout=120,
        data={
            "_csrf_token": csrf_token(form.text),
            "name": name.replace(" ", "\u3000"),
            "birth_date": "昭和33年7月14日",
            "scope": "all",
        },
        headers={"Referer": stack.url("/optout/request")},
    )
    assert filed.status_code == 200, filed.text[:1000]
    found = re.search(r"\b(\d{4}-\d{4}-\d{4}|[A-Z0-9]{4}-[A-Z0-9]{4}(?:-[A-Z0-9]{4})?)\b", filed.text)
    state["optout_page"] = filed.text
    assert found or "受付番号" in filed.text

    def without_the_row():
        status, body = public_download(stack, DATASET, state["resource_id"])
        if status != 200:
            return None  # withdrawn at once, re-derived in the background
        names = [row[0] for row in rows_of(body)[1:]]
        assert name not in names or len(names) == len(state["people"]), (
            "a file with the row after the opt-out"
        )
        return body if name not in names else None

    body = wait_for("the re-derived file without the resident", without_the_row, 600, every=2)
    rows = rows_of(body)
    assert len(rows) == len(state["people"])  # header + everyone but the resident
    state["published_sha256"] = hashlib.sha256(body).hexdigest()
    requests_ = stack.api("optout_request_list", {}, token=state["token"])
    state["optout_count"] = requests_["count"]
    assert state["optout_count"] == 1


def test_japanese_search_finds_a_word_inside_a_compound(stack):
    """The title 市民表彰受賞者名簿 is one compound; Solr's Japanese analysis (Kuromoji, the gifu
    schema) splits it, so its parts find the dataset, on the search page and in the API."""
    http = stack.session()
    for word in ("表彰", "受賞者", "名簿"):
        found = stack.api("package_search", {"q": word, "rows": 50}, http=http)["results"]
        assert DATASET in {d["name"] for d in found}, word
    page = http.get(stack.url("/dataset/"), params={"q": "受賞者"}, timeout=60)
    assert page.status_code == 200 and f"/dataset/{DATASET}" in page.text
    assert DATASET not in {
        d["name"] for d in stack.api("package_search", {"q": "人口"}, http=http)["results"]
    }


def test_the_demo_loads_with_one_command(stack, state):
    # docker/README.md: `docker compose exec ckan ckan gifu load-demo`
    output = stack.ckan("gifu", "load-demo", timeout=1800)
    assert "created" in output
    http = stack.session()
    search = stack.api("package_search", {"q": "人口", "rows": 50}, http=http)
    assert "population-statistics" in {d["name"] for d in search["results"]}
    # The demo behaves as in `make run`, although docker stocks new datasets by default: the
    # award list is open, the volunteers' register in notice, the barbers' register in stock.
    token = state["token"]
    states = {
        name: stack.api("optout_dataset_show", {"id": name}, token=token)["state"]
        for name in ("civic-award-recipients", "disaster-volunteer-register", "barber-beauty-shops-holders")
    }
    assert states == {
        "civic-award-recipients": "open",
        "disaster-volunteer-register": "notice",
        "barber-beauty-shops-holders": "stock",
    }
    public = stack.api("package_search", {"q": "*:*", "rows": 100}, http=http)["count"]
    assert public >= 28, f"only {public} public datasets after the demo load"
    again = stack.ckan("gifu", "load-demo", timeout=1800)
    assert " 0 created, 0 updated" in again, again


def test_data_survives_compose_down_and_up(stack, state):
    volumes = stack.volumes()
    stack.down()
    assert stack.volumes() == volumes
    stack.up()
    status, body = public_download(stack, DATASET, state["resource_id"])
    assert status == 200 and hashlib.sha256(body).hexdigest() == state["published_sha256"]
    assert stack.api("optout_request_list", {}, token=state["token"])["count"] == state["optout_count"]
    search = stack.api("package_search", {"q": "受賞者"})
    assert DATASET in {d["name"] for d in search["results"]}
    login(stack, STAFF, STAFF_PASSWORD)
