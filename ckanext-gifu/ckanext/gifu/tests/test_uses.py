"""活用事例 (uses of data): a use is registered through the action API (``package_create`` with
``type: use``) by an organization's editor, shown on the pages of the datasets it uses and in the
gallery ``/use/``, never names a dataset the viewer cannot read, links only over http(s), stays
out of dataset searches and is not put into stock by optout's ``stock_by_default``."""

from __future__ import annotations

import html as html_lib

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .test_i18n import leftovers
from .theme_fixtures import PORTAL_PLUGINS, portal  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]

PRIVATE_TITLE = "災害時要配慮者名簿（ストック）"
USE = {
    "type": "use",
    "name": "gifu-population-analysis",
    "title": "町丁目別の人口推移の分析",
    "kind": "analysis",
    "url": "https://example.org/gifu/population-analysis",
    "notes": "住民基本台帳の人口を町丁目ごとに可視化した分析記事です。",
    "author": "Code for Gifu",
}


def as_user(user):
    return {"user": user["name"], "ignore_auth": False}


def page(app, url, **kwargs) -> str:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, url
    return html_lib.unescape(response.get_data(as_text=True))


def register(portal, **fields):
    data = {**USE, "owner_org": portal["org"]["id"], "used_datasets": [portal["dataset"]["name"]], **fields}
    return call_action("package_create", as_user(portal["editor"]), **data)


def dataset(portal, **fields):
    fields = {"license_id": "CC-BY-4.0", "frequency": "monthly", "contact_name": "岐阜市", **fields}
    return factories.Dataset(owner_org=portal["org"]["id"], **fields)


def uses_block(html: str) -> str:
    start = html.index('id="gifu-uses"')
    return html[start : html.index("</section>", start)]


def test_a_use_registered_through_the_api_is_shown_on_the_dataset_page_in_japanese(app, portal):
    use = register(portal)
    # Stored by id (names change), shown back as a list.
    assert use["type"] == "use" and use["private"] is False
    assert use["used_datasets"] == [portal["dataset"]["id"]]

    html = page(app, f"/dataset/{portal['dataset']['name']}")
    block = uses_block(html)
    assert "このデータを使った活用事例" in block
    assert block.count('class="gifu-use"') == 1
    assert USE["title"] in block and f'href="/use/{USE["name"]}"' in block
    assert "分析" in block  # the kind, in Japanese
    # In English on /en/ pages.
    block_en = uses_block(page(app, f"/en/dataset/{portal['dataset']['name']}"))
    assert "Uses of this data" in block_en and "Analysis" in block_en

    # A dataset no use lists has no such block.
    other = dataset(portal, title="他のデータ")
    assert 'id="gifu-uses"' not in page(app, f"/dataset/{other['name']}")


def test_the_gallery_shows_uses_as_cards_linked_from_the_navigation(app, portal):
    register(portal)
    register(portal, name="aed-map", title="岐阜市AEDマップ", kind="app", url="http://example.org/aed")

    html = page(app, "/use/")
    assert "<title>活用事例 - 岐阜市オープンデータ</title>" in html
    assert 'href="/use/">活用事例</a>' in html  # the site navigation
    gallery = html[html.index('id="gifu-use-gallery"') :]
    assert gallery.count('class="card h-100 gifu-use-card"') == 2
    assert "岐阜市AEDマップ" in gallery and "アプリ" in gallery and USE["title"] in gallery
    # The dataset search box of the gallery searches uses, in Japanese.
    assert "岐阜市AEDマップ" in page(app, "/use/", query_string={"q": "AED"})
    assert USE["title"] not in page(app, "/use/", query_string={"q": "AED"})

    detail = page(app, f"/use/{USE['name']}")
    assert f"<title>{USE['title']} - 活用事例 - 岐阜市オープンデータ</title>" in detail
    assert f'href="{USE["url"]}"' in detail and "この活用事例を見る" in detail
    used = detail[detail.index('id="gifu-used-datasets"') :]
    assert f'href="/dataset/{portal["dataset"]["name"]}"' in used
    assert page(app, "/en/use/").count("Uses of data") >= 2  # title and navigation

    # No English left on the new pages, the editor's registration form included.
    token = factories.APIToken(user=portal["editor"]["name"])["token"]
    for url, headers in (
        ("/use/", {}),
        (f"/use/{USE['name']}", {}),
        ("/use/new", {"Authorization": token}),
        (f"/use/edit/{USE['name']}", {"Authorization": token}),
    ):
        assert not leftovers(page(app, url, headers=headers)), url


