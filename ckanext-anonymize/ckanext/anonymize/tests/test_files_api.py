"""CKAN 2.12's files API would store a file without the resource uploader: with anonymize on it
is closed to non-sysadmins (stock CKAN opens it to users when configured so)."""

from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_auth

FILES_OPEN_TO_USERS = [
    pytest.mark.ckan_config("ckan.files.authenticated_uploads.allow", True),
    pytest.mark.ckan_config("ckan.files.authenticated_uploads.storages", "default"),
]


def may_upload(user):
    try:
        return call_auth(
            "file_create", {"user": user["name"], "model": model}, storage="default", name="residents.csv"
        )
    except tk.NotAuthorized:
        return False


@FILES_OPEN_TO_USERS[0]
@FILES_OPEN_TO_USERS[1]
@pytest.mark.ckan_config("ckan.plugins", "anonymize")
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_files_api_is_closed_with_anonymize():
    assert not may_upload(factories.User())


@FILES_OPEN_TO_USERS[0]
@FILES_OPEN_TO_USERS[1]
@pytest.mark.ckan_config("ckan.plugins", "")
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_same_configuration_opens_it_without_anonymize():
    assert may_upload(factories.User())


@FILES_OPEN_TO_USERS[0]
@FILES_OPEN_TO_USERS[1]
@pytest.mark.ckan_config("ckan.plugins", "anonymize")
@pytest.mark.ckan_config("ckanext.anonymize.allow_files_api", True)
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_an_operator_may_open_it_explicitly():
    assert may_upload(factories.User())
