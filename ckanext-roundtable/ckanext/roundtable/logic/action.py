"""The roundtable's action API: data requests (データのリクエスト), supports, comments, typed
feedback on datasets, staff answers, moderation and the staff summary.

Public output never holds a requester's contact, who wrote a request or comment, nor the title
of a linked dataset the caller may not read (it is shown as 公開準備中, "being prepared").
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from .. import mail, model, ratelimit, screening, terms
from . import schema
from .auth import is_staff

log = logging.getLogger(__name__)

__all__ = [
    "roundtable_comment_create",
    "roundtable_comment_list",
    "roundtable_moderate",
    "roundtable_moderation_list",
    "roundtable_request_create",
    "roundtable_request_link_dataset",
    "roundtable_request_search",
    "roundtable_request_show",
    "roundtable_request_support",
    "roundtable_request_update_status",
    "roundtable_summary",
]

SYSTEM = "system"


# ------------------------------------------------------------------------------------- who asks
def _user(context: dict) -> ckan_model.User | None:
    name = context.get("user")
    return ckan_model.User.get(name) if name else None


def _staff(context: dict) -> bool:
    return bool(context.get("ignore_auth")) or is_staff(context.get("user"))


def _client(context: dict) -> tuple[str | None, str | None]:
    """``(rate-limit client, supporter key)`` of the caller.

    A logged-in user is themself; an anonymous web client is a keyed hash of its address and
    browser (User-Agent). Outside a web request (CLI, jobs) nothing is counted, and a supporter
    key can only come from the Python caller's context (``roundtable_supporter``, the demo)."""
    user = _user(context)
    if user is not None:
        return f"user:{user.id}", f"user:{user.id}"
    from flask import has_request_context, request

    if not has_request_context():
        return None, context.get("roundtable_supporter")
    address = request.remote_addr or "unknown"
    agent = request.headers.get("User-Agent", "")
    return f"addr:{address}", "anon:" + ratelimit.keyed(f"{address}|{agent}")


def _limit(context: dict, bucket: str) -> None:
    if _staff(context):
        return
    client, _ = _client(context)
    ratelimit.check(bucket, client)


def _commit(context: dict) -> None:
    if not context.get("defer_commit"):
        model.Session.commit()


# -------------------------------------------------------------------------------------- reading
def _get_request(request_id: str) -> model.Request:
    req = model.Session.get(model.Request, request_id)
    if req is None:
        raise tk.ObjectNotFound("リクエストが見つかりません (request not found)")
    return req


def _readable(context: dict, item: Any) -> bool:
    """Public items to anyone; others to staff and to the logged-in user who wrote them."""
    if item.visibility == terms.PUBLIC or _staff(context):
        return True
    user = _user(context)
    return user is not None and item.user_id == user.id


def _dataset(context: dict, package_id: str | None) -> dict[str, Any] | None:
    """The linked dataset as the caller may see it: name and title only if they can read it."""
    if not package_id:
        return None
    try:
        pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    except tk.ObjectNotFound:
        return None
    if pkg.get("state") != "active":
        return None
    public = not pkg.get("private")
    try:
        tk.check_access("package_show", {"user": context.get("user") or ""}, {"id": package_id})
        readable = True
    except tk.NotAuthorized:
        readable = bool(context.get("ignore_auth"))
    if not readable:
        return {"public": False, "label": "公開準備中"}
    return {
        "public": public,
        "label": "公開中" if public else "公開準備中",
        "id": pkg["id"],
        "name": pkg["name"],
        "title": pkg.get("title") or pkg["name"],
    }


def _group(group_id: str | None) -> dict[str, Any] | None:
    group = ckan_model.Group.get(group_id) if group_id else None
    if group is None:
        return None
    return {"id": group.id, "name": group.name, "title": group.title or group.name}


