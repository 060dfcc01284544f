"""The Docker deployment (docker/) built and run for real: a whole stack of the images started with
`docker compose up` on a fresh .env, used over HTTPS through nginx as staff and residents use the
portal, stopped and started again, backed up and restored into a fresh stack, and upgraded from an
earlier release of the suite. Run by `make test-docker` (dev/docker.sh), which builds the images
first; `make test` skips these tests.

The tests run in order and build on each other (one stack, like an operator's first hour)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import time

import pytest
from docker_stack import HTTP_PORT, ROOT, SITE_URL, STATE, Stack, csrf_token, docker, wait_for
from people import FIRST, cp932_csv, register, rows_of

pytestmark = pytest.mark.docker

PROJECT = "gifu-test"  # the stack of conftest.py
SERVICES = {"nginx", "ckan", "worker", "scheduler", "db", "solr", "redis"}
ADMIN, ADMIN_PASSWORD = "admin", "Gifu-admin-2026-docker"
STAFF, STAFF_PASSWORD = "bosai-tanto", "Gifu-staff-2026-docker"
ORG = "gifu-city-test"
DATASET = "shimin-hyosho-jushosha-docker"
# The suite before the migrations of the opt-out lifecycle rules, the encrypted contact and the
# publication state machine: the release an operator upgrades from in test_upgrade_keeps_the_data.
UPGRADE_FROM = "a113e57"


def login(stack: Stack, user: str, password: str):
    """A browser-like session logged in through the login form (CSRF token included)."""
    http = stack.session()
    page = http.get(stack.url("/user/login"), timeout=60)
    assert page.status_code == 200
    response = http.post(
        stack.url("/user/login"),
        timeout=60,
        allow_redirects=False,
        data={"login": user, "password": password, "_csrf_token": csrf_token(page.text)},
        headers={"Referer": stack.url("/user/login")},
    )
    assert response.status_code == 302, response.text[:500]
    assert "/user/login" not in response.headers["Location"], "login refused"
    return http


def resource_status(stack: Stack, token: str, resource_id: str) -> dict:
    return stack.api("anonymize_resource_status_show", {"id": resource_id}, token=token)


def wait_status(stack: Stack, token: str, resource_id: str, wanted: set[str], timeout: float = 900) -> dict:
    def check():
        status = resource_status(stack, token, resource_id)
        assert status["status"] not in {"failed", "blocked"}, status
        return status if status["status"] in wanted else None

    return wait_for(f"resource {resource_id} to be {wanted}", check, timeout, every=3)


def public_download(stack: Stack, dataset: str, resource_id: str) -> tuple[int, bytes]:
    """What an anonymous visitor gets for the resource's file."""
    response = stack.session().get(
        stack.url(f"/dataset/{dataset}/resource/{resource_id}/download/data.csv"),
        timeout=120,
        allow_redirects=True,
    )
    return response.status_code, response.content


def audit_rows(stack: Stack, resource_id: str) -> list[tuple[str, str]]:
    """(action, generation) of the anonymize audit trail of a resource, from PostgreSQL."""
    out = stack.exec(
        "db",
        "psql",
        "-U",
        "postgres",
        "-d",
        "ckan",
        "-tA",
        "-F",
        "|",
        "-c",
        f"SELECT action, coalesce(detail->>'generation', '') FROM anonymize_audit "
        f"WHERE resource_id = '{resource_id}' ORDER BY id",
    )
    return [tuple(line.split("|", 1)) for line in out.splitlines() if line.strip()]


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
    people = register(6000)
    original = cp932_csv(people)
    assert len(original) > 1024 * 1024  # bigger than sync_max_bytes: the worker scrubs it
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
            "name": "受賞者名簿",
            "format": "CSV",
            "url": "",
            "save": "go-metadata",
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


def test_the_demo_loads_with_one_command_and_japanese_search_finds_a_compound_word(stack, state):
    # docker/README.md: `docker compose exec ckan ckan gifu load-demo`
    output = stack.ckan("gifu", "load-demo", timeout=1800)
    assert "created" in output
    http = stack.session()
    search = stack.api("package_search", {"q": "人口", "rows": 50}, http=http)
    assert "population-statistics" in {d["name"] for d in search["results"]}
    page = http.get(stack.url("/dataset/?q=%E4%BA%BA%E5%8F%A3"), timeout=60)  # 人口, the search page
    assert page.status_code == 200 and "/dataset/population-statistics" in page.text
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
        assert "population-statistics" in {
            d["name"] for d in fresh.api("package_search", {"q": "人口"})["results"]
        }
    finally:
        fresh.down(volumes=True)


