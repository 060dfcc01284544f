"""The Gifu City theme: the portal's pages render in Japanese with our templates (home, search,
dataset, resource, organization), show the licence plainly, the lifecycle state from optout when
it is enabled, the footer's CKAN and source links, and the accessibility statement."""

from __future__ import annotations

import json
import re

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .theme_fixtures import DATASET_TITLE, PORTAL_PLUGINS, portal  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]


def page(app, url, **kwargs) -> str:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_home_is_japanese_and_puts_search_first(app, portal):
    html = page(app, "/")
    assert re.search(r'<html lang="ja"', html)
    assert '<a href="#content">本文へ移動</a>' in html  # skip link
    assert 'id="content"' in html
    assert 'alt="岐阜市"' in html and "/gifu/gifu-crest.svg" in html
    main = html[html.index('class="gifu-home"') :]
    # The first thing in the main area after the title is the search form, with a visible label.
    assert main.index('class="gifu-search"') < main.index('id="gifu-categories-title"')
    assert '<label for="field-main-search" class="gifu-search-label">データを探す</label>' in html
    assert "人口・世帯" in html  # the category (group)
    assert DATASET_TITLE in html  # newest datasets
    assert "市は個人の情報をこう守っています" in html
    assert 'href="/optout/"' in html  # opt-out pages linked when the plugin is enabled
    assert "<title>ホーム - 岐阜市オープンデータ</title>" in html


def test_search_finds_the_population_dataset_in_japanese(app, portal):
    html = page(app, "/dataset/", query_string={"q": "人口"})
    assert DATASET_TITLE in html
    assert "に対して 1 件のデータセットが見つかりました" in html
    assert 'aria-label="データセット「' + DATASET_TITLE + '」へ移動"' in html


def test_dataset_page_shows_the_licence_plainly(app, portal):
    html = page(app, f"/dataset/{portal['dataset']['name']}")
    box = html[html.index('class="gifu-license"') :]
    box = box[: box.index("</div>")]
    assert "公共データ利用規約 第1.0版 (PDL1.0)" in box
    assert 'rel="license"' in box and "digital.go.jp" in box
    assert "出典（岐阜市）を記載すれば" in box
    assert html.index('class="gifu-license"') < html.index("町丁目別人口（CSV）")  # before the files


def test_dataset_in_stock_shows_its_lifecycle_state_to_staff(app, portal):
    editor = portal["editor"]["name"]
    call_action("optout_dataset_stock", context={"user": editor}, id=portal["dataset"]["id"])
    token = factories.APIToken(user=editor)["token"]
    html = page(app, f"/dataset/{portal['dataset']['name']}", headers={"Authorization": token})
    assert "公開の段階" in html and "ストック（非公開）" in html


def test_resource_page_shows_licence_and_hides_ckan_internals(app, portal):
    dataset, resource = portal["dataset"], portal["resource"]
    html = page(app, f"/dataset/{dataset['name']}/resource/{resource['id']}")
    assert "公共データ利用規約 第1.0版 (PDL1.0)" in html
    for internal in ("Package id", "Has views", resource["package_id"]):
        assert internal not in html


def test_organization_page_renders_in_japanese(app, portal):
    html = page(app, f"/organization/{portal['org']['name']}")
    assert "岐阜市 市民協働推進課" in html and DATASET_TITLE in html
    assert "本文へ移動" in html and "データセットを検索" in html


@pytest.mark.ckan_config("ckanext.gifu.source_url", "https://example.org/gifu/suite")
def test_footer_says_ckan_and_links_the_agpl_source(app, portal):
    html = page(app, "/")
    footer = html[html.index('class="site-footer"') :]
    assert '<a href="https://ckan.org/" hreflang="en">CKAN</a>' in footer
    assert '<a href="https://example.org/gifu/suite">このサイトのソースコード</a>' in footer
    assert "AGPL-3.0" in footer
    assert 'href="/accessibility"' in footer