def test_a_dataset_the_viewer_cannot_read_is_never_named_by_a_use(app, portal):
    """Attack: a use lists a dataset still in stock; its title and link must not reach anyone
    who cannot read the dataset, on the use's page, in the gallery or through its search."""
    stocked = dataset(portal, private=True, name="care-register-stock", title=PRIVATE_TITLE)
    use = register(portal, used_datasets=[portal["dataset"]["name"], stocked["name"]])
    assert use["used_datasets"] == [portal["dataset"]["id"], stocked["id"]]
    outsider = factories.User()
    outsider_token = factories.APIToken(user=outsider["name"])["token"]
    editor_token = factories.APIToken(user=portal["editor"]["name"])["token"]

    for headers in ({}, {"Authorization": outsider_token}):
        for url in (f"/use/{USE['name']}", "/use/"):
            html = page(app, url, headers=headers)
            assert PRIVATE_TITLE not in html and "care-register-stock" not in html, url
        detail = page(app, f"/use/{USE['name']}", headers=headers)
        assert f'href="/dataset/{portal["dataset"]["name"]}"' in detail  # the public one is named
        # The use's index holds ids only: searching the gallery for the title finds nothing.
        for q in (PRIVATE_TITLE, "要配慮者", "care-register-stock"):
            found = page(app, "/use/", query_string={"q": q}, headers=headers)
            assert "gifu-use-card" not in found, q
        assert "gifu-use-card" in page(app, "/use/", query_string={"q": "人口推移"}, headers=headers)
        # The stocked dataset's page does not exist for them, uses or not.
        assert app.get(f"/dataset/{stocked['name']}", headers=headers).status_code in (403, 404)

    # The organization's editor, who may read it, sees it named and the use on its page.
    detail = page(app, f"/use/{USE['name']}", headers={"Authorization": editor_token})
    assert PRIVATE_TITLE in detail
    assert USE["title"] in uses_block(
        page(app, f"/dataset/{stocked['name']}", headers={"Authorization": editor_token})
    )

    # Naming a dataset one cannot read is answered like a name that does not exist.
    other_org = factories.Organization(users=[{"name": outsider["name"], "capacity": "editor"}])
    for ref in (stocked["name"], "no-such-dataset"):
        response = app.post(
            "/api/3/action/package_create",
            json={**USE, "name": f"probe-{ref}", "owner_org": other_org["id"], "used_datasets": [ref]},
            headers={"Authorization": outsider_token},
            status=409,
        )
        assert response.json["error"]["used_datasets"] == [
            f"データセットが見つかりません: {ref} / No such dataset: {ref}"
        ]


@pytest.mark.parametrize("field", ["url", "image_url"])
def test_a_javascript_url_is_refused_in_japanese_and_english(app, portal, field):
    token = factories.APIToken(user=portal["editor"]["name"])["token"]
    for bad in ("javascript:alert(document.cookie)", " JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>"):
        response = app.post(
            "/api/3/action/package_create",
            json={
                **USE,
                field: bad,
                "owner_org": portal["org"]["id"],
                "used_datasets": [portal["dataset"]["name"]],
            },
            headers={"Authorization": token},
            status=409,
        )
        [message] = response.json["error"][field]
        assert "http:// または https:// で始まるもの" in message
        assert "The URL must start with http:// or https://" in message
    assert call_action("package_search", fq="+dataset_type:use")["count"] == 0


def test_uses_stay_out_of_the_dataset_searches(app, portal):
    use = register(portal)
    # The web dataset search filters by type; the gallery lists the use.
    assert USE["title"] not in page(app, "/dataset/", query_string={"q": "分析"})
    assert USE["title"] in page(app, "/use/", query_string={"q": "分析"})
    # The action API returns every type unless asked for one (documented in the README).
    names = {p["name"] for p in call_action("package_search", rows=100)["results"]}
    assert use["name"] in names
    datasets = call_action("package_search", fq="+dataset_type:dataset", rows=100)["results"]
    assert use["name"] not in {p["name"] for p in datasets}
    # The home page's count and the DCAT catalogue count datasets only.
    assert "すべてのデータセット（1件）" in page(app, "/")
    catalogue = app.get("/catalog.jsonld").get_data(as_text=True)
    assert portal["dataset"]["id"] in catalogue
    assert use["id"] not in catalogue and USE["title"] not in catalogue


@pytest.mark.ckan_config("ckanext.optout.stock_by_default", True)
def test_with_stock_by_default_a_use_is_public_and_a_dataset_is_stocked(app, portal):
    new = dataset(portal, title="新しい名簿")
    assert new["private"] is True  # the dataset goes into stock
    use = register(portal, used_datasets=[portal["dataset"]["name"], new["name"]])
    assert use["private"] is False
    assert call_action("optout_dataset_show", {"ignore_auth": True}, id=use["id"])["state"] is None
    html = page(app, f"/use/{USE['name']}")
    assert USE["title"] in html and "新しい名簿" not in html
    assert USE["title"] in page(app, "/use/")
