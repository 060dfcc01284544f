"""The subject-key columns of resources that hold personal records: the columns an opt-out is
matched on by the publishing pipeline's suppression stage."""

from __future__ import annotations

import datetime as dt

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk
from ckan.logic import validate  # CKAN's action decorator (not in the toolkit)

from ... import jobs, model
from ...transaction import commit
from .. import schema
from .common import actor


@validate(schema.resource_configure)
def optout_resource_configure(context, data_dict):
    """Name the subject-key columns of a resource that holds personal records.

    Rows whose key matches an active opt-out in scope are dropped by the publishing pipeline's
    suppression stage; the resource is re-derived after the change.

    :param resource_id: the resource
    :type resource_id: string
    :param subject_columns: attribute → column title, e.g.
        ``{"name": "氏名", "birth_date": "生年月日"}``; attributes ``name``, ``name_kana``,
        ``birth_date``, ``address``. Empty removes the configuration.
    :type subject_columns: dict
    :returns: ``{"resource_id", "package_id", "subject_columns", "rederive": [ids]}``
        (``rederive``: the resources given to the pipeline to derive again, none without it)
    :rtype: dict
    """
    tk.check_access("optout_resource_configure", context, data_dict)
    resource = ckan_model.Resource.get(data_dict["resource_id"])
    if resource is None or resource.state == "deleted":
        raise tk.ObjectNotFound("リソースが見つかりません (resource not found)")
    row = model.Session.get(model.OptoutResource, resource.id)
    columns = data_dict["subject_columns"]
    if columns:
        if row is None:
            row = model.OptoutResource(resource_id=resource.id)
            model.Session.add(row)
        row.package_id = resource.package_id
        row.subject_columns = columns
        row.modified = dt.datetime.utcnow()
        row.modified_by = context.get("user")
    elif row is not None:
        model.Session.delete(row)
    model.audit(
        actor(context),
        "resource_configure",
        package_id=resource.package_id,
        resource_id=resource.id,
        subject_columns=columns,
    )
    commit(context)
    queued = jobs.enqueue_rederive([resource.id], "subject columns changed", context)
    return {
        "resource_id": resource.id,
        "package_id": resource.package_id,
        "subject_columns": columns,
        "rederive": queued,
    }


@tk.side_effect_free
@validate(schema.resource_id)
def optout_resource_show(context, data_dict):
    """The subject-key columns of a resource (``{}`` when none).

    :param resource_id: the resource
    :type resource_id: string
    :returns: ``{"resource_id", "subject_columns"}``
    :rtype: dict
    """
    tk.check_access("optout_resource_show", context, data_dict)
    resource_id = data_dict["resource_id"]
    row = model.Session.get(model.OptoutResource, resource_id)
    return {"resource_id": resource_id, "subject_columns": dict(row.subject_columns) if row else {}}


__all__ = ["optout_resource_configure", "optout_resource_show"]