def test_theme_stylesheet_is_served_from_the_token_build(app, portal):
    html = page(app, "/")
    href = re.search(r'href="([^"]*gifu[^"]*theme\.css)"', html)
    assert href, "the gifu/theme asset is not in the page (has assets/build.mjs run?)"
    css = page(app, href.group(1))
    assert "--color-primitive-blue-900: #0017c1" in css  # a Digital Agency token
    assert ".gifu-hero" in css and ":focus-visible" in css
    assert "http://" not in css and "https://" not in css  # nothing fetched at run time


def test_accessibility_statement_publishes_test_results(app, ckan_config, monkeypatch, tmp_path):
    results = {
        "measured_at": "2026-11-26T13:00:00+00:00",
        "axe_version": "4.14.1",
        "standard": "WCAG 2.1 A/AA",
        "browser": "Chromium 140 (headless)",
        "runs": [
            {
                "page": "/",
                "width": 390,
                "rules": ["region"],
                "violations": {"critical": 0, "serious": 0, "moderate": 2, "minor": 0},
            }
        ],
    }
    path = tmp_path / "a11y.json"
    path.write_text(json.dumps(results), encoding="utf-8")
    monkeypatch.setitem(ckan_config, "ckanext.gifu.accessibility_results", str(path))
    html = page(app, "/accessibility")
    assert "<h1>ウェブアクセシビリティ方針</h1>" in html
    assert "2026-11-26T13:00:00+00:00" in html and "axe-core 4.14.1" in html
    assert re.search(
        r"<td>390px</td>\s*<td>0</td>\s*<td>0</td>\s*<td>2</td>\s*<td>0</td>\s*<td>region</td>", html
    )

    monkeypatch.setitem(ckan_config, "ckanext.gifu.accessibility_results", str(tmp_path / "none.json"))
    assert "試験結果はまだ公開していません" in page(app, "/accessibility")


def test_form_errors_are_japanese_and_tied_to_their_field(app, portal):
    token = factories.APIToken(user=portal["editor"]["name"])["token"]
    response = app.post(
        "/dataset/new",
        headers={"Authorization": token},
        data={"title": "", "name": "", "owner_org": portal["org"]["id"], "save": ""},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # the form again, with its errors
    for field_id in ("field-name", "field-contact_name", "field-license_id"):  # slug, text, select
        field = re.search(rf'<(?:input|select)[^>]*id="{field_id}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field and f'aria-describedby="{field_id}-error"' in field
        message = re.search(rf'<span class="error-block" id="{field_id}-error">([^<]*)</span>', html)
        assert message and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", message.group(1)), field_id


@pytest.mark.ckan_config("ckan.datasets_per_page", 1)
def test_pager_arrows_have_japanese_names(app, portal):
    factories.Dataset(
        owner_org=portal["org"]["id"],
        title="岐阜市 世帯数",
        license_id="PDL-1.0",
        frequency="annual",
        contact_name="岐阜市 市民課",
    )
    html = page(app, "/dataset/")
    links = re.findall(r'<a class="page-link" href="[^"]*page=2">(.*?)</a>', html, re.S)
    assert "2" in links  # the page number, and the arrow to the next page with its name:
    arrow = [link for link in links if "fa-chevron-right" in link]
    assert arrow and '<span class="visually-hidden">次のページ</span>' in arrow[0]
    assert 'aria-hidden="true"' in arrow[0]


def test_resource_page_shows_scrub_status_to_staff_only(app, portal):
    import io

    from werkzeug.datastructures import FileStorage

    editor = portal["editor"]["name"]
    upload = FileStorage(
        stream=io.BytesIO("氏名,受賞名\n長良 花子,市民文化賞\n".encode()), filename="表彰者.csv"
    )
    resource = call_action(
        "resource_create",
        context={"user": editor},
        upload=upload,
        package_id=portal["dataset"]["id"],
        name="表彰者一覧",
    )
    url = f"/dataset/{portal['dataset']['name']}/resource/{resource['id']}"
    token = factories.APIToken(user=editor)["token"]
    staff = page(app, url, headers={"Authorization": token})
    status = re.search(r'<p class="gifu-scrub">(.*?)</p>', staff, re.S)
    assert status and "匿名化" in status.group(1)
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", re.sub(r"<[^>]+>|匿名化", "", status.group(1)))
    assert 'class="gifu-scrub"' not in page(app, url)  # residents see the page, not the status
