"""The residents' registry: file, check, withdraw (解除) an opt-out; staff list, verify, reject;
contacts erased after their retention period. Every change is audited."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate  # CKAN's action decorator (not in the toolkit)

from ... import contact as contact_crypto
from ... import jobs, model, ratelimit
from ...keys import format_reference, new_reference, new_token, normalize_code
from ...registry import get_hasher
from ...transaction import commit
from .. import schema
from .common import actor, is_staff, package

NOT_FOUND = "受付番号または確認コードが正しくありません (unknown reference or wrong token)"


def rate_limited(bucket: str) -> Callable[[Callable], Callable]:
    """Count the attempt in ``bucket`` before anything else, as the action API does (an
    attempt with bad parameters counts too)."""

    def decorate(action: Callable) -> Callable:
        @functools.wraps(action)
        def counted(context: dict, data_dict: dict) -> Any:
            ratelimit.check(bucket)
            return action(context, data_dict)

        return counted

    return decorate


def request_by_reference(reference: str) -> model.OptoutRequest:
    """The request with this reference number, or ObjectNotFound (staff: no token needed)."""
    request = model.OptoutRequest.by_reference(format_reference(reference))
    if request is None:
        raise tk.ObjectNotFound(NOT_FOUND)
    return request


def _request_by_token(data: dict) -> model.OptoutRequest:
    """The request if reference and token agree; the same error whichever is wrong (a token
    that cannot be one, e.g. in kanji, is just a wrong token)."""
    request = model.OptoutRequest.by_reference(format_reference(data["reference"]))
    stored = request.token_hash if request else "0" * 64
    token = data.get("token") or ""
    if not normalize_code(token).isascii():
        token, stored = "0", "0" * 64  # hashed all the same: no faster answer for these
    if not get_hasher().token_matches(token, stored) or request is None:
        raise tk.ObjectNotFound(NOT_FOUND)
    return request


def _close(request: model.OptoutRequest, status: str, context: dict, note: str | None) -> None:
    """End a request's effect: its digests and contact are erased (nothing kept that matches)."""
    request.status = status
    request.modified = dt.datetime.utcnow()
    request.contact = None
    if note:
        request.note = note
    if is_staff(context) and context.get("user"):
        request.decided_by = context["user"]
    model.Session.query(model.OptoutSubjectKey).filter(
        model.OptoutSubjectKey.request_id == request.id
    ).delete(synchronize_session=False)


def _status_refused(request: model.OptoutRequest, ja_verb: str, en_verb: str) -> tk.ValidationError:
    return tk.ValidationError(
        {
            "status": [
                f"この申出は{ja_verb}できません（現在: {request.status}） (cannot {en_verb} a "
                f"{request.status} request)"
            ]
        }
    )


@rate_limited("request")
@validate(schema.request_create)
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
    hasher = get_hasher()
    keys = hasher.subject_keys(data_dict["subject"])
    token = new_token()
    reference = new_reference()
    while model.OptoutRequest.by_reference(reference) is not None:
        reference = new_reference()
    package_id = None if data_dict["scope"] == "all" else data_dict["scope"]
    request_id = str(uuid.uuid4())
    contact = (data_dict.get("contact") or "").strip()[:500]
    request = model.OptoutRequest(
        id=request_id,
        reference=reference,
        token_hash=hasher.token_hash(token),
        key_id=hasher.key_id,
        status=model.PENDING,
        package_id=package_id,
        attributes="+".join(sorted(data_dict["subject"])),
        contact=contact_crypto.encrypt(contact, request_id) if contact else None,
    )
    model.Session.add(request)
    model.Session.flush()
    model.Session.add_all(
        model.OptoutSubjectKey(request_id=request.id, combination=combination, digest=digest)
        for combination, digest in keys.items()
    )
    model.audit(
        actor(context),
        "request_create",
        request_id=request.id,
        package_id=package_id,
        attributes=sorted(data_dict["subject"]),
    )
    commit(context)
    jobs.withdraw_for_scope(package_id, f"request {reference} filed", context)
    return {"reference": reference, "token": token, "status": request.status, "scope": request.scope}


@rate_limited("check")
@validate(schema.request_token)
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
    return _request_by_token(data_dict).as_dict()


@rate_limited("check")
@validate(schema.request_withdraw)
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
    if data_dict.get("token"):
        request = _request_by_token(data_dict)
        via = "token"
    elif is_staff(context):
        request = request_by_reference(data_dict["reference"])
        via = "staff"
    else:
        raise tk.NotAuthorized("解除には確認コードが必要です (the token is required to withdraw)")
    if request.active:
        _close(request, model.WITHDRAWN, context, data_dict.get("note") if via == "staff" else None)
        model.audit(
            actor(context), "request_withdraw", request_id=request.id, package_id=request.package_id, via=via
        )
        commit(context)
        jobs.enqueue_for_scope(request.package_id, f"request {request.reference} withdrawn", context)
    return request.as_dict()


