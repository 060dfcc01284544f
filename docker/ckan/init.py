#!/usr/bin/env python3
"""Start-up step of the Gifu City CKAN container, run by entrypoint.sh before uWSGI starts.

On every start of a `web` container, in this order:

1. wait until PostgreSQL and Solr answer (compose also orders the start with health checks, but a
   managed database or SolrCloud is not a compose service);
2. take a PostgreSQL advisory lock, so that several replicas starting together run the steps below
   one after the other (the later ones find nothing left to do);
3. ``ckan db upgrade``: creates CKAN's tables on an empty database, upgrades them after a CKAN
   update, and applies the migrations of the enabled plugins; then ``ckan db upgrade -p NAME`` for
   each suite plugin (gifu, optout, anonymize, roundtable) that ships ``migration/NAME/`` (explicit, so a plugin
   whose migrations the generic step skipped is still migrated);
4. DataStore permissions (``ckan datastore set-permissions``, executed as the DataStore owner) when
   the ``datastore`` plugin is enabled;
5. the search index: on first start (Solr holds no dataset of this site) a full
   ``ckan search-index rebuild``; on later starts only the datasets missing from the index
   (``rebuild -o``). ``GIFU_SEARCH_INDEX=rebuild`` forces a full rebuild (after a schema change),
   ``GIFU_SEARCH_INDEX=skip`` skips the step.

``init.py --wait-only`` (the worker) only waits for the services. Nothing here reads or writes a
secret other than through the environment CKAN itself uses.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from base64 import b64encode
from collections.abc import Callable, Iterator
from pathlib import Path

SUITE_PLUGINS = ("gifu", "optout", "anonymize", "roundtable")
# pg_advisory_lock key of the init step: Gifu City's local-government code.
LOCK_KEY = 212016
CKAN = ["ckan"]


def log(message: str) -> None:
    print(f"[gifu-init] {message}", flush=True)


# ------------------------------------------------------------------------------------ pure helpers
def parse_plugins(value: str) -> list[str]:
    """The plugin names of a ``ckan.plugins`` value, in order."""
    return value.split()


def package_dir(plugin: str) -> Path | None:
    """Where the package ``ckanext.<plugin>`` is installed, or None."""
    try:
        spec = importlib.util.find_spec(f"ckanext.{plugin}")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def plugins_with_migrations(
    plugins: list[str], find_dir: Callable[[str], Path | None] = package_dir
) -> list[str]:
    """Enabled suite plugins that ship alembic migrations (``migration/<name>/alembic.ini``)."""
    found = []
    for name in plugins:
        if name not in SUITE_PLUGINS:
            continue
        root = find_dir(name)
        if root is not None and (root / "migration" / name / "alembic.ini").is_file():
            found.append(name)
    return found


def migration_commands(
    plugins: list[str], find_dir: Callable[[str], Path | None] = package_dir
) -> list[list[str]]:
    """The database commands of the init step, in the order they run."""
    commands = [CKAN + ["db", "upgrade"]]
    commands += [CKAN + ["db", "upgrade", "-p", name] for name in plugins_with_migrations(plugins, find_dir)]
    return commands


def index_command(mode: str, indexed: int | None) -> list[str] | None:
    """The search-index command for GIFU_SEARCH_INDEX=mode, given how many datasets of this site
    Solr holds (None: unknown)."""
    if mode == "skip":
        return None
    if mode == "rebuild" or (mode == "auto" and indexed == 0):
        return CKAN + ["search-index", "rebuild", "-q"]
    if mode == "auto":
        return CKAN + ["search-index", "rebuild", "--only-missing", "-q"]
    raise ValueError(f"GIFU_SEARCH_INDEX must be auto, rebuild or skip (got {mode!r})")


def datastore_permissions_sql(script: str) -> str:
    """``ckan datastore set-permissions`` prints a psql script; drop its psql-only ``\\connect``."""
    return "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("\\connect"))


def solr_count_url(solr_url: str, site_id: str) -> str:
    query = urllib.parse.urlencode({"q": "*:*", "fq": f'site_id:"{site_id}"', "rows": 0, "wt": "json"})
    return f"{solr_url.rstrip('/')}/select?{query}"


# -------------------------------------------------------------------------------------- services
def solr_request(url: str) -> dict:
    request = urllib.request.Request(url)
    user, password = os.environ.get("CKAN_SOLR_USER"), os.environ.get("CKAN_SOLR_PASSWORD")
    if user and password:
        token = b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def wait_for(name: str, check: Callable[[], object], seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            check()
            log(f"{name} is ready")
            return
        except Exception as error:  # any failure means "not yet"
            if time.monotonic() > deadline:
                raise SystemExit(f"[gifu-init] {name} did not answer within {seconds}s: {error}") from error
            log(f"waiting for {name} ({type(error).__name__})")
            time.sleep(3)


def connect(url: str):
    import psycopg2

    connection = psycopg2.connect(url, connect_timeout=10)
    connection.autocommit = True
    return connection


@contextlib.contextmanager
def advisory_lock(url: str) -> Iterator[None]:
    connection = connect(url)
    try:
        with connection.cursor() as cursor:
            log("waiting for the init lock (another replica may be migrating)")
            cursor.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        yield
    finally:
        connection.close()  # releases the lock


def run(command: list[str]) -> str:
    log("$ " + " ".join(command))
    result = subprocess.run(command, check=True, text=True, stdout=subprocess.PIPE)
    return result.stdout


def set_datastore_permissions(write_url: str) -> None:
    sql = datastore_permissions_sql(run(CKAN + ["datastore", "set-permissions"]))
    connection = connect(write_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()
    log("DataStore permissions set")


def indexed_datasets(solr_url: str, site_id: str) -> int | None:
    try:
        return int(solr_request(solr_count_url(solr_url, site_id))["response"]["numFound"])
    except Exception as error:  # noqa: BLE001 - unknown: index only what is missing
        log(f"could not count indexed datasets ({error}); indexing missing ones only")
        return None


def main(argv: list[str]) -> int:
    env = os.environ
    db_url = env["CKAN_SQLALCHEMY_URL"]
    solr_url = env["CKAN_SOLR_URL"]
    seconds = int(env.get("GIFU_WAIT_SECONDS", "300"))

    wait_for("PostgreSQL", lambda: connect(db_url).close(), seconds)
    wait_for("Solr", lambda: solr_request(f"{solr_url.rstrip('/')}/admin/ping?wt=json"), seconds)
    if "--wait-only" in argv:
        return 0

    plugins = parse_plugins(env.get("CKAN__PLUGINS", ""))
    mode = env.get("GIFU_SEARCH_INDEX", "auto")
    with advisory_lock(db_url):
        for command in migration_commands(plugins):
            print(run(command), end="", flush=True)
        write_url = env.get("CKAN_DATASTORE_WRITE_URL")
        if "datastore" in plugins and write_url:
            set_datastore_permissions(write_url)
        site_id = env.get("CKAN_SITE_ID", "default")
        command = index_command(mode, None if mode != "auto" else indexed_datasets(solr_url, site_id))
        if command is None:
            log("search index: skipped (GIFU_SEARCH_INDEX=skip)")
        else:
            run(command)
            log("search index is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
