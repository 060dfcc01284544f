"""What anyone may see of closed datasets: the notices (公開予定) and the stock the city chose to
list. Metadata only: never a record or a file URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk
from ckan.logic import validate  # CKAN's action decorator (not in the toolkit)

from ... import model
from ...keys import ATTRIBUTE_LABELS
from .. import schema
from .common import is_staff


def _public_metadata(pkg: ckan_model.Package) -> dict[str, Any]:
    """What may be shown of a closed dataset: metadata only, never a URL or a record."""
    org = pkg.get_groups("organization")
    return {
        "id": pkg.id,
        "name": pkg.name,
        "title": pkg.title or pkg.name,
        "notes": pkg.notes or "",
        "organization": org[0].title if org else None,
        "tags": sorted(tag.name for tag in pkg.get_tags()),
        "num_resources": len([r for r in pkg.resources if r.state == "active"]),
        "metadata_modified": pkg.metadata_modified.isoformat() if pkg.metadata_modified else None,
    }


def _listing(
    state: str, data: dict, listed_only: bool = False
) -> tuple[int, list[tuple[ckan_model.Package, model.OptoutDataset]]]:
    """Active datasets in ``state`` with their lifecycle rows, by deadline then title."""
    Dataset, Package = model.OptoutDataset, ckan_model.Package
    query = (
        model.Session.query(Package, Dataset)
        .join(Dataset, Dataset.package_id == Package.id)
        .filter(Dataset.state == state, Package.state == "active")
    )
    if listed_only:
        query = query.filter(Dataset.listed.is_(True))
    count = query.count()
    rows = query.order_by(Dataset.deadline, Package.title).offset(data["offset"]).limit(data["limit"]).all()
    return count, rows


def _subject_columns(resource_columns: dict[str, str] | None) -> list[dict[str, str]]:
    return [
        {"attribute": attribute, "label": ATTRIBUTE_LABELS[attribute], "column": column}
        for attribute, column in sorted((resource_columns or {}).items())
    ]


@tk.side_effect_free
@validate(schema.listing)
def optout_notice_list(context, data_dict):
    """Datasets in notice (公開予定のデータ), public: what will be opened, when, how to object.

    :param limit: at most this many (default 100)
    :type limit: int
    :param offset: skip this many
    :type offset: int
    :returns: ``{"count", "results": [...]}``; each result has the dataset's title, description,
        organization, tags, its resources (name, format, description, the columns that identify a
        person), the deadline for objections, the planned release date and whether it is held.
        No records and no file URLs.
    :rtype: dict
    """
    tk.check_access("optout_notice_list", context, data_dict)
    count, rows = _listing(model.NOTICE, data_dict)
    configured = {}
    if rows:
        ids = [pkg.id for pkg, _ in rows]
        for row in model.Session.query(model.OptoutResource).filter(model.OptoutResource.package_id.in_(ids)):
            configured[row.resource_id] = row.subject_columns
    results = []
    for pkg, state in rows:
        item = _public_metadata(pkg)
        item["resources"] = [
            {
                "name": resource.name or "",
                "format": resource.format or "",
                "description": resource.description or "",
                "subject_columns": _subject_columns(configured.get(resource.id)),
            }
            for resource in pkg.resources
            if resource.state == "active"
        ]
        item["deadline"] = state.deadline.isoformat() if state.deadline else None
        item["release_date"] = (state.deadline + dt.timedelta(days=1)).isoformat() if state.deadline else None
        item["held"] = bool(state.held)
        results.append(item)
    return {"count": count, "results": results}


@tk.side_effect_free
@validate(schema.stock_listing)
def optout_stock_list(context, data_dict):
    """What the city holds in its closed stock and has chosen to list (``listed``), public,
    metadata only (title, description, organization, tags, number of resources).

    :param limit: at most this many (default 100)
    :type limit: int
    :param offset: skip this many
    :type offset: int
    :param include_unlisted: also the datasets in stock that are not listed, each with its
        ``listed`` flag (registry staff only)
    :type include_unlisted: bool
    :returns: ``{"count", "results": [...]}``
    :rtype: dict
    """
    tk.check_access("optout_stock_list", context, data_dict)
    everything = bool(data_dict.get("include_unlisted"))
    if everything and not is_staff(context):
        raise tk.NotAuthorized(
            "ストックの全件は担当職員のみ閲覧できます (the whole stock is for registry staff only)"
        )
    count, rows = _listing(model.STOCK, data_dict, listed_only=not everything)
    results = []
    for pkg, state in rows:
        item = _public_metadata(pkg)
        if everything:
            item["listed"] = bool(state.listed)
        results.append(item)
    return {"count": count, "results": results}


__all__ = ["optout_notice_list", "optout_stock_list"]