@validate(schema.request_list)
def optout_request_list(context, data_dict):
    """Opt-out requests, newest first (registry staff only).

    :param status: ``pending``, ``verified``, ``rejected``, ``withdrawn`` or ``active``
    :type status: string
    :param scope: ``all`` (requests for every dataset) or a dataset id/name
    :type scope: string
    :param limit: at most this many (default 50)
    :type limit: int
    :param offset: skip this many
    :type offset: int
    :returns: ``{"count", "results": [...]}``; each result has the reference, status, scope,
        attributes given (names only), contact, note, dates
    :rtype: dict
    """
    tk.check_access("optout_request_list", context, data_dict)
    Request = model.OptoutRequest
    query = model.Session.query(Request)
    status = data_dict.get("status")
    if status == "active":
        query = query.filter(Request.status.in_(model.ACTIVE_STATUSES))
    elif status:
        query = query.filter(Request.status == status)
    scope = data_dict.get("scope")
    if scope == "all":
        query = query.filter(Request.package_id.is_(None))
    elif scope:
        query = query.filter(Request.package_id == package(scope).id)
    count = query.count()
    rows = query.order_by(Request.created.desc()).offset(data_dict["offset"]).limit(data_dict["limit"]).all()
    return {"count": count, "results": [row.as_dict(staff=True) for row in rows]}


@validate(schema.request_decide)
def optout_request_verify(context, data_dict):
    """Mark an opt-out as checked by staff (確認済). It stays in effect, and is matched on every
    subject column from now on, so the resources in its scope are re-derived.

    :param reference: the reference number
    :type reference: string
    :param note: staff note (optional; no personal data)
    :type note: string
    :returns: the request (staff view, as in ``optout_request_list``)
    :rtype: dict
    """
    tk.check_access("optout_request_verify", context, data_dict)
    request = request_by_reference(data_dict["reference"])
    if request.status != model.PENDING:
        raise _status_refused(request, "確認", "verify")
    request.status = model.VERIFIED
    request.modified = dt.datetime.utcnow()
    request.decided_by = context.get("user")
    if data_dict.get("note"):
        request.note = data_dict["note"]
    model.audit(actor(context), "request_verify", request_id=request.id, package_id=request.package_id)
    commit(context)
    # Verified: matched on every subject column from now on (see stage.py), so derive again.
    jobs.enqueue_for_scope(request.package_id, f"request {request.reference} verified", context)
    return request.as_dict(staff=True)


@validate(schema.request_decide)
def optout_request_reject(context, data_dict):
    """Reject an opt-out (却下): it stops taking effect; records may be published again.

    :param reference: the reference number
    :type reference: string
    :param note: the reason (recommended; no personal data)
    :type note: string
    :returns: the request (staff view, as in ``optout_request_list``)
    :rtype: dict
    """
    tk.check_access("optout_request_reject", context, data_dict)
    request = request_by_reference(data_dict["reference"])
    if not request.active:
        raise _status_refused(request, "却下", "reject")
    _close(request, model.REJECTED, context, data_dict.get("note"))
    model.audit(actor(context), "request_reject", request_id=request.id, package_id=request.package_id)
    commit(context)
    jobs.enqueue_for_scope(request.package_id, f"request {request.reference} rejected", context)
    return request.as_dict(staff=True)


def optout_contact_purge(context, data_dict):
    """Erase the contacts of requests filed more than ``ckanext.optout.contact_retention_days``
    (365) days ago. The requests stay in effect; each erasure is audited. Registry staff; run
    daily by ``ckan optout release-due``. Takes no parameters.

    :returns: ``{"erased": number of contacts erased, "retention_days"}``
    :rtype: dict
    """
    tk.check_access("optout_contact_purge", context, data_dict)
    days = int(tk.config.get("ckanext.optout.contact_retention_days"))
    cutoff = dt.datetime.utcnow() - dt.timedelta(days=days)
    Request = model.OptoutRequest
    rows = model.Session.query(Request).filter(Request.contact.isnot(None), Request.created < cutoff).all()
    for request in rows:
        request.contact = None
        model.audit(
            actor(context),
            "contact_erase",
            request_id=request.id,
            package_id=request.package_id,
            via="retention",
            retention_days=days,
        )
    commit(context)
    return {"erased": len(rows), "retention_days": days}


__all__ = [
    "optout_contact_purge",
    "optout_request_create",
    "optout_request_list",
    "optout_request_reject",
    "optout_request_show",
    "optout_request_verify",
    "optout_request_withdraw",
]
