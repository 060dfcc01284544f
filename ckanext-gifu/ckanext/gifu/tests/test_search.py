"""Japanese search through package_search on the real Solr with the plugin's schema."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import ckan.lib.search as search
import ckan.plugins.toolkit as tk
import ckan.tests.factories as factories
import pytest
import requests
from ckan.tests.helpers import call_action

SCHEMA = Path(__file__).parents[1] / "solr" / "schema.xml"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def dataset():
    """Create datasets of one organization (stock CKAN requires an owner)."""
    org = factories.Organization()

    def create(**fields):
        return factories.Dataset(owner_org=org["id"], **fields)

    return create


def titles(q, **params):
    result = call_action("package_search", q=q, rows=50, **params)
    return {d["title"] for d in result["results"]}


def test_shipped_schema_keeps_ckan_version_name():
    assert ET.parse(SCHEMA).getroot().get("name") == "ckan-2.12"


def test_solr_serves_the_gifu_schema():
    # CKAN's own start-up check, against the schema the running Solr has loaded.
    assert search.check_solr_schema_version()
    served = requests.get(f"{tk.config['solr_url']}/admin/file", params={"file": "schema.xml"}, timeout=30)
    assert ET.fromstring(served.content).get("name") == "ckan-2.12"
    assert served.content == SCHEMA.read_bytes()


def test_word_inside_a_japanese_compound_is_found(dataset):
    dataset(title="岐阜市人口統計", notes="住民基本台帳に基づく町丁目別の人口")
    dataset(title="岐阜市の公園一覧")
    assert titles("人口") == {"岐阜市人口統計"}
    assert titles("統計") == {"岐阜市人口統計"}


def test_substring_that_kuromoji_splits_differently_is_found_by_bigrams(dataset):
    dataset(title="金華山ドライブウェイ交通量")
    dataset(title="長良川鵜飼観覧船乗船者数")
    assert titles("金華山") == {"金華山ドライブウェイ交通量"}
    assert titles("鵜飼") == {"長良川鵜飼観覧船乗船者数"}
    assert titles("長良川") == {"長良川鵜飼観覧船乗船者数"}


def test_full_width_and_half_width_variants_match(dataset):
    dataset(title="ＡＥＤ設置箇所一覧")
    dataset(title="観光ガイドブック")
    dataset(title="Wi-Fiアクセスポイント一覧")
    assert titles("AED") == {"ＡＥＤ設置箇所一覧"}
    assert titles("ＡＥＤ 設置") == {"ＡＥＤ設置箇所一覧"}
    assert titles("ｶﾞｲﾄﾞﾌﾞｯｸ") == {"観光ガイドブック"}
    assert titles("ｗｉ－ｆｉ") == {"Wi-Fiアクセスポイント一覧"}


def test_all_words_of_a_two_word_query_are_required(dataset):
    dataset(title="岐阜公園の施設案内")
    dataset(title="岐阜市の公衆トイレ一覧")
    dataset(title="公園トイレ一覧")
    assert titles("岐阜 公園") == {"岐阜公園の施設案内"}
    assert titles("公園 トイレ") == {"公園トイレ一覧"}


def test_japanese_tags_resource_names_and_extras_are_searched(dataset):
    dataset(title="Dataset A", tags=[{"name": "防災"}])
    dataset(
        title="Dataset B",
        resources=[{"url": "http://example.com/b.csv", "name": "指定緊急避難場所一覧"}],
    )
    dataset(title="Dataset C", extras=[{"key": "担当", "value": "岐阜市都市防災部"}])
    assert titles("防災") == {"Dataset A", "Dataset C"}
    assert titles("避難場所") == {"Dataset B"}


def test_english_is_still_found_and_stemmed(dataset):
    dataset(title="Schools in Gifu City", notes="Elementary and junior high schools")
    dataset(title="岐阜市の学校一覧")
    assert titles("school") == {"Schools in Gifu City"}
    assert titles("ELEMENTARY") == {"Schools in Gifu City"}


def test_facets_still_work_on_japanese_results():
    org = factories.Organization(name="gifu-city", title="岐阜市")
    factories.Dataset(title="AED設置箇所一覧", owner_org=org["id"], tags=[{"name": "防災"}, {"name": "医療"}])
    factories.Dataset(title="指定緊急避難場所一覧", owner_org=org["id"], tags=[{"name": "防災"}])
    other = factories.Organization(name="gifu-kosodate", title="岐阜市 子ども未来部")
    factories.Dataset(title="子育て施設一覧", owner_org=other["id"], tags=[{"name": "子育て"}])

    result = call_action("package_search", q="一覧", **{"facet.field": ["tags", "organization"]})
    assert result["count"] == 3
    tags = result["search_facets"]["tags"]["items"]
    assert {t["name"]: t["count"] for t in tags} == {"防災": 2, "医療": 1, "子育て": 1}
    orgs = result["search_facets"]["organization"]["items"]
    assert {o["name"]: o["count"] for o in orgs} == {"gifu-city": 2, "gifu-kosodate": 1}

    filtered = call_action("package_search", q="一覧", fq='tags:"防災"')
    assert {d["title"] for d in filtered["results"]} == {"AED設置箇所一覧", "指定緊急避難場所一覧"}


def test_an_explicit_qf_from_the_caller_wins(dataset):
    dataset(title="岐阜市人口統計", notes="nothing else")
    # Only `name` searched: the Japanese word is not in the dataset's name.
    assert titles("人口", qf="name") == set()


def test_organization_and_group_titles_are_searched():
    org = factories.Organization(name="gifu-fire", title="岐阜市 消防本部")
    group = factories.Group(name="bosai", title="防災・安全")
    factories.Dataset(title="AED一覧", owner_org=org["id"], groups=[{"name": group["name"]}])
    other = factories.Organization(name="gifu-parks", title="岐阜市 公園整備課")
    factories.Dataset(title="都市公園一覧", owner_org=other["id"])
    assert titles("消防") == {"AED一覧"}
    assert titles("安全") == {"AED一覧"}
    assert titles("公園整備課") == {"都市公園一覧"}


def test_everyday_wording_finds_the_dataset_but_ranks_whole_words_first(dataset):
    dataset(title="指定緊急避難場所一覧")
    dataset(title="駐輪場一覧", notes="岐阜駅北口・南口の駐輪場")
    dataset(title="岐阜城 入場者数", notes="岐阜市の観光統計")
    # 避難所 (shelter) is not a word of 避難場所, yet a resident typing it expects that list.
    assert titles("避難所") == {"指定緊急避難場所一覧"}
    # Every dataset mentions 岐阜 somewhere; the one about 岐阜駅 comes first.
    ranked = call_action("package_search", q="岐阜駅")["results"]
    assert ranked[0]["title"] == "駐輪場一覧"


def test_everyday_synonyms_from_the_shipped_mapping(dataset):
    dataset(title="認可保育所一覧")
    dataset(title="子ども食堂一覧")
    dataset(title="保健所一覧")
    assert titles("保育園") == {"認可保育所一覧"}
    assert titles("こども") == {"子ども食堂一覧"}
