"""With Solr down the public pages still answer and search says it is unavailable (Japanese and
English), instead of the server errors stock CKAN gives. Solr is "down" by pointing CKAN at a
port where nothing listens, after the dataset was indexed on the real one."""

from __future__ import annotations

import ckan.tests.factories as factories
import pytest

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_public_pages_answer_and_search_says_it_is_unavailable(app, ckan_config, monkeypatch):
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], title="岐阜市人口統計")
    monkeypatch.setitem(ckan_config, "solr_url", "http://127.0.0.1:1/solr/ckan")

    home = app.get("/")
    assert home.status_code == 200

    search = app.get("/dataset/", query_string={"q": "人口"})
    assert search.status_code == 200
    body = search.get_data(as_text=True)
    assert 'role="alert"' in body and "検索は一時的に利用できません" in body
    assert "temporarily unavailable" in body

    page = app.get(f"/dataset/{dataset['name']}")
    assert page.status_code == 200 and "岐阜市人口統計" in page.get_data(as_text=True)

    api = app.get("/api/3/action/package_search", query_string={"q": "人口"})
    assert api.status_code == 409
    error = api.get_json()["error"]
    assert "検索は一時的に利用できません" in str(error) and "temporarily unavailable" in str(error)
