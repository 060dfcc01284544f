"""Damage on the city's everyday tables: every table of the demo catalogue that holds no personal
records (all but the three lifecycle datasets) comes out of the PII scrub cell for cell as it
went in. A header such as 「ロープウェー利用者数」 once read as a column of 利用者 (users) and
published every monthly count as 〈氏名〉; the Docker stack's demo load caught it, no test did.
Pure: the engine and the demo tables, no CKAN."""

from __future__ import annotations

import csv

import pytest

from ckanext.anonymize.engine import Engine
from ckanext.anonymize.engine.config import EngineConfig
from ckanext.gifu.demo import catalogue

PUBLIC_TABLES = [
    pytest.param(resource, id=f"{dataset['name']}/{resource['filename']}")
    for dataset in catalogue.DATASETS
    if not dataset["lifecycle"]
    for resource in dataset["resources"]
]


@pytest.fixture(scope="module")
def engine():
    return Engine(EngineConfig.from_dict({}))


@pytest.mark.parametrize("resource", PUBLIC_TABLES)
def test_a_public_demo_table_is_published_unchanged(resource, engine, tmp_path):
    header, rows = resource["table"]()
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    engine.scrub_file(str(src), str(dst), filename=resource["filename"])
    with open(dst, encoding="utf-8", newline="") as f:
        out = list(csv.reader(f))
    expected = [[str(cell) for cell in row] for row in [header, *rows]]
    changed = [
        f"row {i} 「{header[j] if j < len(header) else j}」: {cell!r} → {got!r}"
        for i, (row, new) in enumerate(zip(expected, out))
        for j, (cell, got) in enumerate(zip(row, new))
        if cell != got
    ]
    assert len(out) == len(expected)
    assert changed == [], "\n".join(changed[:10])
