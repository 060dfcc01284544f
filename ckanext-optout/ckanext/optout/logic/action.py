"""Actions of the optout plugin: the residents' registry and the stock → notice → open lifecycle.

Registry: a resident files an opt-out (in effect at once), keeps a reference number and a secret
token, checks or withdraws (解除) it with them. Staff verify or reject. Identifying attributes are
hashed (keyed) before anything is stored; every change is written to the audit log.

Lifecycle: ``stock`` (private) → ``notice`` (still private; a public notice with a deadline for
objections) → ``open`` (public). ``optout_dataset_release_due`` (``ckan optout release-due``)
releases the datasets whose notice ended without a hold.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import ckan.authz as authz
import ckan.model as ckan_model
import ckan.plugins.toolkit as tk

from .. import contact as contact_crypto
from .. import jobs, ratelimit
from .. import model as m
from ..keys import ATTRIBUTE_LABELS, format_reference, new_reference, new_token, normalize_code
from ..registry import get_hasher
from . import schema
from .auth import is_registry_staff

log = logging.getLogger(__name__)

NOT_FOUND = "受付番号または確認コードが正しくありません (unknown reference or wrong token)"


# ---------------------------------------------------------------------------------------------
# helpers


def _validate(data_dict: dict, schema_: dict, context: dict) -> dict:
    data, errors = tk.navl_validate(data_dict, schema_, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _actor(context: dict) -> str:
    return context.get("user") or "resident"


def _is_staff(context: dict) -> bool:
    return bool(context.get("ignore_auth")) or is_registry_staff(context.get("user"))


def _commit(context: dict) -> None:
    if not context.get("defer_commit"):
        ckan_model.repo.commit()


def _request_by_reference(reference: str) -> m.OptoutRequest:
    request = m.OptoutRequest.by_reference(format_reference(reference))
    if request is None:
        raise tk.ObjectNotFound(NOT_FOUND)
    return request


def _request_by_token(data: dict) -> m.OptoutRequest:
    """The request if reference and token agree; the same error whichever is wrong (a token
    that cannot be one, e.g. in kanji, is just a wrong token)."""
    request = m.OptoutRequest.by_reference(format_reference(data["reference"]))
    stored = request.token_hash if request else "0" * 64
    token = data.get("token") or ""
    if not normalize_code(token).isascii():
        token, stored = "0", "0" * 64  # hashed all the same: no faster answer for these
    if not get_hasher().token_matches(token, stored) or request is None:
        raise tk.ObjectNotFound(NOT_FOUND)
    return request


def _close(request: m.OptoutRequest, status: str, context: dict, note: str | None) -> None:
    """End a request's effect: its digests and contact are erased (nothing kept that matches)."""
    request.status = status
    request.modified = dt.datetime.utcnow()
    request.contact = None
    if note:
        request.note = note
    if _is_staff(context) and context.get("user"):
        request.decided_by = context["user"]
    m.Session.query(m.OptoutSubjectKey).filter(m.OptoutSubjectKey.request_id == request.id).delete(
        synchronize_session=False
    )


def _package(id_or_name: str) -> ckan_model.Package:
    pkg = ckan_model.Package.get(id_or_name)
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound("データセットが見つかりません (dataset not found)")
    return pkg


def _state(pkg: ckan_model.Package) -> m.OptoutDataset | None:
    return m.Session.get(m.OptoutDataset, pkg.id)


def _set_private(context: dict, pkg: ckan_model.Package, private: bool) -> None:
    if bool(pkg.private) == private:
        return
    tk.get_action("package_patch")(
        {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)},
        {"id": pkg.id, "private": private},
    )


