"""``ckan gifu load-demo``: the demo catalogue loads, is searchable, and a second run changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from ckan.tests.helpers import call_action
from click.testing import CliRunner

from ckanext.gifu.cli import gifu as gifu_cli
from ckanext.gifu.demo import catalogue, tables

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def snapshot():
    """Every package (datasets public and private, and 活用事例) with its resources' ids, digests
    and upload times."""
    result = call_action("package_search", q="*:*", rows=100, include_private=True)
    return {
        d["name"]: (
            d["metadata_modified"],
            sorted((r["id"], r["gifu_demo_sha256"], r["last_modified"]) for r in d["resources"]),
        )
        for d in result["results"]
    }


def test_load_demo_is_idempotent():
    # In-process (the `cli` fixture would start a new app with test.ini's plugin list).
    cli = CliRunner()
    first = cli.invoke(gifu_cli, ["load-demo"])
    assert first.exit_code == 0, first.output
    assert f"{len(catalogue.DATASETS)} created, 0 updated, 0 unchanged" in first.output
    before = snapshot()
    assert len(before) == len(catalogue.DATASETS) + len(catalogue.USES)
    assert len(catalogue.DATASETS) >= 25 and len(catalogue.USES) >= 2
    assert f"{len(catalogue.USES)} created, 0 updated, 0 unchanged" in first.output.splitlines()[-1]

    second = cli.invoke(gifu_cli, ["load-demo"])
    assert second.exit_code == 0, second.output
    assert f"0 created, 0 updated, {len(catalogue.DATASETS)} unchanged" in second.output
    assert f"0 created, 0 updated, {len(catalogue.USES)} unchanged" in second.output.splitlines()[-1]
    assert snapshot() == before


def test_demo_catalogue_content(app):
    from ckanext.gifu.demo import loader

    loader.load_demo()

    aed = call_action("package_show", id="aed-locations")
    assert aed["conforms_to"] == "AED設置箇所一覧"
    assert "自治体標準ODS" in {t["name"] for t in aed["tags"]}
    assert aed["municipality_code"] == "212016"
    assert aed["organization"]["title"] == "岐阜市"

    # The uploaded file is served and holds the generated standard layout.
    resource = aed["resources"][0]
    assert resource["url_type"] == "upload"
    body = app.get(resource["url"].replace("http://test.ckan.net", "")).body
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header, rows = rows[0], rows[1:]
    assert header[:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
    assert len(rows) == len(tables.aed()[1])

    # Residents' searches.
    def found(q):
        return {d["name"] for d in call_action("package_search", q=q, rows=50)["results"]}

    assert "nagaragawa-ukai-passengers" in found("鵜飼")
    assert "kinkazan-ropeway-gifu-castle-visitors" in found("金華山")
    assert "emergency-evacuation-sites" in found("避難")
    assert "population-statistics" in found("人口")

    # The demo's 活用事例 list their datasets by id; the AED page shows the AED map.
    aed_map = call_action("package_show", id="gifu-aed-map")
    assert aed_map["type"] == "use" and aed["id"] in aed_map["used_datasets"]
    html = app.get("/dataset/aed-locations").get_data(as_text=True)
    assert 'id="gifu-uses"' in html and "岐阜市AEDマップ" in html
    assert "gifu-aed-map" in found("AED")  # the action API searches every type...
    assert "岐阜市AEDマップ" not in app.get("/dataset/", query_string={"q": "AED"}).get_data(as_text=True)
    assert "aed-locations" in found("ＡＥＤ")

    # Personal records (synthetic, in the layout the other plugins expect) stay private without
    # the anonymize and optout plugins: nothing would scrub them or honour an opt-out.
    personal = [d["name"] for d in catalogue.DATASETS if d["lifecycle"]]
    assert personal == [
        "civic-award-recipients",
        "disaster-volunteer-register",
        "barber-beauty-shops-holders",
    ]
    for name in personal:
        assert call_action("package_show", id=name)["private"] is True
    assert "civic-award-recipients" not in found("表彰")
    header = tables.award_recipients()[0]
    assert header[:5] == ["氏名", "フリガナ", "生年月日", "住所", "電話番号"]
    assert "受賞名" in header
