"""A second Solr core with CKAN's stock schema, beside the dev Solr's core ``ckan`` (our schema).

Created through Solr's CoreAdmin API in the same Solr home, with the same solrconfig.xml and word
lists as core ``ckan`` and the schema.xml of the installed CKAN package, so both cores run in the
same JVM and differ only in their schema. The core persists (core.properties) and is reused.
"""

from __future__ import annotations

import os
import shutil

import ckan
import requests

STOCK_SCHEMA = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")


def core_status(admin: str, name: str) -> dict:
    response = requests.get(
        f"{admin}/cores", params={"action": "STATUS", "core": name, "wt": "json"}, timeout=30
    )
    response.raise_for_status()
    return response.json()["status"].get(name) or {}


def ensure_stock_core(solr_base: str, source_core: str = "ckan", name: str = "ckan_stock") -> str:
    """Return the URL of the stock-schema core, creating it if needed."""
    admin = f"{solr_base}/admin"
    if core_status(admin, name).get("instanceDir"):
        return f"{solr_base}/{name}"
    source = core_status(admin, source_core)
    if not source.get("instanceDir"):
        raise RuntimeError(f"Solr core {source_core!r} not found at {solr_base}")
    instance = os.path.join(os.path.dirname(source["instanceDir"].rstrip("/")), name)
    conf = os.path.join(instance, "conf")
    if os.path.exists(instance):
        shutil.rmtree(instance)
    shutil.copytree(os.path.join(source["instanceDir"], "conf"), conf)
    shutil.copy(STOCK_SCHEMA, os.path.join(conf, "schema.xml"))
    for stale in ("SCHEMA_SOURCE",):
        if os.path.exists(os.path.join(conf, stale)):
            os.remove(os.path.join(conf, stale))
    response = requests.get(
        f"{admin}/cores",
        params={"action": "CREATE", "name": name, "instanceDir": instance, "wt": "json"},
        timeout=120,
    )
    response.raise_for_status()
    return f"{solr_base}/{name}"
