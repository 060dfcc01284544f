"""Who may use each anonymize action: editors of the owning organization and sysadmins; never
anonymous visitors, members, or editors of another organization."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_auth

from .conftest import RESIDENTS_CSV, upload_resource

pytestmark = [pytest.mark.ckan_config("ckan.plugins", "anonymize"), pytest.mark.usefixtures("with_plugins")]

RESOURCE_ACTIONS = [
    "anonymize_resource_status_show",
    "anonymize_report_show",
    "anonymize_resource_policy_update",
    "anonymize_resource_publish",
    "anonymize_resource_rescrub",
    "anonymize_original_download",
]


def allowed(action, user, data):
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    context = {"user": user["name"] if user else "", "model": model}
    try:
        return call_auth(action, context, **data)
    except tk.NotAuthorized:
        return False


@pytest.mark.parametrize("action", RESOURCE_ACTIONS)
def test_resource_actions_by_role(action, dataset, org_with_staff):
    resource = upload_resource(dataset, org_with_staff["editor"], RESIDENTS_CSV)
    data = {"id": resource["id"]}
    assert allowed(action, org_with_staff["editor"], data)
    assert allowed(action, factories.Sysadmin(), data)
    assert not allowed(action, None, data)
    assert not allowed(action, org_with_staff["member"], data)
    assert not allowed(action, org_with_staff["outsider"], data)


def test_text_preview_is_for_staff(org_with_staff):
    data = {"text": "長良 花子さんの電話は090-1234-5678です"}
    assert allowed("anonymize_text_preview", org_with_staff["editor"], data)
    assert allowed("anonymize_text_preview", org_with_staff["outsider"], data)
    assert not allowed("anonymize_text_preview", org_with_staff["member"], data)
    assert not allowed("anonymize_text_preview", None, data)
    assert not allowed("anonymize_text_preview", factories.User(), data)


def test_anonymous_api_call_is_refused(app, dataset, org_with_staff):
    resource = upload_resource(dataset, org_with_staff["editor"], RESIDENTS_CSV)
    for action in RESOURCE_ACTIONS:
        response = app.post(f"/api/3/action/{action}", json={"id": resource["id"]})
        assert response.status_code == 403, action


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_staff_forms_need_a_csrf_token_even_after_api_token_use(app, dataset, org_with_staff):
    editor = org_with_staff["editor"]
    resource = upload_resource(dataset, editor, RESIDENTS_CSV)
    url = f"/dataset/{dataset['name']}/resource/{resource['id']}/anonymize/rescrub"
    # An API-token request to the view (allowed: no browser adds that header by itself) ...
    token = factories.APIToken(user=editor["name"])["token"]
    assert app.post(url, headers={"Authorization": token}, follow_redirects=False).status_code == 302
    # ... must not switch CSRF off for a logged-in editor's browser session afterwards.
    app.set_session_user(editor["id"])
    response = app.post(url, follow_redirects=False)
    assert response.status_code in (400, 403)  # Flask-WTF's CSRFError, rendered by CKAN
    assert "編集者のみ" not in response.get_data(as_text=True)  # refused before the action ran
    import ckan.model as model

    from ckanext.anonymize.model import AuditEntry

    rescrubs = model.Session.query(AuditEntry).filter_by(resource_id=resource["id"], action="rescrub")
    assert rescrubs.count() == 1
