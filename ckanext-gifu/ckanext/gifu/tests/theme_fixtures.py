"""Shared data of the theme, translation and browser tests: a small Gifu portal (an organization,
a category, a dataset about 人口 with a CSV resource, an editor) on the real services.

The portal's plugins are those of a full installation; scheming and dcat are the search dev's
metadata plugins and make the dataset pages look as they will in production.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories

PORTAL_PLUGINS = "gifu scheming_datasets dcat optout anonymize"
PASSWORD = "Gifu-Theme-Pass-2026"

# 「人口」 as a separate word, so the search also works on CKAN's stock (whitespace) Solr schema.
DATASET_TITLE = "岐阜市 人口 統計（町丁目別）"


@pytest.fixture
def portal(clean_db, clean_index, migrate_db_for) -> dict[str, Any]:
    migrate_db_for("optout")
    migrate_db_for("anonymize")
    editor = factories.User(
        name="gifu-editor", fullname="岐阜 太郎", password=PASSWORD, about="岐阜市の職員です。"
    )
    org = factories.Organization(
        name="gifu-city",
        title="岐阜市 市民協働推進課",
        description="岐阜市のオープンデータを公開しています。",
        image_url="",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )
    group = factories.Group(
        name="population", title="人口・世帯", description="人口と世帯に関するデータ", image_url=""
    )
    dataset = factories.Dataset(
        name="gifu-population",
        title=DATASET_TITLE,
        owner_org=org["id"],
        notes="住民基本台帳に基づく町丁目別の人口と世帯数です。",
        license_id="PDL-1.0",
        frequency="monthly",
        contact_name="岐阜市 市民課",
        groups=[{"name": group["name"]}],
        tags=[{"name": "人口"}, {"name": "統計"}],
    )
    resource = factories.Resource(
        package_id=dataset["id"],
        name="町丁目別人口（CSV）",
        url="https://example.org/gifu/population.csv",
        format="CSV",
        description="令和7年4月1日現在",
    )
    return {"editor": editor, "org": org, "group": group, "dataset": dataset, "resource": resource}
