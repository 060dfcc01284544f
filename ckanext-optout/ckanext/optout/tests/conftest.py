"""Fixtures of the optout tests: the plugin's tables on a clean database."""

import pytest


@pytest.fixture
def optout_db(clean_db, clean_index, migrate_db_for):
    """A clean CKAN database with the optout tables (``ckan db upgrade -p optout``)."""
    migrate_db_for("optout")