def _transition(
    context: dict,
    pkg: ckan_model.Package,
    state: str,
    action: str | None = None,
    detail: dict[str, Any] | None = None,
    **fields: Any,
) -> m.OptoutDataset:
    row = _state(pkg)
    before = row.state if row else None
    if row is None:
        row = m.OptoutDataset(package_id=pkg.id)
        m.Session.add(row)
    row.state = state
    for key, value in fields.items():
        setattr(row, key, value)
    row.modified = dt.datetime.utcnow()
    row.modified_by = context.get("user")
    recorded = {**fields, **(detail or {})}
    m.audit(
        _actor(context),
        action or f"dataset_{state}",
        package_id=pkg.id,
        before=before,
        **{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in recorded.items()},
    )
    m.Session.flush()
    return row


def _dataset_result(pkg: ckan_model.Package, row: m.OptoutDataset | None) -> dict[str, Any]:
    result = (
        row.as_dict()
        if row
        else {"package_id": pkg.id, "state": None, "deadline": None, "held": False, "listed": False}
    )
    result.update(name=pkg.name, private=bool(pkg.private))
    return result


# ---------------------------------------------------------------------------------------------
# registry


def optout_request_create(context, data_dict):
    """File an opt-out (オプトアウトの申出). No account needed; in effect at once: with the
    publishing pipeline (``anonymize``), every resource in scope with subject-key columns is
    withdrawn from public view in this call and re-derived without the resident's rows in the
    background.

    :param subject: who the resident is: ``name`` (氏名, required), ``birth_date`` (生年月日,
        required; 西暦 or 和暦, e.g. ``昭和55年3月1日``, ``S55.3.1``, ``1980-03-01``),
        ``name_kana`` (フリガナ, optional), ``address`` (住所, optional). Normalised and stored only
        as keyed hashes.
    :type subject: dict
    :param scope: ``"all"`` (every dataset, the default) or a dataset id or name
    :type scope: string
    :param contact: how staff may reach the resident (optional; stored encrypted, shown to
        registry staff only, erased when the request closes or after
        ``ckanext.optout.contact_retention_days``, 365 by default)
    :type contact: string

    :returns: ``{"reference", "token", "status", "scope"}``. Keep the reference and the token:
        they are needed to check or withdraw the request, and the token is not stored in clear.
        The answer is the same whether or not the person appears in any dataset.
    :rtype: dict
    """
    tk.check_access("optout_request_create", context, data_dict)
    ratelimit.check("request")
    data = _validate(data_dict, schema.request_create(), context)
    hasher = get_hasher()
    keys = hasher.subject_keys(data["subject"])
    token = new_token()
    reference = new_reference()
    while m.OptoutRequest.by_reference(reference) is not None:
        reference = new_reference()
    package_id = None if data["scope"] == "all" else data["scope"]
    request_id = str(uuid.uuid4())
    contact = (data.get("contact") or "").strip()[:500]
    request = m.OptoutRequest(
        id=request_id,
        reference=reference,
        token_hash=hasher.token_hash(token),
        key_id=hasher.key_id,
        status=m.PENDING,
        package_id=package_id,
        attributes="+".join(sorted(data["subject"])),
        contact=contact_crypto.encrypt(contact, request_id) if contact else None,
    )
    m.Session.add(request)
    m.Session.flush()
    m.Session.add_all(
        m.OptoutSubjectKey(request_id=request.id, combination=c, digest=d) for c, d in keys.items()
    )
    m.audit(
        _actor(context),
        "request_create",
        request_id=request.id,
        package_id=package_id,
        attributes=sorted(data["subject"]),
    )
    _commit(context)
    jobs.withdraw_for_scope(package_id, f"request {reference} filed")
    return {"reference": reference, "token": token, "status": request.status, "scope": request.scope}


def optout_request_show(context, data_dict):
    """Status of an opt-out (申出状況の確認), for its holder. POST only (the token must not
    appear in a URL); rate-limited per client like the public form.

    :param reference: the reference number (``OPT-XXXX-XXXX``)
    :type reference: string
    :param token: the secret token given when the request was filed
    :type token: string
    :returns: ``{"reference", "status", "active", "scope", "created", "modified"}``; status is
        ``pending`` (受付済・有効), ``verified`` (確認済・有効), ``rejected`` (却下) or
        ``withdrawn`` (解除済). Nothing about the person.
    :rtype: dict
    """
    tk.check_access("optout_request_show", context, data_dict)
    ratelimit.check("check")
    data = _validate(data_dict, schema.request_token(), context)
    return _request_by_token(data).as_dict()


