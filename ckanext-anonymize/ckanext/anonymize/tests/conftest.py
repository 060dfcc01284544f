"""Fixtures of the anonymize plugin's CKAN tests (real PostgreSQL, Solr, Redis; real engine)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

# Synthetic residents (no real persons). 受賞名 is public information and must survive.
RESIDENTS_CSV = (
    "氏名,生年月日,住所,電話番号,受賞名\n"
    "長良 花子,1980-03-01,岐阜県岐阜市長良福光2丁目3番4号,090-1234-5678,市民文化賞\n"
    "金華 一郎,昭和55年3月1日,岐阜県岐阜市金町1丁目1番,080-2345-6789,スポーツ功労賞\n"
    "鵜飼 三郎,1975/12/24,岐阜県岐阜市湊町5番地,070-3456-7890,市民文化賞\n"
)
PERSONAL_VALUES = [
    "長良 花子",
    "金華 一郎",
    "鵜飼 三郎",
    "090-1234-5678",
    "080-2345-6789",
    "070-3456-7890",
    "長良福光2丁目3番4号",
]


def file_upload(data: str | bytes, filename: str) -> FileStorage:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return FileStorage(stream=io.BytesIO(raw), filename=filename)


@pytest.fixture
def anonymize_db(clean_db, migrate_db_for):
    migrate_db_for("anonymize")


@pytest.fixture
def org_with_staff(anonymize_db):
    """An organization with an editor and a member, and another organization with its editor."""
    editor, member, outsider = factories.User(), factories.User(), factories.User()
    org = factories.Organization(
        users=[{"name": editor["name"], "capacity": "editor"}, {"name": member["name"], "capacity": "member"}]
    )
    other = factories.Organization(users=[{"name": outsider["name"], "capacity": "editor"}])
    return {"org": org, "editor": editor, "member": member, "outsider": outsider, "other_org": other}


@pytest.fixture
def dataset(org_with_staff) -> dict[str, Any]:
    return factories.Dataset(owner_org=org_with_staff["org"]["id"], title="表彰者一覧")


def as_user(user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user["name"], "ignore_auth": False}


def upload_resource(
    dataset: dict[str, Any],
    user: dict[str, Any],
    data: str | bytes,
    filename: str = "residents.csv",
    **extra: Any,
) -> dict[str, Any]:
    return call_action(
        "resource_create",
        context=as_user(user),
        package_id=dataset["id"],
        name=filename,
        upload=file_upload(data, filename),
        **extra,
    )
