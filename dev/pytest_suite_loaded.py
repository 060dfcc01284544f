"""pytest plugin for `make test-ckan-core`: CKAN core's own tests run with the suite's plugins
loaded (test.ini's ckan.plugins), through CKAN's documented autouse ``with_plugins`` fixture, and
the suite's tables migrated (its plugins hook into every dataset and resource action)."""

import pytest


@pytest.fixture(autouse=True)
def _suite_loaded(with_plugins, migrate_db_for):
    for plugin in ("optout", "anonymize"):
        migrate_db_for(plugin)
