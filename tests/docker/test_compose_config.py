"""What Compose itself makes of docker/compose.yml with an env file written by gen-env.sh, asked of
`docker compose config` (needs the docker CLI with its compose plugin, not a running engine;
skipped where it is missing, run by `make test-docker`)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from deployment import COMPOSE_FILE, DOCKER, SECRETS, SERVICES, compose_cli

COMPOSE = compose_cli()
pytestmark = pytest.mark.skipif(
    COMPOSE is None, reason="no `docker compose` here (make test-docker installs it)"
)


# Compose lets the shell's variables win over the env file: the test runner's own CKAN_* settings
# (dev/test.sh exports them) must not reach it, as they would not on an operator's machine.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME") or k.startswith("DOCKER")}


def gen_env(path, **settings):
    command = ["bash", str(DOCKER / "gen-env.sh"), "--force", "--output", str(path)]
    subprocess.run(
        command + [f"{k}={v}" for k, v in settings.items()], check=True, capture_output=True, env=CLEAN_ENV
    )
    return path


def config(env_file, *args):
    return subprocess.run(
        [
            *COMPOSE,
            "--project-directory",
            str(DOCKER),
            "-f",
            str(COMPOSE_FILE),
            "--env-file",
            str(env_file),
            "config",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=CLEAN_ENV,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    env_file = gen_env(
        tmp_path_factory.mktemp("env") / "test.env", CKAN_SITE_URL="https://opendata.example.jp"
    )
    result = config(env_file, "--format", "json")
    assert result.returncode == 0, result.stderr
    # no variable silently became empty (Compose warns "The X variable is not set")
    assert "not set" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def test_a_fresh_env_from_gen_env_renders_every_service(rendered):
    assert set(rendered["services"]) == SERVICES


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_compose_refuses_to_start_without_each_secret(tmp_path, secret):
    env_file = gen_env(tmp_path / "test.env")
    lines = env_file.read_text().splitlines()
    env_file.write_text("\n".join(f"{secret}=" if line.startswith(f"{secret}=") else line for line in lines))
    result = config(env_file, "--quiet")
    assert result.returncode != 0 and secret in result.stderr


def test_the_ckan_containers_get_the_addresses_of_the_services(rendered):
    env = rendered["services"]["ckan"]["environment"]
    assert env["CKAN_SQLALCHEMY_URL"].startswith("postgresql://ckan:") and env[
        "CKAN_SQLALCHEMY_URL"
    ].endswith("@db:5432/ckan")
    assert env["CKAN_DATASTORE_READ_URL"].startswith("postgresql://datastore_ro:")
    assert env["CKAN_SOLR_URL"] == "http://solr:8983/solr/ckan"
    assert env["CKAN_REDIS_URL"].endswith("@redis:6379/0")
    assert env["CKAN__SITE_TITLE"] == "岐阜市オープンデータ"
    assert env["GIFU_TRUSTED_PROXIES"] == "1"
    # the secrets reach the containers that need them, and only those
    assert (
        rendered["services"]["nginx"]["environment"]
        .keys()
        .isdisjoint({"CKAN___SECRET_KEY", "REDIS_PASSWORD"})
    )


def test_images_are_named_and_tagged_and_the_certificate_folder_is_in_docker(rendered):
    for name, service in rendered["services"].items():
        assert service["image"].startswith("gifu-opendata/") and service["image"].endswith(":0.1.0"), name
    (mount,) = rendered["services"]["nginx"]["volumes"]
    assert mount["source"] == str(DOCKER / "nginx" / "certs") and mount["read_only"] is True