def optout_request_withdraw(context, data_dict):
    """Withdraw an opt-out (解除): the resident's records may be published again.

    Needs the token, or a staff decision (registry staff, no token; give a ``note``). The request's
    hashes are erased and the resources in its scope are re-derived.

    :param reference: the reference number
    :type reference: string
    :param token: the secret token (not needed by staff)
    :type token: string
    :param note: staff note (optional; no personal data)
    :type note: string
    :returns: the request's status (as ``optout_request_show``)
    :rtype: dict
    """
    tk.check_access("optout_request_withdraw", context, data_dict)
    ratelimit.check("check")
    data = _validate(data_dict, schema.request_withdraw(), context)
    if data.get("token"):
        request = _request_by_token(data)
        via = "token"
    elif _is_staff(context):
        request = _request_by_reference(data["reference"])
        via = "staff"
    else:
        raise tk.NotAuthorized("解除には確認コードが必要です (the token is required to withdraw)")
    if request.active:
        _close(request, m.WITHDRAWN, context, data.get("note") if via == "staff" else None)
        m.audit(
            _actor(context), "request_withdraw", request_id=request.id, package_id=request.package_id, via=via
        )
        _commit(context)
        jobs.enqueue_for_scope(request.package_id, f"request {request.reference} withdrawn")
    return request.as_dict()


def optout_request_list(context, data_dict):
    """Opt-out requests, newest first (registry staff only).

    :param status: ``pending``, ``verified``, ``rejected``, ``withdrawn`` or ``active``
    :type status: string
    :param scope: ``all`` (requests for every dataset) or a dataset id/name
    :type scope: string
    :param limit: at most this many (default 50)
    :param offset: skip this many
    :returns: ``{"count", "results": [...]}``; each result has the reference, status, scope,
        attributes given (names only), contact, note, dates
    :rtype: dict
    """
    tk.check_access("optout_request_list", context, data_dict)
    data = _validate(data_dict, schema.request_list(), context)
    R = m.OptoutRequest
    query = m.Session.query(R)
    status = data.get("status")
    if status == "active":
        query = query.filter(R.status.in_(m.ACTIVE_STATUSES))
    elif status:
        query = query.filter(R.status == status)
    scope = data.get("scope")
    if scope == "all":
        query = query.filter(R.package_id.is_(None))
    elif scope:
        query = query.filter(R.package_id == _package(scope).id)
    count = query.count()
    rows = query.order_by(R.created.desc()).offset(data["offset"]).limit(data["limit"]).all()
    return {"count": count, "results": [r.as_dict(staff=True) for r in rows]}


def optout_request_verify(context, data_dict):
    """Mark an opt-out as checked by staff (確認済). It stays in effect.

    :param reference: the reference number
    :param note: staff note (optional; no personal data)
    :returns: the request (staff view)
    """
    tk.check_access("optout_request_verify", context, data_dict)
    data = _validate(data_dict, schema.request_decide(), context)
    request = _request_by_reference(data["reference"])
    if request.status != m.PENDING:
        raise tk.ValidationError(
            {
                "status": [
                    f"この申出は確認できません（現在: {request.status}） (cannot verify a "
                    f"{request.status} request)"
                ]
            }
        )
    request.status = m.VERIFIED
    request.modified = dt.datetime.utcnow()
    request.decided_by = context.get("user")
    if data.get("note"):
        request.note = data["note"]
    m.audit(_actor(context), "request_verify", request_id=request.id, package_id=request.package_id)
    _commit(context)
    # Verified: matched on every subject column from now on (see stage.py), so derive again.
    jobs.enqueue_for_scope(request.package_id, f"request {request.reference} verified")
    return request.as_dict(staff=True)