# ================================================================================= upgrade
def test_upgrade_from_an_earlier_release_keeps_the_data(env_file, state):
    """An operator on an earlier release (built from commit UPGRADE_FROM of this repository with
    today's Dockerfiles) pulls the new release, builds, `docker compose up -d` and runs
    `ckan db upgrade`: the opt-out, optout and anonymize migrations since then run on live data."""
    if subprocess.run(["git", "cat-file", "-e", f"{UPGRADE_FROM}^{{commit}}"], cwd=ROOT).returncode != 0:
        pytest.skip(
            f"commit {UPGRADE_FROM} is not in this clone (shallow?): no earlier release to upgrade from"
        )
    context = STATE / "upgrade-from"
    shutil.rmtree(context, ignore_errors=True)
    context.mkdir(parents=True)
    archive = subprocess.run(
        [
            "git",
            "archive",
            UPGRADE_FROM,
            "setup.py",
            "pyproject.toml",
            "README.md",
            "ckanext-gifu",
            "ckanext-optout",
            "ckanext-anonymize",
            "ckanext-jatext",
            "requirements/xloader.txt",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(context)], input=archive, check=True)
    shutil.copytree(ROOT / "docker" / "ckan", context / "docker" / "ckan")
    override = STATE / "upgrade-from.yml"
    service = (
        f"    image: gifu-opendata/ckan:upgrade-from\n"
        f"    build: {{context: {context}, dockerfile: docker/ckan/Dockerfile}}\n"
    )
    override.write_text(
        "services:\n" + "".join(f"  {name}:\n{service}" for name in ("ckan", "worker", "scheduler"))
    )
    old = Stack(f"{PROJECT}-upgrade", env_file, extra_files=(override,))
    new = Stack(f"{PROJECT}-upgrade", env_file)
    old.down(volumes=True)
    try:
        old.compose("build", "ckan", timeout=3600)
        old.up()
        old.ckan("user", "add", ADMIN, "email=admin@example.jp", f"password={ADMIN_PASSWORD}")
        old.ckan("sysadmin", "add", ADMIN)
        token = old.ckan("user", "token", "add", ADMIN, "upgrade").strip().splitlines()[-1].strip()
        old.api("organization_create", {"name": ORG}, token=token)
        people = register(40, seed=3)
        dataset = old.api(
            "package_create",
            {
                "name": "upgrade-register",
                "title": "更新前の名簿",
                "owner_org": ORG,
                "license_id": "PDL-1.0",
                "frequency": "annual",
                "contact_name": "岐阜市",
            },
            token=token,
        )
        http = old.session()
        created = http.post(
            old.url("/api/3/action/resource_create"),
            headers={"Authorization": token},
            data={"package_id": dataset["id"], "name": "名簿", "format": "CSV", "url": ""},
            files={"upload": ("meibo.csv", cp932_csv(people), "text/csv")},
            timeout=300,
        )
        assert created.status_code == 200, created.text[:1000]
        resource_id = created.json()["result"]["id"]
        old_status = wait_status(old, token, resource_id, {"review", "published"})
        filed = old.api(
            "optout_request_create",
            {
                "subject": {"name": people[1][0], "birth_date": people[1][2]},
                "contact": "upgrade-contact@example.jp",
            },
        )
        assert filed["reference"]
        clear = old.exec(
            "db",
            "psql",
            "-U",
            "postgres",
            "-d",
            "ckan",
            "-tAc",
            "SELECT count(*) FROM optout_request WHERE contact = 'upgrade-contact@example.jp'",
        )
        assert clear.strip() == "1", "the earlier release kept the contact in clear"

        # The new release: the current images, `up -d` (migrations at start), `ckan db upgrade`.
        new.up()
        new.ckan("db", "upgrade")
        pending = new.ckan("db", "pending-migrations")
        assert "optout" not in pending and "anonymize" not in pending, pending
        assert (
            new.api("package_show", {"id": "upgrade-register"}, token=token)["resources"][0]["id"]
            == resource_id
        )
        status = resource_status(new, token, resource_id)
        assert status["status"] == old_status["status"] and status["generation"] >= 1
        assert (
            new.exec(
                "db",
                "psql",
                "-U",
                "postgres",
                "-d",
                "ckan",
                "-tAc",
                "SELECT count(*) FROM optout_request WHERE contact LIKE '%@example.jp'",
            ).strip()
            == "0"
        )
        listed = new.api("optout_request_list", {}, token=token)
        assert listed["count"] == 1
        assert listed["results"][0].get("contact") == "upgrade-contact@example.jp"
        closed = new.session().get(
            new.url(f"/anonymize/original/{resource_id}"), headers={"Authorization": token}, timeout=120
        )
        assert closed.status_code == 200 and closed.content == cp932_csv(people)
    finally:
        new.down(volumes=True)
        docker("image", "rm", "-f", "gifu-opendata/ckan:upgrade-from", check=False)
