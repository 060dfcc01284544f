"""The start-up scripts of the images, run on this machine with stand-in commands (part of
`make test`, no Docker needed): what the CKAN entrypoint runs for each role and when it refuses to
start, the init step's decisions, the scheduler's health check, the client address CKAN sees
behind nginx, the database init script, the nginx site, gen-env.sh; ShellCheck over every script."""

from __future__ import annotations

import importlib.util
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from deployment import DOCKER, SECRETS, env_example_names

PLUGINS = "gifu scheming_datasets dcat optout anonymize roundtable datastore envvars"
# What compose gives the CKAN containers, as far as the entrypoint reads it.
CKAN_ENV = {
    "CKAN_SITE_URL": "https://opendata.example.jp",
    "CKAN_SQLALCHEMY_URL": "postgresql://ckan:pw@db:5432/ckan",
    "CKAN_SOLR_URL": "http://solr:8983/solr/ckan",
    "CKAN_REDIS_URL": "redis://:pw@redis:6379/0",
    "CKAN___SECRET_KEY": "k" * 64,
    "CKANEXT__OPTOUT__SECRET": "s" * 64,
    "CKAN__PLUGINS": PLUGINS,
}


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"gifu_docker_{name}", DOCKER / "ckan" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def stand_ins(tmp_path):
    """A PATH whose ckan, python3, uwsgi and psql only record how they were called."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for command in ("ckan", "python3", "uwsgi", "psql"):
        stub = bin_dir / command
        stub.write_text(
            f'#!/bin/bash\n{{ printf "%s" "{command}"; printf " %s" "$@"; echo; }} >> "{log}"\n'
            f'if [ "{command}" = psql ]; then cat >> "{log}"; fi\n'
        )
        stub.chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "CKAN_INI": str(tmp_path / "ckan.ini")}, log


def entrypoint(env, *args):
    return subprocess.run(
        ["bash", str(DOCKER / "ckan" / "entrypoint.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


# ------------------------------------------------------------------------------ CKAN entrypoint
def test_web_writes_the_plugins_then_runs_init_then_uwsgi(stand_ins):
    env, log = stand_ins
    result = entrypoint({**env, **CKAN_ENV}, "web")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == f"ckan config-tool {env['CKAN_INI']} ckan.plugins = {PLUGINS}"
    assert calls[1] == "python3 /srv/app/gifu/init.py"
    assert calls[2].startswith("uwsgi --http 0.0.0.0:5000 --wsgi-file /srv/app/gifu/wsgi.py ")
    assert "--harakiri 300" in calls[2] and "--processes 2" in calls[2]


def test_worker_waits_for_the_services_then_runs_ckan_jobs_worker(stand_ins):
    env, log = stand_ins
    result = entrypoint({**env, **CKAN_ENV, "GIFU_WORKER_QUEUES": "default scrub"}, "worker")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[1:] == [
        "python3 /srv/app/gifu/init.py --wait-only",
        f"ckan -c {env['CKAN_INI']} jobs worker default scrub",
    ]


def test_scheduler_sweeps_within_a_minute_and_releases_due_datasets_daily(stand_ins, tmp_path):
    env, log = stand_ins
    # `sleep` stands in for the waits: the first three return, the fourth ends the run.
    sleeper = Path(env["PATH"].split(":")[0]) / "sleep"
    sleeper.write_text(f'#!/bin/bash\necho "sleep $1" >> "{log}"\n[ "$(grep -c ^sleep "{log}")" -lt 4 ]\n')
    sleeper.chmod(0o755)
    state = tmp_path / "next-run"
    runtime = {
        **CKAN_ENV,
        "GIFU_DAILY_AT": "04:00",
        "GIFU_SCHEDULER_STATE": str(state),
        "GIFU_SWEEP_MINUTES": str(2 * 24 * 60),  # after the first sweep, the daily run comes first
        "TZ": "Asia/Tokyo",
    }
    result = entrypoint({**env, **runtime}, "scheduler")
    assert result.returncode != 0  # ended by the fourth `sleep`
    calls = log.read_text().splitlines()
    assert calls[1] == "python3 /srv/app/gifu/init.py --wait-only"
    assert calls[2].startswith("sleep ") and 0 < int(calls[2].split()[1]) <= 60
    assert calls[3] == f"ckan -c {env['CKAN_INI']} anonymize sweep"
    assert calls[4] == f"ckan -c {env['CKAN_INI']} roundtable recheck"
    assert calls[5].startswith("sleep ") and 0 < int(calls[5].split()[1]) <= 24 * 3600
    assert calls[6] == f"ckan -c {env['CKAN_INI']} optout release-due"
    assert calls[7] == f"ckan -c {env['CKAN_INI']} roundtable purge-contacts"
    due = dict(item.split("=") for item in state.read_text().split())
    at = subprocess.run(
        ["date", "-d", f"@{due['daily']}", "+%H:%M"], env={"TZ": "Asia/Tokyo"}, capture_output=True, text=True
    )
    assert at.stdout.strip() == "04:00"


@pytest.mark.parametrize("secret", ["CKAN___SECRET_KEY", "CKANEXT__OPTOUT__SECRET"])
def test_the_entrypoint_refuses_to_start_without_a_secret(stand_ins, secret):
    env, log = stand_ins
    runtime = {key: value for key, value in CKAN_ENV.items() if key != secret}
    result = entrypoint({**env, **runtime}, "web")
    assert result.returncode != 0 and secret in result.stderr
    assert not log.exists() or "uwsgi" not in log.read_text()


def test_the_entrypoint_refuses_a_plugin_list_without_envvars_last(stand_ins):
    env, _ = stand_ins
    result = entrypoint({**env, **CKAN_ENV, "CKAN__PLUGINS": "gifu envvars optout anonymize"}, "web")
    assert result.returncode != 0 and "envvars" in result.stderr


# ------------------------------------------------------------------------------ init and health
def test_init_migrates_core_then_each_enabled_suite_plugin_that_ships_migrations(tmp_path):
    init = load("init")
    for name in ("optout", "anonymize", "roundtable"):
        (tmp_path / name / "migration" / name).mkdir(parents=True)
        (tmp_path / name / "migration" / name / "alembic.ini").write_text("[alembic]\n")
    (tmp_path / "gifu").mkdir()
    find = lambda name: tmp_path / name  # noqa: E731
    assert init.migration_commands(PLUGINS.split(), find_dir=find) == [
        ["ckan", "db", "upgrade"],
        ["ckan", "db", "upgrade", "-p", "optout"],
        ["ckan", "db", "upgrade", "-p", "anonymize"],
        ["ckan", "db", "upgrade", "-p", "roundtable"],
    ]
    assert init.migration_commands(["optout", "envvars"], find_dir=find) == [
        ["ckan", "db", "upgrade"],
        ["ckan", "db", "upgrade", "-p", "optout"],
    ]


def test_init_indexes_everything_on_first_start_and_only_the_gaps_later():
    init = load("init")
    assert init.index_command("auto", 0) == ["ckan", "search-index", "rebuild", "-q"]
    assert init.index_command("auto", 12) == ["ckan", "search-index", "rebuild", "--only-missing", "-q"]
    assert init.index_command("auto", None) == ["ckan", "search-index", "rebuild", "--only-missing", "-q"]
    assert init.index_command("rebuild", 12) == ["ckan", "search-index", "rebuild", "-q"]
    assert init.index_command("skip", 0) is None
    with pytest.raises(ValueError):
        init.index_command("sometimes", 0)
    script = '\\connect "datastore"\nREVOKE CREATE ON SCHEMA public FROM PUBLIC;\n'
    assert init.datastore_permissions_sql(script) == "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"


def test_the_scheduler_is_unhealthy_when_a_run_is_overdue(tmp_path, monkeypatch):
    health = load("healthcheck")
    state = tmp_path / "next"
    monkeypatch.setenv("GIFU_SCHEDULER_STATE", str(state))
    now = int(time.time())
    state.write_text(f"daily={now + 3600} sweep={now + 60}\n")
    assert health.scheduler() is True
    state.write_text(f"daily={now - 4000} sweep={now + 60}\n")  # the daily run is an hour late
    assert health.scheduler() is False
    state.write_text(f"daily={now + 3600} sweep={now - 1000}\n")  # the sweep is stuck
    assert health.scheduler() is False


def test_ckan_sees_the_residents_address_not_nginx():
    from werkzeug.test import Client

    wsgi = load("gifu_wsgi")

    def seen(proxies, forwarded_for):
        found = {}

        def ckan(environ, start_response):
            found.update(addr=environ["REMOTE_ADDR"], scheme=environ["wsgi.url_scheme"])
            start_response("200 OK", [])
            return [b""]

        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": forwarded_for}
        Client(wsgi.behind_proxies(ckan, proxies)).get(
            "/", headers=headers, environ_base={"REMOTE_ADDR": "172.18.0.5"}
        )
        return found["addr"], found["scheme"]

    assert seen(1, "203.0.113.7") == ("203.0.113.7", "https")
    assert seen(1, "198.51.100.1, 203.0.113.7") == ("203.0.113.7", "https")  # a client cannot choose
    assert seen(2, "203.0.113.7, 10.0.0.2") == ("203.0.113.7", "https")  # a load balancer in front
    assert seen(0, "203.0.113.7") == ("172.18.0.5", "http")


# ------------------------------------------------------------------------------ db, nginx, env
def test_the_db_init_script_creates_databases_and_roles_without_passwords_in_the_sql(stand_ins):
    env, log = stand_ins
    db_env = {
        "POSTGRES_USER": "postgres",
        "CKAN_DB_USER": "ckan",
        "CKAN_DB_PASSWORD": "c" * 64,
        "CKAN_DB": "ckan",
        "DATASTORE_READONLY_USER": "datastore_ro",
        "DATASTORE_READONLY_PASSWORD": "r" * 64,
        "DATASTORE_DB": "datastore",
    }
    script = DOCKER / "postgresql" / "initdb" / "10-ckan-databases.sh"
    result = subprocess.run(
        ["bash", str(script)], env={**env, **db_env}, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text()
    assert f"-v ckan_password={'c' * 64}" in calls
    sql = calls.split("\n", 1)[1]
    for statement in (
        'CREATE ROLE :"ckan_user"',
        'CREATE ROLE :"ro_user"',
        'CREATE DATABASE :"ckan_db" OWNER :"ckan_user"',
        'CREATE DATABASE :"ds_db" OWNER :"ckan_user"',
        'REVOKE CONNECT ON DATABASE :"ckan_db" FROM PUBLIC',
    ):
        assert statement in sql
    assert "c" * 64 not in sql and "r" * 64 not in sql


def test_the_nginx_site_parses_with_every_directive_where_nginx_allows_it(tmp_path):
    import crossplane  # NGINX's own configuration parser

    template = (DOCKER / "nginx" / "templates" / "ckan.conf.template").read_text(encoding="utf-8")
    values = {
        "NGINX_SERVER_NAME": "_",
        "NGINX_CLIENT_MAX_BODY_SIZE": "100m",
        "NGINX_UPSTREAM": "ckan:5000",
        "CKAN_SITE_URL": "https://opendata.example.jp",
    }
    entrypoint_sh = (DOCKER / "nginx" / "entrypoint.sh").read_text(encoding="utf-8")
    rendered = set(re.findall(r"\$\{([A-Z_]+)\}", entrypoint_sh.split("envsubst '", 1)[1].split("'", 1)[0]))
    assert set(re.findall(r"\$\{([A-Z_]+)\}", template)) == rendered == set(values)
    site = re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], template)  # what envsubst does
    (tmp_path / "ckan.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(f"events {{}}\nhttp {{\n    include {tmp_path}/ckan.conf;\n}}\n")
    result = crossplane.parse(str(tmp_path / "nginx.conf"), strict=True)
    assert not result["errors"], result["errors"]
    assert "proxy_pass http://ckan;" in template


def test_gen_env_writes_every_setting_with_fresh_random_secrets_and_never_overwrites(tmp_path):
    target = tmp_path / "test.env"
    command = [
        "bash",
        str(DOCKER / "gen-env.sh"),
        "--output",
        str(target),
        "CKAN_SITE_URL=https://x.example.jp",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    lines = dict(line.split("=", 1) for line in target.read_text().splitlines() if re.match(r"[A-Z]", line))
    assert set(lines) == set(env_example_names()) and lines["CKAN_SITE_URL"] == "https://x.example.jp"
    secrets = [lines[name] for name in SECRETS]
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in secrets) and len(set(secrets)) == len(
        secrets
    )
    before = target.read_text()
    assert subprocess.run(command, capture_output=True, timeout=30).returncode != 0
    assert target.read_text() == before  # the secrets in use are never overwritten by accident
    assert subprocess.run(command + ["--force"], capture_output=True, timeout=30).returncode == 0
    assert target.read_text() != before
    unknown = subprocess.run(
        command + ["--force", "NO_SUCH_SETTING=1"], capture_output=True, text=True, timeout=30
    )
    assert unknown.returncode != 0 and "NO_SUCH_SETTING" in unknown.stderr


# ------------------------------------------------------------------------------ every script
def test_shell_scripts_are_executable_and_pass_shellcheck():
    shellcheck = Path(sys.executable).parent / "shellcheck"
    assert shellcheck.is_file(), "shellcheck is missing from the venv (dev/python.sh installs it)"
    scripts = sorted(DOCKER.rglob("*.sh"))
    assert len(scripts) >= 10
    for script in scripts:
        assert script.stat().st_mode & stat.S_IXUSR, f"{script} is not executable"
        result = subprocess.run(
            [str(shellcheck), "--shell", "bash", str(script)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"{script}:\n{result.stdout}{result.stderr}"