def _support_counts(ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = (
        model.Session.query(model.Support.request_id, sa.func.count())
        .filter(model.Support.request_id.in_(ids))
        .group_by(model.Support.request_id)
    )
    return dict(rows)


def _comment_counts(ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = (
        model.Session.query(model.Comment.request_id, sa.func.count())
        .filter(model.Comment.request_id.in_(ids), model.Comment.visibility == terms.PUBLIC)
        .group_by(model.Comment.request_id)
    )
    return dict(rows)


def _request_dict(context: dict, req: model.Request, supports: int, comments: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": req.id,
        "title": req.title,
        "description": req.description,
        "audience": req.audience or "",
        "status": req.status,
        "status_label": terms.status_label(req.status),
        "status_reason": req.status_reason or "",
        "support_count": supports,
        "comment_count": comments,
        "dataset": _dataset(context, req.package_id),
        "theme": _group(req.group_id),
        "organization": _group(req.organization_id),
        "created": req.created.isoformat(),
        "modified": req.modified.isoformat(),
    }
    user = _user(context)
    if _staff(context) or (user is not None and req.user_id == user.id):
        data.update(visibility=req.visibility, hold_reason=req.hold_reason)
    if _staff(context):
        author = ckan_model.User.get(req.user_id) if req.user_id else None
        data.update(contact=req.contact, user=author.name if author else None)
    return data


def _comment_dict(context: dict, comment: model.Comment) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": comment.id,
        "request_id": comment.request_id,
        "package_id": comment.package_id,
        "parent_id": comment.parent_id,
        "kind": comment.kind,
        "kind_label": terms.kind_label(comment.kind) if comment.kind else None,
        "body": comment.body,
        "staff": bool(comment.staff),
        "created": comment.created.isoformat(),
    }
    user = _user(context)
    if _staff(context) or (user is not None and comment.user_id == user.id):
        data.update(visibility=comment.visibility, hold_reason=comment.hold_reason)
    if _staff(context):
        author = ckan_model.User.get(comment.user_id) if comment.user_id else None
        data["user"] = author.name if author else None
    return data


# ------------------------------------------------------------------------------------- requests
@tk.validate(schema.request_create)
def roundtable_request_create(context: dict, data_dict: dict) -> dict[str, Any]:
    """File a data request (データのリクエスト). Anyone, with or without an account.

    The text is checked for personal data before it is shown (see ``screening.py``) and, when
    ``ckanext.roundtable.moderation`` is on, shown only after staff approve it. Rate-limited per
    client (``ckanext.roundtable.rate_limit.submit``).

    :param title: what data is wanted (up to 200 characters)
    :type title: string
    :param description: what it is for and why (内容と理由, up to 4,000 characters)
    :type description: string
    :param audience: who would use it (想定される利用者; optional)
    :type audience: string
    :param contact: an e-mail address for status mails (optional; never shown publicly, erased
        once the request reaches 公開済 or 公開できない)
    :type contact: string
    :param group: the theme (a group's id or name; optional)
    :type group: string
    :returns: the request (as ``roundtable_request_show``) and ``notice``, what the submitter is
        told about when it will be shown
    :rtype: dict
    """
    tk.check_access("roundtable_request_create", context, data_dict)
    _limit(context, "submit")
    user = _user(context)
    group = ckan_model.Group.get(data_dict["group"]) if data_dict.get("group") else None
    req = model.Request(
        title=data_dict["title"],
        description=data_dict["description"],
        audience=data_dict.get("audience") or "",
        contact=data_dict.get("contact") or None,
        user_id=user.id if user else None,
        group_id=group.id if group is not None and not group.is_organization else None,
        status=terms.RECEIVED,
    )
    req.index()
    background = screening.submitted(req, staff=False)
    model.Session.add(req)
    model.Session.flush()
    model.Session.add(model.StatusChange(request_id=req.id, status=terms.RECEIVED, actor=SYSTEM))
    model.Session.commit()
    if background:
        screening.queue("request", req)
    result = _request_dict(context, req, 0, 0)
    # the submitter is told where it stands (never who else wrote what)
    result.update(visibility=req.visibility, notice=screening.notice(req))
    return result


@tk.side_effect_free
@tk.validate(schema.request_id)
def roundtable_request_show(context: dict, data_dict: dict) -> dict[str, Any]:
    """One data request, with its status history.

    A request not yet public is found only by staff and by the logged-in user who filed it. A
    linked dataset the caller cannot read shows as ``{"public": false, "label": "公開準備中"}``.

    :param id: the request's id
    :type id: string
    :rtype: dict
    """
    tk.check_access("roundtable_request_show", context, data_dict)
    req = _get_request(data_dict["id"])
    if not _readable(context, req):
        raise tk.ObjectNotFound("リクエストが見つかりません (request not found)")
    result = _request_dict(
        context, req, _support_counts([req.id]).get(req.id, 0), _comment_counts([req.id]).get(req.id, 0)
    )
    changes = (
        model.Session.query(model.StatusChange)
        .filter(model.StatusChange.request_id == req.id)
        .order_by(model.StatusChange.created, model.StatusChange.id)
    )
    result["history"] = [
        {
            "status": c.status,
            "status_label": terms.status_label(c.status),
            "reason": c.reason or "",
            "created": c.created.isoformat(),
        }
        for c in changes
    ]
    _, supporter = _client(context)
    result["supported"] = bool(
        supporter and model.Session.get(model.Support, {"request_id": req.id, "supporter": supporter})
    )
    return result


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@tk.side_effect_free
@tk.validate(schema.request_search)
def roundtable_request_search(context: dict, data_dict: dict) -> dict[str, Any]:
    """Search the public data requests (Japanese: every term of ``q`` must occur in the title,
    description or audience, whatever the width of letters and digits, half-width kana, or
    hiragana/katakana).

    :param q: search words (optional)
    :type q: string
    :param status: only requests with this status (received, considering, planned, published,
        declined; optional)
    :type status: string
    :param package_id: only requests linked to this dataset (id; optional)
    :type package_id: string
    :param sort: ``support`` (most supported first, the default) or ``new``
    :type sort: string
    :param include_held: staff only: include requests not yet public
    :type include_held: bool
    :param limit: at most this many (default 20, at most 100)
    :type limit: int
    :param offset: skip this many
    :type offset: int
    :returns: ``{"count": total, "results": [request, ...]}``
    :rtype: dict
    """
    tk.check_access("roundtable_request_search", context, data_dict)
    supports = (
        model.Session.query(model.Support.request_id, sa.func.count().label("n"))
        .group_by(model.Support.request_id)
        .subquery()
    )
    query = model.Session.query(model.Request, sa.func.coalesce(supports.c.n, 0)).outerjoin(
        supports, supports.c.request_id == model.Request.id
    )
    if not (data_dict["include_held"] and _staff(context)):
        query = query.filter(model.Request.visibility == terms.PUBLIC)
    for term in terms.query_terms(data_dict.get("q") or ""):
        query = query.filter(model.Request.search_key.like(f"%{_escape_like(term)}%", escape="\\"))
    if data_dict.get("status"):
        query = query.filter(model.Request.status == data_dict["status"])
    if data_dict.get("package_id"):
        package = ckan_model.Package.get(data_dict["package_id"])
        query = query.filter(model.Request.package_id == (package.id if package else data_dict["package_id"]))
    total = query.count()
    if data_dict["sort"] == "new":
        query = query.order_by(model.Request.created.desc())
    else:
        query = query.order_by(sa.func.coalesce(supports.c.n, 0).desc(), model.Request.created.desc())
    rows = query.offset(data_dict["offset"]).limit(data_dict["limit"]).all()
    comments = _comment_counts([req.id for req, _ in rows])
    return {
        "count": total,
        "results": [_request_dict(context, req, int(n), comments.get(req.id, 0)) for req, n in rows],
    }


@tk.validate(schema.request_id)
def roundtable_request_support(context: dict, data_dict: dict) -> dict[str, Any]:
    """Support a public request (+1). One per person: per user when logged in, per address and
    browser otherwise; a second support changes nothing. Rate-limited per client
    (``ckanext.roundtable.rate_limit.support``).

    :param id: the request's id
    :type id: string
    :returns: ``{"support_count": n, "supported": true, "added": whether this call counted}``
    :rtype: dict
    """
    tk.check_access("roundtable_request_support", context, data_dict)
    req = _get_request(data_dict["id"])
    if req.visibility != terms.PUBLIC:
        raise tk.ObjectNotFound("リクエストが見つかりません (request not found)")
    _limit(context, "support")
    _, supporter = _client(context)
    if not supporter:
        raise tk.ValidationError(
            {"id": ["応援する人を特定できません (no supporter: call over the web or API)"]}
        )
    stmt = (
        pg_insert(model.Support.__table__)
        .values(request_id=req.id, supporter=supporter, created=dt.datetime.utcnow())
        .on_conflict_do_nothing()
    )
    added = model.Session.execute(stmt).rowcount == 1
    model.Session.commit()
    return {"support_count": _support_counts([req.id]).get(req.id, 0), "supported": True, "added": added}


# ------------------------------------------------------------------------------------- comments
@tk.validate(schema.comment_create)
def roundtable_comment_create(context: dict, data_dict: dict) -> dict[str, Any]:
    """Comment on a public request, or give typed feedback on a dataset (要望, 質問, 不具合,
    感謝). Anyone; staff may reply to a comment (``parent_id``). Public text is checked for
    personal data, and moderated when moderation is on, before it is shown; staff replies are
    shown at once. Rate-limited per client (``ckanext.roundtable.rate_limit.submit``).

    :param request_id: the request commented on (or ``package_id``)
    :type request_id: string
    :param package_id: the dataset given feedback (id or name; or ``request_id``)
    :type package_id: string
    :param kind: feedback on a dataset: ``wish`` (要望), ``question`` (質問), ``bug`` (不具合) or
        ``thanks`` (感謝); required with ``package_id`` unless replying
    :type kind: string
    :param parent_id: staff only: the comment replied to
    :type parent_id: string
    :param body: the text (up to 2,000 characters)
    :type body: string
    :returns: the comment and ``notice`` (when it will be shown)
    :rtype: dict
    """
    tk.check_access("roundtable_comment_create", context, data_dict)
    request_id, package_id, parent_id = (data_dict.get(k) for k in ("request_id", "package_id", "parent_id"))
    staff = _staff(context)
    if parent_id:
        parent = model.Session.get(model.Comment, parent_id)
        if parent is None:
            raise tk.ObjectNotFound("コメントが見つかりません (comment not found)")
        request_id, package_id = parent.request_id, parent.package_id
    if bool(request_id) == bool(package_id):
        raise tk.ValidationError(
            {
                "request_id": [
                    "リクエストかデータセットのどちらかを指定してください (request_id or package_id)"
                ]
            }
        )
    kind = data_dict.get("kind")
    if request_id:
        req = _get_request(request_id)
        if req.visibility != terms.PUBLIC and not staff:
            raise tk.ObjectNotFound("リクエストが見つかりません (request not found)")
        kind = None
    else:
        package = ckan_model.Package.get(package_id)
        if package is None or package.state != "active" or package.type != "dataset":
            raise tk.ObjectNotFound("データセットが見つかりません (dataset not found)")
        package_id = package.id
        if not kind and not parent_id:
            raise tk.ValidationError(
                {"kind": ["種類を選んでください (kind required: wish, question, bug, thanks)"]}
            )
    _limit(context, "submit")
    user = _user(context)
    comment = model.Comment(
        request_id=request_id,
        package_id=package_id,
        parent_id=parent_id,
        kind=kind,
        body=data_dict["body"],
        user_id=user.id if user else None,
        staff=bool(parent_id) and staff,
    )
    background = screening.submitted(comment, staff=comment.staff)
    model.Session.add(comment)
    model.Session.commit()
    if background:
        screening.queue("comment", comment)
    result = _comment_dict(context, comment)
    result.update(visibility=comment.visibility, notice=screening.notice(comment))
    return result


@tk.side_effect_free
@tk.validate(schema.comment_list)
def roundtable_comment_list(context: dict, data_dict: dict) -> dict[str, Any]:
    """The public comments of a request, or the public feedback on a dataset, oldest first,
    each followed by staff replies (``replies``).

    :param request_id: a request (or ``package_id``)
    :type request_id: string
    :param package_id: a dataset (id or name)
    :type package_id: string
    :param include_held: staff only: include comments not yet public
    :type include_held: bool
    :returns: ``{"count": n, "results": [comment with "replies", ...]}``
    :rtype: dict
    """
    tk.check_access("roundtable_comment_list", context, data_dict)
    query = model.Session.query(model.Comment)
    if data_dict.get("request_id"):
        req = _get_request(data_dict["request_id"])
        if not _readable(context, req):
            raise tk.ObjectNotFound("リクエストが見つかりません (request not found)")
        query = query.filter(model.Comment.request_id == req.id)
    elif data_dict.get("package_id"):
        tk.check_access("package_show", dict(context), {"id": data_dict["package_id"]})
        package = ckan_model.Package.get(data_dict["package_id"])
        if package is None:
            raise tk.ObjectNotFound("データセットが見つかりません (dataset not found)")
        query = query.filter(model.Comment.package_id == package.id)
    else:
        raise tk.ValidationError(
            {"request_id": ["リクエストかデータセットを指定してください (request_id or package_id)"]}
        )
    everything = data_dict["include_held"] and _staff(context)
    comments = [
        c
        for c in query.order_by(model.Comment.created, model.Comment.id)
        if everything or _readable(context, c)
    ]
    replies: dict[str, list[dict[str, Any]]] = {}
    top = []
    for comment in comments:
        item = _comment_dict(context, comment)
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(item)
        else:
            top.append(item)
    for item in top:
        item["replies"] = replies.get(item["id"], [])
    return {"count": len(top), "results": top}


# ------------------------------------------------------------------------------------- staff
def _actor(context: dict) -> str:
    return context.get("user") or SYSTEM


def _change_status(req: model.Request, status: str, reason: str, actor: str) -> model.StatusChange:
    req.status, req.status_reason, req.modified = status, reason, dt.datetime.utcnow()
    change = model.StatusChange(
        request_id=req.id, status=status, reason=reason, package_id=req.package_id, actor=actor
    )
    model.Session.add(change)
    return change


@tk.validate(schema.update_status)
def roundtable_request_update_status(context: dict, data_dict: dict) -> dict[str, Any]:
    """Answer a request with a status: ``received`` (受付), ``considering`` (検討中), ``planned``
    (公開予定), ``published`` (公開済) or ``declined`` (公開できない, a reason required). Staff only.
    A requester who gave a contact is mailed (Japanese, then English) through CKAN's mailer.

    :param id: the request's id
    :type id: string
    :param status: the new status
    :type status: string
    :param reason: shown publicly with the status (required for ``declined``; no personal data)
    :type reason: string
    :param organization: the organization that answers it (id or name; optional)
    :type organization: string
    :returns: the request (as ``roundtable_request_show``) and ``mailed`` (whether a mail was queued)
    :rtype: dict
    """
    tk.check_access("roundtable_request_update_status", context, data_dict)
    req = _get_request(data_dict["id"])
    reason = data_dict.get("reason") or ""
    if data_dict["status"] in terms.REASON_REQUIRED and not reason:
        raise tk.ValidationError({"reason": ["公開できない理由を入力してください (a reason is required)"]})
    if data_dict.get("organization"):
        org = ckan_model.Group.get(data_dict["organization"])
        if org is None or not org.is_organization:
            raise tk.ValidationError({"organization": ["組織ではありません (not an organization)"]})
        req.organization_id = org.id
    change = _change_status(req, data_dict["status"], reason, _actor(context))
    model.Session.commit()
    mailed = mail.queue(req, change)
    model.Session.commit()
    result = roundtable_request_show(context, {"id": req.id})
    result["mailed"] = mailed
    return result


@tk.validate(schema.link_dataset)
def roundtable_request_link_dataset(context: dict, data_dict: dict) -> dict[str, Any]:
    """Link the dataset that fulfils a request (it may still be private: in stock or notice);
    empty ``package_id`` unlinks. Staff who can read that dataset. When a linked dataset becomes
    public, the request moves to 公開済 by itself (and the requester is mailed).

    :param id: the request's id
    :type id: string
    :param package_id: the dataset (id or name); empty to unlink
    :type package_id: string
    :rtype: dict
    """
    tk.check_access("roundtable_request_link_dataset", context, data_dict)
    req = _get_request(data_dict["id"])
    package_id = data_dict.get("package_id") or None
    if package_id:
        tk.check_access("package_show", dict(context), {"id": package_id})
        package = ckan_model.Package.get(package_id)
        if package is None or package.state != "active" or package.type != "dataset":
            raise tk.ObjectNotFound("データセットが見つかりません (dataset not found)")
        package_id = package.id
        if req.organization_id is None:
            req.organization_id = package.owner_org
    req.package_id, req.modified = package_id, dt.datetime.utcnow()
    model.Session.commit()
    if package_id and not package.private and req.status in terms.OPEN_STATUSES:
        # linked to a dataset that is public already: fulfilled now
        change = _change_status(req, terms.PUBLISHED, "", _actor(context))
        model.Session.commit()
        mail.queue(req, change)
        model.Session.commit()
    return roundtable_request_show(context, {"id": req.id})


@tk.validate(schema.moderate)
def roundtable_moderate(context: dict, data_dict: dict) -> dict[str, Any]:
    """Approve (show) or hide a request or comment. Staff only.

    :param type: ``request`` or ``comment``
    :type type: string
    :param id: its id
    :type id: string
    :param decision: ``approve`` or ``hide``
    :type decision: string
    :returns: ``{"id", "type", "visibility"}``
    :rtype: dict
    """
    tk.check_access("roundtable_moderate", context, data_dict)
    item = model.Session.get(model.KINDS[data_dict["type"]], data_dict["id"])
    if item is None:
        raise tk.ObjectNotFound("見つかりません (not found)")
    item.visibility = terms.PUBLIC if data_dict["decision"] == "approve" else terms.HIDDEN
    item.hold_reason = None
    model.Session.commit()
    return {"id": item.id, "type": data_dict["type"], "visibility": item.visibility}


@tk.side_effect_free
def roundtable_moderation_list(context: dict, data_dict: dict) -> dict[str, Any]:
    """Requests and comments waiting for staff (held or still being checked). Staff only.

    :returns: ``{"requests": [...], "comments": [...]}`` (each with ``visibility`` and
        ``hold_reason``)
    :rtype: dict
    """
    tk.check_access("roundtable_moderation_list", context, data_dict)
    waiting = (terms.HELD, terms.CHECKING)
    requests = (
        model.Session.query(model.Request)
        .filter(model.Request.visibility.in_(waiting))
        .order_by(model.Request.created)
    )
    comments = (
        model.Session.query(model.Comment)
        .filter(model.Comment.visibility.in_(waiting))
        .order_by(model.Comment.created)
    )
    return {
        "requests": [_request_dict(context, r, 0, 0) for r in requests],
        "comments": [_comment_dict(context, c) for c in comments],
    }


def _themes_of(package_ids: set[str]) -> dict[str, list[ckan_model.Group]]:
    if not package_ids:
        return {}
    rows = (
        model.Session.query(ckan_model.Member.table_id, ckan_model.Group)
        .join(ckan_model.Group, ckan_model.Group.id == ckan_model.Member.group_id)
        .filter(
            ckan_model.Member.table_name == "package",
            ckan_model.Member.state == "active",
            ckan_model.Member.table_id.in_(package_ids),
            ckan_model.Group.is_organization.is_(False),
            ckan_model.Group.state == "active",
        )
    )
    themes: dict[str, list[ckan_model.Group]] = {}
    for package_id, group in rows:
        themes.setdefault(package_id, []).append(group)
    return themes


@tk.side_effect_free
@tk.validate(schema.summary)
def roundtable_summary(context: dict, data_dict: dict) -> dict[str, Any]:
    """For the roundtable meeting (staff only): public requests and feedback counted per
    organization and per theme, the most-supported requests, and the history of datasets opened
    because someone asked (requests whose linked dataset is public now).

    A request's organization is the one that answers it (or its linked dataset's); its themes
    are the theme chosen when filing and the linked dataset's groups. Feedback is counted on its
    dataset's organization and groups.

    :param limit: most-supported requests per organization and theme (default 10)
    :type limit: int
    :returns: ``{"top": [...], "organizations": [...], "themes": [...], "opened": [...]}``; each
        organization or theme ``{"name", "title", "requests", "supports", "feedback": {kind: n},
        "top": [request ids]}``
    :rtype: dict
    """
    tk.check_access("roundtable_summary", context, data_dict)
    limit = data_dict["limit"]
    listed = roundtable_request_search(dict(context), {"limit": 100, "sort": "support"})
    requests = listed["results"]
    offset = 100
    while offset < listed["count"]:
        requests += roundtable_request_search(dict(context), {"limit": 100, "offset": offset})["results"]
        offset += 100
    rows = {
        r.id: r for r in model.Session.query(model.Request).filter(model.Request.visibility == terms.PUBLIC)
    }
    feedback = model.Session.query(model.Comment.package_id, model.Comment.kind, sa.func.count()).filter(
        model.Comment.package_id.isnot(None),
        model.Comment.parent_id.is_(None),
        model.Comment.visibility == terms.PUBLIC,
    )
    feedback_rows = list(feedback.group_by(model.Comment.package_id, model.Comment.kind))
    package_ids = {r.package_id for r in rows.values() if r.package_id} | {p for p, _, _ in feedback_rows}
    themes = _themes_of(package_ids)
    packages = {
        p.id: p
        for p in model.Session.query(ckan_model.Package).filter(ckan_model.Package.id.in_(package_ids))
    }
    none = {"name": "", "title": "未分類 (unassigned)"}

    def bucket(table: dict[str, dict[str, Any]], group: ckan_model.Group | None) -> dict[str, Any]:
        key = group.name if group is not None else ""
        if key not in table:
            label = (
                {"name": group.name, "title": group.title or group.name} if group is not None else dict(none)
            )
            table[key] = {**label, "requests": 0, "supports": 0, "feedback": {}, "top": []}
        return table[key]

    by_org: dict[str, dict[str, Any]] = {}
    by_theme: dict[str, dict[str, Any]] = {}
    for item in requests:
        row = rows.get(item["id"])
        if row is None:
            continue
        package = packages.get(row.package_id or "")
        org_id = row.organization_id or (package.owner_org if package is not None else None)
        orgs = [ckan_model.Group.get(org_id) if org_id else None]
        groups: list[ckan_model.Group | None] = []
        if row.group_id:
            groups.append(ckan_model.Group.get(row.group_id))
        groups += [g for g in themes.get(row.package_id or "", []) if g.id != row.group_id]
        for table, keys in ((by_org, orgs), (by_theme, groups or [None])):
            for group in keys:
                entry = bucket(table, group)
                entry["requests"] += 1
                entry["supports"] += item["support_count"]
                if len(entry["top"]) < limit:
                    entry["top"].append(item["id"])
    for package_id, kind, n in feedback_rows:
        package = packages.get(package_id)
        orgs = [
            ckan_model.Group.get(package.owner_org) if package is not None and package.owner_org else None
        ]
        for table, keys in ((by_org, orgs), (by_theme, themes.get(package_id) or [None])):
            for group in keys:
                entry = bucket(table, group)
                entry["feedback"][kind] = entry["feedback"].get(kind, 0) + n

    opened = []
    for item in requests:
        dataset = item.get("dataset")
        if dataset and dataset.get("public"):
            change = (
                model.Session.query(model.StatusChange)
                .filter(
                    model.StatusChange.request_id == item["id"], model.StatusChange.status == terms.PUBLISHED
                )
                .order_by(model.StatusChange.created.desc())
                .first()
            )
            opened.append(
                {
                    "request": item,
                    "dataset": dataset,
                    "requested": item["created"],
                    "opened": change.created.isoformat() if change else None,
                }
            )
    opened.sort(key=lambda o: o["opened"] or "", reverse=True)

    def ordered(table: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(
            table.values(), key=lambda e: (-e["supports"], -e["requests"], e["name"] == "", e["name"])
        )

    return {
        "top": requests[:limit],
        "organizations": ordered(by_org),
        "themes": ordered(by_theme),
        "opened": opened,
        "requests": requests,
    }


# ----------------------------------------------------------------------- the lifecycle's end
def dataset_opened(package_id: str) -> list[str]:
    """A linked dataset is public: its requests still open (受付, 検討中, 公開予定) move to 公開済
    (and their requesters are mailed). Called from IPackageController.edit; commits with the dataset."""
    changed = []
    requests = model.Session.query(model.Request).filter(
        model.Request.package_id == package_id, model.Request.status.in_(terms.OPEN_STATUSES)
    )
    for req in requests:
        change = _change_status(req, terms.PUBLISHED, "", SYSTEM)
        model.Session.flush()
        mail.queue(req, change)
        changed.append(req.id)
    return changed