def optout_request_reject(context, data_dict):
    """Reject an opt-out (却下): it stops taking effect; records may be published again.

    :param reference: the reference number
    :param note: the reason (recommended; no personal data)
    :returns: the request (staff view)
    """
    tk.check_access("optout_request_reject", context, data_dict)
    data = _validate(data_dict, schema.request_decide(), context)
    request = _request_by_reference(data["reference"])
    if not request.active:
        raise tk.ValidationError(
            {
                "status": [
                    f"この申出は却下できません（現在: {request.status}） (cannot reject a "
                    f"{request.status} request)"
                ]
            }
        )
    _close(request, m.REJECTED, context, data.get("note"))
    m.audit(_actor(context), "request_reject", request_id=request.id, package_id=request.package_id)
    _commit(context)
    jobs.enqueue_for_scope(request.package_id, f"request {request.reference} rejected")
    return request.as_dict(staff=True)


def optout_audit_list(context, data_dict):
    """The audit log, newest first (staff only): who did what, when; never identifying values.

    :param reference: only entries of this request (optional)
    :param id: only entries of this dataset (optional)
    :param limit: at most this many (default 100)
    :param offset: skip this many
    :returns: ``{"count", "results": [{"created", "actor", "action", ...}]}``
    """
    tk.check_access("optout_audit_list", context, data_dict)
    data = _validate(data_dict, schema.listing(), context)
    A = m.OptoutAudit
    query = m.Session.query(A)
    if data_dict.get("reference"):
        query = query.filter(A.request_id == _request_by_reference(data_dict["reference"]).id)
    if data_dict.get("id"):
        query = query.filter(A.package_id == _package(data_dict["id"]).id)
    count = query.count()
    rows = query.order_by(A.id.desc()).offset(data["offset"]).limit(data["limit"]).all()
    return {"count": count, "results": [r.as_dict() for r in rows]}


