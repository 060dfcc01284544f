"""The suite on a real CKAN 2.12: plugins load alone and together, and Japanese datasets make the
round trip through PostgreSQL and Solr."""

from __future__ import annotations

import ckan.plugins as plugins
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

SUITE = ("gifu", "optout", "anonymize")


@pytest.mark.parametrize("plugin", SUITE)
def test_each_plugin_loads_alone(plugin, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.plugins", plugin)
    plugins.load_all()
    try:
        assert plugins.plugin_loaded(plugin)
        extensions = call_action("status_show")["extensions"]
        assert extensions == [plugin]
        for other in set(SUITE) - {plugin}:
            assert not plugins.plugin_loaded(other)
    finally:
        plugins.unload_all()


@pytest.mark.ckan_config("ckan.plugins", " ".join(SUITE))
@pytest.mark.usefixtures("with_plugins")
def test_all_plugins_load_together():
    extensions = call_action("status_show")["extensions"]
    assert sorted(extensions) == sorted(SUITE)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_japanese_dataset_round_trip_through_solr():
    org = factories.Organization(name="gifu-city", title="岐阜市")
    dataset = call_action(
        "package_create",
        name="population-2024",
        title="岐阜市人口統計 2024",
        notes="岐阜市の地域・年齢別人口",
        owner_org=org["id"],
    )
    found = call_action("package_search", q="name:population-2024")
    assert found["count"] == 1
    assert found["results"][0]["id"] == dataset["id"]
    assert found["results"][0]["title"] == "岐阜市人口統計 2024"
    assert found["results"][0]["organization"]["title"] == "岐阜市"

    by_title = call_action("package_search", fq='title:"岐阜市人口統計"')
    assert [d["id"] for d in by_title["results"]] == [dataset["id"]]


@pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index")
@pytest.mark.ckan_config("ckan.plugins", " ".join(SUITE))
@pytest.mark.ckan_config("ckan.locale_default", "ja")
def test_dataset_page_renders_in_japanese(app):
    org = factories.Organization()
    dataset = factories.Dataset(title="岐阜市人口統計", notes="地域・年齢別の人口", owner_org=org["id"])
    response = app.get(f"/dataset/{dataset['name']}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'lang="ja"' in body
    assert "岐阜市人口統計" in body
    # A core string from CKAN's Japanese catalogue, proving the ja locale is in force.
    assert "ライセンス" in body
