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
    # Valid requests (CKAN's validate decorator checks the data first): refused for who asks.
    extra = {"anonymize_resource_policy_update": {"columns": {"氏名": "keep"}}}
    for action in RESOURCE_ACTIONS:
        response = app.post(f"/api/3/action/{action}", json={"id": resource["id"], **extra.get(action, {})})
        assert response.status_code == 403, action
    preview = app.post("/api/3/action/anonymize_text_preview", json={"text": "岐阜 太郎 090-1234-5678"})
    assert preview.status_code == 403