# ---------------------------------------------------------------------------------------------
# resources


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
    """
    tk.check_access("optout_resource_configure", context, data_dict)
    data = _validate(data_dict, schema.resource_configure(), context)
    resource = ckan_model.Resource.get(data["resource_id"])
    if resource is None or resource.state == "deleted":
        raise tk.ObjectNotFound("リソースが見つかりません (resource not found)")
    row = m.Session.get(m.OptoutResource, resource.id)
    columns = data["subject_columns"]
    if columns:
        if row is None:
            row = m.OptoutResource(resource_id=resource.id)
            m.Session.add(row)
        row.package_id = resource.package_id
        row.subject_columns = columns
        row.modified = dt.datetime.utcnow()
        row.modified_by = context.get("user")
    elif row is not None:
        m.Session.delete(row)
    m.audit(
        _actor(context),
        "resource_configure",
        package_id=resource.package_id,
        resource_id=resource.id,
        subject_columns=columns,
    )
    _commit(context)
    queued = jobs.enqueue_rederive([resource.id], "subject columns changed")
    return {
        "resource_id": resource.id,
        "package_id": resource.package_id,
        "subject_columns": columns,
        "rederive": queued,
    }


@tk.side_effect_free
def optout_resource_show(context, data_dict):
    """The subject-key columns of a resource (``{}`` when none).

    :param resource_id: the resource
    :returns: ``{"resource_id", "subject_columns"}``
    """
    tk.check_access("optout_resource_show", context, data_dict)
    resource_id = tk.get_or_bust(data_dict, "resource_id")
    row = m.Session.get(m.OptoutResource, resource_id)
    return {"resource_id": resource_id, "subject_columns": dict(row.subject_columns) if row else {}}


# ---------------------------------------------------------------------------------------------
# dataset lifecycle


@tk.side_effect_free
def optout_dataset_show(context, data_dict):
    """Lifecycle state of a dataset: ``stock``, ``notice``, ``open`` or None (outside it).

    :param id: dataset id or name
    :returns: ``{"package_id", "name", "state", "deadline", "held", "private"}``
    """
    tk.check_access("optout_dataset_show", context, data_dict)
    data = _validate(data_dict, schema.dataset_id(), context)
    pkg = _package(data["id"])
    row = _state(pkg)
    if row is None:
        tk.check_access("package_show", context, {"id": pkg.id})
    return _dataset_result(pkg, row)


def optout_dataset_stock(context, data_dict):
    """Put a dataset in the closed stock (private). Editors of the dataset.

    :param id: dataset id or name
    :param listed: show its title and description on the public stock list
        (``optout_stock_list``, the notices page). Not given: unchanged for a dataset already in
        the lifecycle, false for a new one (datasets stocked by ``stock_by_default`` are never
        listed until staff choose to).
    :type listed: bool
    :returns: the lifecycle state
    """
    tk.check_access("optout_dataset_stock", context, data_dict)
    data = _validate(data_dict, schema.dataset_stock(), context)
    pkg = _package(data["id"])
    row = _state(pkg)
    listed = data["listed"] if "listed" in data else bool(row.listed) if row else False
    row = _transition(context, pkg, m.STOCK, deadline=None, held=False, listed=bool(listed))
    _set_private(context, pkg, True)
    _commit(context)
    return _dataset_result(pkg, row)


def optout_dataset_notice(context, data_dict):
    """Give public notice that a stocked dataset will be opened (公開予定の告知).

    The dataset stays private; its notice (title, description, resources, subject columns, the
    deadline, how to object) is public. Residents may object until the deadline (inclusive); the
    dataset is released the day after by ``ckan optout release-due`` unless held.

    :param id: dataset id or name
    :param deadline: last day for objections, ``YYYY-MM-DD``, at least
        ``ckanext.optout.notice_min_days`` (14) days after today
    :returns: the lifecycle state
    """
    tk.check_access("optout_dataset_notice", context, data_dict)
    data = _validate(data_dict, schema.dataset_notice(), context)
    pkg = _package(data["id"])
    row = _state(pkg)
    current = row.state if row else (m.STOCK if pkg.private else m.OPEN)
    if current not in (m.STOCK, m.NOTICE):
        raise tk.ValidationError(
            {
                "state": [
                    "公開済みのデータセットは告知できません。先にストックに戻してください "
                    "(an open dataset cannot be given notice; put it in stock first)"
                ]
            }
        )
    row = _transition(context, pkg, m.NOTICE, deadline=data["deadline"], held=False)
    _set_private(context, pkg, True)
    _commit(context)
    return _dataset_result(pkg, row)


def optout_dataset_hold(context, data_dict):
    """Hold (保留) a dataset in notice so it is not released at the deadline, or lift the hold.

    :param id: dataset id or name
    :param held: true to hold (default), false to lift the hold
    :returns: the lifecycle state
    """
    tk.check_access("optout_dataset_hold", context, data_dict)
    data = _validate(data_dict, schema.dataset_hold(), context)
    pkg = _package(data["id"])
    row = _state(pkg)
    if row is None or row.state != m.NOTICE:
        raise tk.ValidationError(
            {"state": ["告知期間中のデータセットのみ保留できます (only a dataset in notice can be held)"]}
        )
    row = _transition(
        context,
        pkg,
        m.NOTICE,
        held=bool(data["held"]),
        action="dataset_hold" if data["held"] else "dataset_unhold",
    )
    _commit(context)
    return _dataset_result(pkg, row)


# What makes a resource "hold personal records" in the anonymize plugin's scrub report: a column
# whose every cell is a person's name (policy transform, entity PERSON), or any date of birth.
PERSON, DATE_OF_BIRTH, TRANSFORM = "PERSON", "DATE_OF_BIRTH", "transform"


def holds_personal_records(report: dict[str, Any]) -> bool:
    """Whether an ``anonymize_report_show`` answer shows personal records. The scrub report is
    read where the pipeline puts it (``report.stages.scrub``) or at the top (the engine's own).

    >>> holds_personal_records({"report": {"stages": {"scrub": {"sheets": [{"columns": [
    ...     {"name": "氏名", "policy": "transform", "entity": "PERSON", "entities": {}}]}]}}}})
    True
    >>> holds_personal_records({"report": {"sheets": [{"columns": [
    ...     {"name": "氏名", "policy": "keep", "entities": {}},
    ...     {"name": "生年月日", "policy": "transform", "entity": "DATE_OF_BIRTH"}]}]}})
    True
    >>> holds_personal_records({"report": {"sheets": [{"columns": [
    ...     {"name": "備考", "policy": "analyze", "entities": {"DATE_OF_BIRTH": 2}}]}]}})
    True
    >>> holds_personal_records({"report": {"stages": {"scrub": {"sheets": [{"columns": [
    ...     {"name": "施設名", "policy": "keep", "entities": {}},
    ...     {"name": "電話番号", "policy": "transform", "entity": "PHONE_NUMBER"}]}]}}}})
    False
    """
    top = (report or {}).get("report") or {}
    stages = top.get("stages") if isinstance(top.get("stages"), dict) else {}
    for scrub in [top, *(v for v in stages.values() if isinstance(v, dict))]:
        if (scrub.get("totals") or {}).get(DATE_OF_BIRTH):
            return True
        for sheet in scrub.get("sheets") or []:
            columns = list(sheet.get("columns") or [])
            columns += [sheet[k] for k in ("header", "preamble") if isinstance(sheet.get(k), dict)]
            for column in columns:
                entity = column.get("entity")
                if entity == PERSON and column.get("policy") == TRANSFORM:
                    return True
                found = column.get("entities")
                if entity == DATE_OF_BIRTH or (isinstance(found, dict) and found.get(DATE_OF_BIRTH)):
                    return True
    return False


def _unconfigured_personal_resources(context: dict, pkg: ckan_model.Package) -> list[ckan_model.Resource]:
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
        for row in m.Session.query(m.OptoutResource).filter(m.OptoutResource.package_id == pkg.id)
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


def optout_dataset_release(context, data_dict):
    """Open (公開) a dataset whose notice period has ended (the day after its deadline).

    Refused while the dataset is held, before the deadline has passed, and while a resource of
    the dataset holds personal records (as the ``anonymize`` plugin's scrub report shows) but
    has no subject-key columns (``optout_resource_configure``). A sysadmin may release before the
    deadline with ``early=true`` and a ``reason`` (recorded in the audit log).

    :param id: dataset id or name
    :param early: release before the deadline (sysadmins only; default false)
    :type early: bool
    :param reason: why (required with ``early``; no personal data)
    :type reason: string
    :returns: the lifecycle state
    """
    tk.check_access("optout_dataset_release", context, data_dict)
    data = _validate(data_dict, schema.dataset_release(), context)
    pkg = _package(data["id"])
    row = _state(pkg)
    if row is None or row.state != m.NOTICE:
        raise tk.ValidationError(
            {"state": ["公開するには先に告知してください (give notice before releasing)"]}
        )
    if row.held:
        raise tk.ValidationError(
            {
                "held": [
                    "公開が保留されています。保留を解いてから公開してください "
                    "(the dataset is held: lift the hold before releasing it)"
                ]
            }
        )
    due = row.deadline is not None and row.deadline < dt.date.today()
    reason = (data.get("reason") or "").strip()
    if not due:
        if not data["early"]:
            raise tk.ValidationError(
                {
                    "deadline": [
                        f"申出の期限（{row.deadline}）が過ぎるまで公開できません。期限の翌日以降に公開され"
                        f"ます (the deadline for objections, {row.deadline}, has not passed: the dataset "
                        f"can be released from the day after)"
                    ]
                }
            )
        if not authz.is_sysadmin(context.get("user")):
            raise tk.NotAuthorized(
                "期限前の公開はシステム管理者のみ行えます (only a sysadmin may release a dataset "
                "before its deadline)"
            )
        if not reason:
            raise tk.ValidationError(
                {
                    "reason": [
                        "期限前に公開する理由を入力してください (give the reason for releasing before "
                        "the deadline)"
                    ]
                }
            )
    missing = _unconfigured_personal_resources(context, pkg)
    if missing:
        names = "、".join(f"「{r.name or r.id}」" for r in missing)
        raise tk.ValidationError(
            {
                "resources": [
                    f"個人の記録を含むリソース{names}に、個人を識別する列（オプトアウトの照合に使う列）が"
                    f"設定されていません。設定してから公開してください (resources holding personal "
                    f"records have no subject-key columns configured: "
                    f"{', '.join(r.name or r.id for r in missing)})"
                ]
            }
        )
    detail: dict[str, Any] = {"early": not due, "deadline": row.deadline}
    if reason:
        detail["reason"] = reason[:500]
    row = _transition(context, pkg, m.OPEN, held=False, detail=detail)
    _set_private(context, pkg, False)
    _commit(context)
    return _dataset_result(pkg, row)


def optout_dataset_release_due(context, data_dict):
    """Release every dataset whose notice ended (deadline before today) without a hold, and
    erase the contacts kept longer than the retention period (``optout_contact_purge``).

    Registry staff; run daily by ``ckan optout release-due``. A due dataset that may not be
    released (e.g. personal records without subject-key columns) stays in notice and is named
    in ``not_released`` with the reason.

    :param today: the date to judge by (``YYYY-MM-DD``, not after the current date; default
        today)
    :returns: ``{"released": [names], "count", "not_released": [{"name", "reason"}]}``
    """
    tk.check_access("optout_dataset_release_due", context, data_dict)
    data = _validate(data_dict, schema.release_due(), context)
    today = data.get("today") or dt.date.today()
    D = m.OptoutDataset
    due = (
        m.Session.query(D.package_id)
        .filter(D.state == m.NOTICE, D.held.is_(False), D.deadline < today)
        .order_by(D.deadline)
        .all()
    )
    released, refused = [], []
    for (package_id,) in due:
        try:
            result = tk.get_action("optout_dataset_release")(
                {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)},
                {"id": package_id},
            )
            released.append(result["name"])
        except Exception as exc:  # one dataset's failure stops no other
            ckan_model.Session.rollback()
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
    if isinstance(errors, dict):
        return [m_ for key, value in errors.items() if key != "__type" for m_ in _messages(value)]
    if isinstance(errors, (list, tuple)):
        return [m_ for value in errors for m_ in _messages(value)]
    return [str(errors)] if errors else []


def optout_contact_purge(context, data_dict):
    """Erase the contacts of requests filed more than ``ckanext.optout.contact_retention_days``
    (365) days ago. The requests stay in effect; each erasure is audited. Registry staff; run
    daily by ``ckan optout release-due``.

    :returns: ``{"erased", "retention_days"}``
    """
    tk.check_access("optout_contact_purge", context, data_dict)
    days = int(tk.config.get("ckanext.optout.contact_retention_days"))
    cutoff = dt.datetime.utcnow() - dt.timedelta(days=days)
    R = m.OptoutRequest
    rows = m.Session.query(R).filter(R.contact.isnot(None), R.created < cutoff).all()
    for request in rows:
        request.contact = None
        m.audit(
            _actor(context),
            "contact_erase",
            request_id=request.id,
            package_id=request.package_id,
            via="retention",
            retention_days=days,
        )
    _commit(context)
    return {"erased": len(rows), "retention_days": days}


# ---------------------------------------------------------------------------------------------
# public transparency lists


def _public_metadata(pkg: ckan_model.Package) -> dict[str, Any]:
    """What may be shown of a closed dataset: metadata only, never a URL or a record."""
    org = pkg.get_groups("organization")
    return {
        "id": pkg.id,
        "name": pkg.name,
        "title": pkg.title or pkg.name,
        "notes": pkg.notes or "",
        "organization": org[0].title if org else None,
        "tags": sorted(t.name for t in pkg.get_tags()),
        "num_resources": len([r for r in pkg.resources if r.state == "active"]),
        "metadata_modified": pkg.metadata_modified.isoformat() if pkg.metadata_modified else None,
    }


def _listing(
    state: str, data: dict, listed_only: bool = False
) -> tuple[int, list[tuple[ckan_model.Package, Any]]]:
    D, P = m.OptoutDataset, ckan_model.Package
    query = m.Session.query(P, D).join(D, D.package_id == P.id).filter(D.state == state, P.state == "active")
    if listed_only:
        query = query.filter(D.listed.is_(True))
    count = query.count()
    rows = query.order_by(D.deadline, P.title).offset(data["offset"]).limit(data["limit"]).all()
    return count, rows


@tk.side_effect_free
def optout_notice_list(context, data_dict):
    """Datasets in notice (公開予定のデータ), public: what will be opened, when, how to object.

    :param limit: at most this many (default 100)
    :param offset: skip this many
    :returns: ``{"count", "results": [...]}``; each result has the dataset's title, description,
        organization, tags, its resources (name, format, description, the columns that identify a
        person), the deadline for objections, the planned release date and whether it is held.
        No records and no file URLs.
    """
    tk.check_access("optout_notice_list", context, data_dict)
    data = _validate(data_dict, schema.listing(), context)
    count, rows = _listing(m.NOTICE, data)
    configured = {}
    if rows:
        ids = [pkg.id for pkg, _ in rows]
        for row in m.Session.query(m.OptoutResource).filter(m.OptoutResource.package_id.in_(ids)):
            configured[row.resource_id] = row.subject_columns
    results = []
    for pkg, state in rows:
        item = _public_metadata(pkg)
        item["resources"] = [
            {
                "name": r.name or "",
                "format": r.format or "",
                "description": r.description or "",
                "subject_columns": [
                    {"attribute": a, "label": ATTRIBUTE_LABELS[a], "column": c}
                    for a, c in sorted((configured.get(r.id) or {}).items())
                ],
            }
            for r in pkg.resources
            if r.state == "active"
        ]
        item["deadline"] = state.deadline.isoformat() if state.deadline else None
        item["release_date"] = (state.deadline + dt.timedelta(days=1)).isoformat() if state.deadline else None
        item["held"] = bool(state.held)
        results.append(item)
    return {"count": count, "results": results}


@tk.side_effect_free
def optout_stock_list(context, data_dict):
    """What the city holds in its closed stock and has chosen to list (``listed``), public,
    metadata only (title, description, organization, tags, number of resources).

    :param limit: at most this many (default 100)
    :param offset: skip this many
    :param include_unlisted: also the datasets in stock that are not listed, each with its
        ``listed`` flag (registry staff only)
    :type include_unlisted: bool
    :returns: ``{"count", "results": [...]}``
    """
    tk.check_access("optout_stock_list", context, data_dict)
    data = _validate(data_dict, schema.stock_listing(), context)
    everything = bool(data.get("include_unlisted"))
    if everything and not _is_staff(context):
        raise tk.NotAuthorized(
            "ストックの全件は担当職員のみ閲覧できます (the whole stock is for registry staff only)"
        )
    count, rows = _listing(m.STOCK, data, listed_only=not everything)
    results = []
    for pkg, state in rows:
        item = _public_metadata(pkg)
        if everything:
            item["listed"] = bool(state.listed)
        results.append(item)
    return {"count": count, "results": results}


__all__ = [name for name in dir() if name.startswith("optout_")]
