"""The dataset lifecycle: ``stock`` (private) → ``notice`` (still private; a public notice with a
deadline for objections) → ``open`` (public). Each action is a transition of the table in
``lifecycle.py``: it is judged there, and refused with the table's message (Japanese and
English), or written here: the lifecycle row, the audit entry, the dataset's visibility.
``optout_dataset_release_due`` (``ckan optout release-due``) releases the datasets whose notice
ended without a hold.

With ``defer_commit`` nothing is committed: the caller's commit writes the lifecycle row, the audit
entry and the visibility together, and the search index is updated after it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.authz as authz
import ckan.model as ckan_model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

# Not in the toolkit: CKAN's action decorator, and the search-index update package_update makes.
from ckan.logic import (
    index_update_package_dicts,
    package_show_default_and_custom_schemas,
    validate,
)

from ... import lifecycle, model
from ...personal_records import holds_personal_records
from ...transaction import after_commit, commit, deferred, on_its_own
from .. import schema
from .common import actor, package

log = logging.getLogger(__name__)


def _lifecycle_row(pkg: ckan_model.Package) -> model.OptoutDataset | None:
    """The dataset's lifecycle row (None: outside the lifecycle)."""
    return model.Session.get(model.OptoutDataset, pkg.id)


def _facts(
    context: dict, pkg: ckan_model.Package, row: model.OptoutDataset | None, **asked: Any
) -> lifecycle.Facts:
    """What the table judges a transition of ``pkg`` on; ``asked``: the action's parameters."""
    return lifecycle.Facts(
        state=lifecycle.current_state(row.state if row else None, bool(pkg.private)),
        today=dt.date.today(),
        held=bool(row.held) if row else False,
        deadline=row.deadline if row else None,
        notice_min_days=int(tk.config.get("ckanext.optout.notice_min_days")),
        sysadmin=authz.is_sysadmin(context.get("user")),
        unkeyed_personal_resources=lambda: [
            resource.name or resource.id for resource in _unkeyed_personal_resources(context, pkg)
        ],
        **asked,
    )


def _refuse(refusal: lifecycle.Refusal) -> Exception:
    if refusal.field is None:
        return tk.NotAuthorized(refusal.message)
    return tk.ValidationError({refusal.field: [refusal.message]})


def _move(
    context: dict,
    pkg: ckan_model.Package,
    name: str,
    facts: lifecycle.Facts,
    detail: dict[str, Any] | None = None,
    **fields: Any,
) -> model.OptoutDataset:
    """Transition ``name`` of the table, if ``facts`` allow it: the lifecycle row gets the
    target state, the table's hold and ``fields``; the audit entry records them and ``detail``;
    the dataset gets the target state's visibility."""
    refusal = lifecycle.refusal(name, facts)
    if refusal is not None:
        raise _refuse(refusal)
    transition = lifecycle.TRANSITIONS[name]
    row = _lifecycle_row(pkg)
    before = row.state if row else None
    if row is None:
        row = model.OptoutDataset(package_id=pkg.id)
        model.Session.add(row)
    fields = {"held": transition.held, **fields}
    row.state = transition.target
    for key, value in fields.items():
        setattr(row, key, value)
    row.modified = dt.datetime.utcnow()
    row.modified_by = context.get("user")
    recorded = {**fields, **(detail or {})}
    model.audit(
        actor(context),
        transition.audit,
        package_id=pkg.id,
        before=before,
        **{
            key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, value in recorded.items()
        },
    )
    # The row first: the IPackageController guard reads the new state when the dataset opens.
    model.Session.flush()
    _set_private(context, pkg, lifecycle.STATES[transition.target].private)
    commit(context)
    return row


def _set_private(context: dict, pkg: ckan_model.Package, private: bool) -> None:
    if bool(pkg.private) == private:
        return
    if not deferred(context):
        # Every plugin's IPackageController hooks, the search index, committed.
        tk.get_action("package_patch")(tk.fresh_context(context), {"id": pkg.id, "private": private})
        return
    # CKAN 2.12's package_update cannot defer: under ``defer_commit`` it rolls its own savepoint
    # back (ckan/logic/action/update.py, the ``else: nested.rollback()`` after the commit branch),
    # so the change would vanish. The visibility goes into the caller's transaction instead, and
    # the search index follows once the caller commits (until then Solr still has the old one).
    pkg.private = private
    pkg.metadata_modified = dt.datetime.utcnow()
    ckan_model.Session.flush()
    for plugin in p.PluginImplementations(p.IPackageController):
        plugin.edit(pkg)  # the guards package_update runs (ours among them)
    # The dataset as flushed, sent to Solr once committed (no SQL can run in the commit's hook).
    indexed = package_show_default_and_custom_schemas({"ignore_auth": True}, pkg.id)
    after_commit(context, index_update_package_dicts, indexed)


