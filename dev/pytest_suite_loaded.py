"""pytest plugin for `make test-ckan-core`: CKAN core's own tests run with the suite's plugins
loaded (the ini's ckan.plugins), through CKAN's documented autouse ``with_plugins`` fixture, and
the suite's tables migrated (its plugins hook into every dataset and resource action).

GIFU_CORE_STOCK=1: the comparison run, stock CKAN (nothing loaded, nothing migrated).
GIFU_CORE_FAILED=path: the node ids of the tests that failed or errored are written there.
"""

import os

import pytest

STOCK = os.environ.get("GIFU_CORE_STOCK") == "1"
_failed: set[str] = set()

if not STOCK:

    @pytest.fixture(autouse=True)
    def _suite_loaded(request, with_plugins, migrate_db_for):
        # The test's database first (clean_db drops every table), then the suite's tables on it.
        for name in ("clean_db", "non_clean_db"):
            if name in request.fixturenames:
                request.getfixturevalue(name)
        import ckan.model as model
        import sqlalchemy as sa

        tables = sa.inspect(model.meta.engine)
        for plugin, table in (("optout", "optout_dataset"), ("anonymize", "anonymize_resource")):
            if not tables.has_table(table):
                migrate_db_for(plugin)


def pytest_runtest_logreport(report):
    if report.failed:
        _failed.add(report.nodeid)


def pytest_sessionfinish(session):
    path = os.environ.get("GIFU_CORE_FAILED")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(f"{nodeid}\n" for nodeid in sorted(_failed))
