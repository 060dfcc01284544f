"""One CSRF rule for every staff form of the suite (anonymize's review page, optout's dataset
page): a form post carries CKAN's CSRF token unless its user was authenticated by a valid API
token. A header that is merely present (an invalid token) earns nothing, and an API-token
request never switches the check off for a browser session afterwards (CKAN 2.12's
``csrf.exempt`` is process-wide)."""

from __future__ import annotations

import re

import pytest
from ckan.tests import factories

from ckanext.anonymize.tests.conftest import RESIDENTS_CSV, upload_resource

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout anonymize"),
    pytest.mark.ckan_config("WTF_CSRF_ENABLED", True),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def staff(migrate_db_for):
    migrate_db_for("optout")
    migrate_db_for("anonymize")
    editor = factories.User(password="Gifu-Test-Passw0rd")
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = factories.Dataset(owner_org=org["id"], private=True)
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    token = factories.APIToken(user=editor["name"])["token"]
    return {"editor": editor, "dataset": dataset, "resource": resource, "token": token}


FORMS = {
    "anonymize": lambda s: (
        f"/dataset/{s['dataset']['name']}/resource/{s['resource']['id']}/anonymize/rescrub",
        {},
    ),
    "optout": lambda s: (f"/optout/dataset/{s['dataset']['id']}", {"op": "stock", "listed": "no"}),
}


def refused(response) -> bool:
    return response.status_code == 400 and "CSRF token" in response.get_data(as_text=True)


def log_in(app, user) -> None:
    """Through CKAN's login form, as staff do (a session cookie from then on)."""
    page = app.get("/user/login").get_data(as_text=True)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    done = app.post(
        "/user/login",
        data={"login": user["name"], "password": "Gifu-Test-Passw0rd", "_csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 302 and "/user/login" not in done.headers["Location"]


@pytest.mark.parametrize("plugin", sorted(FORMS))
def test_a_session_needs_the_token_and_a_bogus_api_header_does_not_replace_it(app, staff, plugin):
    url, data = FORMS[plugin](staff)
    log_in(app, staff["editor"])
    assert refused(app.post(url, data=data, follow_redirects=False))
    bogus = app.post(url, data=data, headers={"Authorization": "not-a-token"}, follow_redirects=False)
    assert refused(bogus)


@pytest.mark.parametrize("plugin", sorted(FORMS))
def test_a_valid_api_token_needs_no_form_token_and_exempts_no_session(app, staff, plugin):
    url, data = FORMS[plugin](staff)
    by_token = app.post(url, data=data, headers={"Authorization": staff["token"]}, follow_redirects=False)
    assert by_token.status_code == 302, by_token.get_data(as_text=True)[-2000:]
    log_in(app, staff["editor"])
    assert refused(app.post(url, data=data, follow_redirects=False))
    # With its token the same session is let through: the refusal above was the CSRF check.
    page = app.get(
        url
        if plugin == "optout"
        else f"/dataset/{staff['dataset']['name']}/resource/{staff['resource']['id']}/anonymize"
    ).get_data(as_text=True)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    assert app.post(url, data={**data, "_csrf_token": token}, follow_redirects=False).status_code == 302