def _result(pkg: ckan_model.Package, row: model.OptoutDataset | None) -> dict[str, Any]:
    result = (
        row.as_dict()
        if row
        else {"package_id": pkg.id, "state": None, "deadline": None, "held": False, "listed": False}
    )
    result.update(name=pkg.name, private=bool(pkg.private))
    return result


def _unkeyed_personal_resources(context: dict, pkg: ckan_model.Package) -> list[ckan_model.Resource]:
    """Active resources of ``pkg`` that hold personal records (per the anonymize plugin's scrub
    report, when that plugin is enabled) but name no subject-key columns: an opt-out could not
    remove anyone from them. Without anonymize only configured resources are known to hold
    personal records, so none is returned."""
    try:
        report_show = tk.get_action("anonymize_report_show")
    except KeyError:  # anonymize is not enabled
        return []
    configured = {
        row.resource_id
        for row in model.Session.query(model.OptoutResource).filter(model.OptoutResource.package_id == pkg.id)
        if row.subject_columns
    }
    missing = []
    for resource in pkg.resources:
        if resource.state != "active" or resource.id in configured:
            continue
        try:
            report = report_show({"user": context.get("user"), "ignore_auth": True}, {"id": resource.id})
        except tk.ObjectNotFound:  # no upload: nothing was scrubbed, nothing to judge by
            continue
        if holds_personal_records(report):
            missing.append(resource)
    return missing


@tk.side_effect_free
@validate(schema.dataset_id)
def optout_dataset_show(context, data_dict):
    """Lifecycle state of a dataset: ``stock``, ``notice``, ``open`` or None (outside it).

    :param id: dataset id or name
    :type id: string
    :returns: ``{"package_id", "name", "state", "deadline", "held", "listed", "private"}``
        (and ``modified`` for a dataset in the lifecycle)
    :rtype: dict
    """
    tk.check_access("optout_dataset_show", context, data_dict)
    pkg = package(data_dict["id"])
    row = _lifecycle_row(pkg)
    if row is None:
        tk.check_access("package_show", context, {"id": pkg.id})
    return _result(pkg, row)


@validate(schema.dataset_stock)
def optout_dataset_stock(context, data_dict):
    """Put a dataset in the closed stock (private), from any state. Editors of the dataset.

    :param id: dataset id or name
    :type id: string
    :param listed: show its title and description on the public stock list
        (``optout_stock_list``, the notices page). Not given: unchanged for a dataset already in
        the lifecycle, false for a new one (datasets stocked by ``stock_by_default`` are never
        listed until staff choose to).
    :type listed: bool
    :returns: the lifecycle state (as ``optout_dataset_show``)
    :rtype: dict
    """
    tk.check_access("optout_dataset_stock", context, data_dict)
    pkg = package(data_dict["id"])
    row = _lifecycle_row(pkg)
    listed = data_dict["listed"] if "listed" in data_dict else bool(row.listed) if row else False
    row = _move(context, pkg, "stock", _facts(context, pkg, row), deadline=None, listed=bool(listed))
    return _result(pkg, row)


@validate(schema.dataset_notice)
def optout_dataset_notice(context, data_dict):
    """Give public notice that a stocked dataset will be opened (公開予定の告知).

    The dataset stays private; its notice (title, description, resources, subject columns, the
    deadline, how to object) is public. Residents may object until the deadline (inclusive); the
    dataset is released the day after by ``ckan optout release-due`` unless held. A dataset in
    notice may be given a new deadline; an open one goes back to stock first.

    :param id: dataset id or name
    :type id: string
    :param deadline: last day for objections, ``YYYY-MM-DD``, at least
        ``ckanext.optout.notice_min_days`` (14) days after today
    :type deadline: string
    :returns: the lifecycle state (as ``optout_dataset_show``)
    :rtype: dict
    """
    tk.check_access("optout_dataset_notice", context, data_dict)
    pkg = package(data_dict["id"])
    deadline = data_dict["deadline"]
    facts = _facts(context, pkg, _lifecycle_row(pkg), new_deadline=deadline)
    row = _move(context, pkg, "notice", facts, deadline=deadline)
    return _result(pkg, row)


