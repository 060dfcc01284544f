"""An upgrade of the Docker deployment: an operator on an earlier release of the suite (built from
commit UPGRADE_FROM of this repository with today's Dockerfiles) builds the new release,
`docker compose up -d` and runs `ckan db upgrade`: the migrations since then run on live data and
nothing is lost. Run by `make test-docker` on a stack of its own."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from docker_stack import ROOT, STATE, Stack, docker
from people import cp932_csv, register
from portal import ADMIN, ADMIN_PASSWORD, ORG, PROJECT, resource_status, wait_status

pytestmark = pytest.mark.docker

# The suite before the migrations of the opt-out lifecycle rules, the encrypted contact and the
# publication state machine.
UPGRADE_FROM = "a113e57"
# Its plugins: the roundtable plugin came later (the new release adds it to CKAN__PLUGINS, and
# init runs its migration on the first start).
UPGRADE_FROM_PLUGINS = "gifu scheming_datasets dcat optout anonymize datastore envvars"


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
    # Today's Dockerfile copies every plugin folder of today; a folder the release did not have
    # is copied empty (its setup.py installs nothing from it).
    for folder in ("ckanext-roundtable",):
        (context / folder).mkdir(exist_ok=True)
    override = STATE / "upgrade-from.yml"
    service = (
        f"    image: gifu-opendata/ckan:upgrade-from\n"
        f"    build: {{context: {context}, dockerfile: docker/ckan/Dockerfile}}\n"
        f"    environment:\n"
        f'      CKAN__PLUGINS: "{UPGRADE_FROM_PLUGINS}"\n'
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
