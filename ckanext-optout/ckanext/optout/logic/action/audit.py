"""The audit log: who did what, when, to which request, dataset or resource."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.logic import validate  # CKAN's action decorator (not in the toolkit)

from ... import model
from .. import schema
from .common import package
from .request import request_by_reference


@validate(schema.audit_listing)
def optout_audit_list(context, data_dict):
    """The audit log, newest first (registry staff only): who did what, when; never identifying
    values.

    :param reference: only entries of this request (optional)
    :type reference: string
    :param id: only entries of this dataset, id or name (optional)
    :type id: string
    :param limit: at most this many (default 100)
    :type limit: int
    :param offset: skip this many
    :type offset: int
    :returns: ``{"count", "results": [{"created", "actor", "action", "request_id",
        "package_id", "resource_id", "detail"}]}``
    :rtype: dict
    """
    tk.check_access("optout_audit_list", context, data_dict)
    Audit = model.OptoutAudit
    query = model.Session.query(Audit)
    if data_dict.get("reference"):
        query = query.filter(Audit.request_id == request_by_reference(data_dict["reference"]).id)
    if data_dict.get("id"):
        query = query.filter(Audit.package_id == package(data_dict["id"]).id)
    count = query.count()
    rows = query.order_by(Audit.id.desc()).offset(data_dict["offset"]).limit(data_dict["limit"]).all()
    return {"count": count, "results": [row.as_dict() for row in rows]}


__all__ = ["optout_audit_list"]