@validate(schema.dataset_hold)
def optout_dataset_hold(context, data_dict):
    """Hold (保留) a dataset in notice so it is not released at the deadline, or lift the hold.

    :param id: dataset id or name
    :type id: string
    :param held: true to hold (default), false to lift the hold
    :type held: bool
    :returns: the lifecycle state (as ``optout_dataset_show``)
    :rtype: dict
    """
    tk.check_access("optout_dataset_hold", context, data_dict)
    pkg = package(data_dict["id"])
    name = "hold" if data_dict["held"] else "unhold"
    row = _move(context, pkg, name, _facts(context, pkg, _lifecycle_row(pkg)))
    return _result(pkg, row)


@validate(schema.dataset_release)
def optout_dataset_release(context, data_dict):
    """Open (公開) a dataset whose notice period has ended (the day after its deadline).

    Refused while the dataset is held, before the deadline has passed, and while a resource of
    the dataset holds personal records (as the ``anonymize`` plugin's scrub report shows) but
    has no subject-key columns (``optout_resource_configure``). A sysadmin may release before the
    deadline with ``early=true`` and a ``reason`` (recorded in the audit log).

    :param id: dataset id or name
    :type id: string
    :param early: release before the deadline (sysadmins only; default false)
    :type early: bool
    :param reason: why (required with ``early``; no personal data)
    :type reason: string
    :returns: the lifecycle state (as ``optout_dataset_show``)
    :rtype: dict
    """
    tk.check_access("optout_dataset_release", context, data_dict)
    pkg = package(data_dict["id"])
    reason = (data_dict.get("reason") or "").strip()
    facts = _facts(context, pkg, _lifecycle_row(pkg), early=data_dict["early"], reason=reason)
    detail: dict[str, Any] = {"early": not facts.due, "deadline": facts.deadline}
    if reason:
        detail["reason"] = reason[:500]
    row = _move(context, pkg, "release", facts, detail=detail)
    return _result(pkg, row)


@validate(schema.release_due)
def optout_dataset_release_due(context, data_dict):
    """Release every dataset whose notice ended (deadline before today) without a hold.

    Registry staff; run daily by ``ckan optout release-due`` (which then erases old contacts,
    ``optout_contact_purge``). A due dataset that may not be released (e.g. personal records
    without subject-key columns) stays in notice and is named in ``not_released`` with the
    reason; the others are released all the same.

    :param today: the date to judge by (``YYYY-MM-DD``, not after the current date; default
        today)
    :type today: string
    :returns: ``{"released": [names], "count", "not_released": [{"name", "reason"}]}``
    :rtype: dict
    """
    tk.check_access("optout_dataset_release_due", context, data_dict)
    today = data_dict.get("today") or dt.date.today()
    Dataset = model.OptoutDataset
    due = (
        model.Session.query(Dataset.package_id)
        .filter(Dataset.state == lifecycle.NOTICE, Dataset.held.is_(False), Dataset.deadline < today)
        .order_by(Dataset.deadline)
        .all()
    )
    release = tk.get_action("optout_dataset_release")
    released, refused = [], []
    for (package_id,) in due:
        try:
            with on_its_own(context):
                result = release(tk.fresh_context(context), {"id": package_id})
            released.append(result["name"])
        except Exception as exc:  # one dataset's failure stops no other
            if isinstance(exc, tk.ValidationError):
                reason = " ".join(_messages(exc.error_dict))
            elif isinstance(exc, (tk.ObjectNotFound, tk.NotAuthorized)):
                reason = str(exc)
            else:  # e.g. the scrub report could not be read: not released (fail closed)
                reason = f"{type(exc).__name__} (see the log)"
                log.exception("optout: release of %s failed", package_id)
            pkg = ckan_model.Package.get(package_id)
            refused.append({"name": pkg.name if pkg else package_id, "reason": reason})
            log.warning("optout: release of %s refused: %s", package_id, reason)
    return {"released": released, "count": len(released), "not_released": refused}


def _messages(errors: Any) -> list[str]:
    """The messages of a ValidationError's dict, flattened."""
    if isinstance(errors, dict):
        return [text for key, value in errors.items() if key != "__type" for text in _messages(value)]
    if isinstance(errors, (list, tuple)):
        return [text for value in errors for text in _messages(value)]
    return [str(errors)] if errors else []


__all__ = [
    "optout_dataset_hold",
    "optout_dataset_notice",
    "optout_dataset_release",
    "optout_dataset_release_due",
    "optout_dataset_show",
    "optout_dataset_stock",
]
