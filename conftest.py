"""Fixtures shared by every test folder: a live CKAN server and a headless Chromium for the
browser tests (Debian's chromium + chromium-driver, driven by selenium). Screenshots go to
artifacts/screenshots/ (kept as test artifacts)."""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def live_server(app, ckan_config, monkeypatch):
    """The test app served over HTTP on a free loopback port, for a real browser."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setitem(ckan_config, "ckan.site_url", url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def browser():
    """Headless Chromium (no network beyond loopback, a fresh profile, downloads to a temp dir)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    downloads = tempfile.mkdtemp(prefix="chromium-downloads-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--lang=ja",
        "--window-size=1280,1024",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": downloads, "intl.accept_languages": "ja"}
    )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.downloads_dir = downloads
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def screenshot(request):
    """screenshot(driver, name): save a PNG under artifacts/screenshots/<test name>/."""
    folder = ARTIFACTS / "screenshots" / request.node.name.replace("/", "_")

    def take(driver, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        driver.save_screenshot(os.fspath(path))
        return path

    return take


@pytest.fixture
def suite_db(clean_db, migrate_db_for, ckan_config):
    """A clean database with the tables of every enabled plugin that has migrations (what
    `ckan db upgrade` does on a portal). Use with the plugins enabled (`with_plugins`)."""
    import importlib

    plugins = ckan_config.get("ckan.plugins") or []
    for plugin in plugins.split() if isinstance(plugins, str) else plugins:
        try:
            package = Path(importlib.import_module(f"ckanext.{plugin}").__file__).parent
        except ImportError:  # plugins whose module name differs (e.g. scheming_datasets)
            continue
        if (package / "migration" / plugin).is_dir():
            migrate_db_for(plugin)


@pytest.fixture
def run_jobs():
    """run_jobs(): run the queued background jobs to the end, one at a time, in this process
    (what the portal's jobs worker does between two page views).

    Between jobs the garbage collector runs: XLoader 2.6.0 leaves a write connection open with
    an uncommitted ALTER TABLE (loader.py, create_column_indexes: engine.connect() never closed).
    Production's forking worker ends it with the job's process; in this process only its
    collection does, and until then the table's lock blocks any later DataStore delete.
    """
    import ckan.lib.jobs as jobs

    def run() -> None:
        while jobs.Worker().work(burst=True, max_jobs=1):
            gc.collect()

    return run
