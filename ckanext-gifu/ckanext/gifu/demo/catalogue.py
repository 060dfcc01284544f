"""The demo catalogue: about thirty Gifu City datasets (``catalogue.yaml``, CSVs from ``tables``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import yaml

from ckanext.gifu.demo import tables

DEMO_NOTE = (
    "\n\n※ デモ用カタログです。数値・所在地などは合成データであり、実際の岐阜市のデータではありません。"
)
CITY_PHONE = "058-265-4141"  # 岐阜市役所 代表
CITY = "岐阜市"

with open(os.path.join(os.path.dirname(__file__), "catalogue.yaml"), encoding="utf-8") as _f:
    _DATA = yaml.safe_load(_f)

ORGANIZATION: dict[str, str] = _DATA["organization"]
GROUPS: dict[str, dict[str, str]] = _DATA["groups"]


def _generator(name: str) -> Callable[[], tables.Table]:
    if name == "open_data_list":  # describes the catalogue itself
        return lambda: tables.open_data_list([d for d in DATASETS if d["name"] != "open-data-list"])
    return getattr(tables, name)


def _dataset(entry: dict[str, Any]) -> dict[str, Any]:
    start, end = entry.get("temporal") or ("", "")
    return {
        "name": entry["name"],
        "title": entry["title"],
        "notes": entry["notes"] + DEMO_NOTE,
        "tags": entry["tags"],
        "groups": entry["groups"],
        "contact_name": f"{CITY} {entry['contact']}",
        "contact_phone": CITY_PHONE,
        "frequency": entry.get("frequency", "annual"),
        "conforms_to": entry.get("conforms_to", ""),
        "license_id": entry.get("license_id", "CC-BY-4.0"),
        "temporal_start": start,
        "temporal_end": end,
        "private": bool(entry.get("private")) or "lifecycle" in entry,
        # Personal records: "stock", "notice" or "open" (the opt-out lifecycle); None otherwise.
        "lifecycle": entry.get("lifecycle"),
        "resources": [
            {
                "name": r["name"],
                "filename": r["file"],
                "table": _generator(r["table"]),
                "subject_columns": r.get("subject_columns") or {},
                "keep_columns": r.get("keep_columns") or [],
            }
            for r in entry["resources"]
        ],
    }


DATASETS: list[dict[str, Any]] = [_dataset(entry) for entry in _DATA["datasets"]]


def _use(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "type": "use", "notes": entry["notes"] + DEMO_NOTE}


# 活用事例 (uses of data) of the demo datasets: package dicts for package_create (type ``use``).
USES: list[dict[str, Any]] = [_use(entry) for entry in _DATA.get("uses", [])]
