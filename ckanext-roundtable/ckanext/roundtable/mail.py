"""The status mail to a requester who gave a contact (Japanese, then English)."""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from . import model, terms

log = logging.getLogger(__name__)


def compose(request: model.Request, change: model.StatusChange) -> tuple[str, str]:
    """Subject and body of the mail about ``change`` of ``request``."""
    site = tk.config.get("ckan.site_title") or "オープンデータ"
    url = tk.config.get("ckan.site_url", "").rstrip("/") + f"/roundtable/request/{request.id}"
    ja, en = terms.STATUSES.get(change.status, (change.status, change.status))
    subject = f"[{site}] データのリクエストの状況: {ja} / Your data request: {en}"
    reason = change.reason or ""
    lines = [
        "データのリクエストをお寄せいただき、ありがとうございます。",
        "次のリクエストの状況が変わりました。",
        "",
        f"リクエスト: {request.title}",
        f"状況: {ja}",
    ]
    if reason:
        lines.append(f"説明: {reason}")
    lines += [
        f"詳しくはこちら: {url}",
        "",
        "このメールは送信専用です。リクエストのページからコメントをお寄せください。",
        "ご連絡先は、このお知らせのためだけに使い、公開しません。",
        "",
        "----",
        "Thank you for your data request. Its status has changed.",
        "",
        f"Request: {request.title}",
        f"Status: {en}",
    ]
    if reason:
        lines.append(f"Note: {reason}")
    lines += [
        f"Details: {url}",
        "",
        "Please do not reply to this message; comment on the request's page instead.",
        "Your contact is used only for these notices and is never published.",
    ]
    return subject, "\n".join(lines) + "\n"


def purge_contacts(days: int | None = None) -> int:
    """Erase the contacts of requests filed more than ``days`` ago
    (``ckanext.roundtable.contact_retention_days``); how many were erased."""
    import datetime as dt

    if days is None:
        days = int(tk.config.get("ckanext.roundtable.contact_retention_days"))
    before = dt.datetime.utcnow() - dt.timedelta(days=days)
    erased = (
        model.Session.query(model.Request)
        .filter(model.Request.contact.isnot(None), model.Request.created < before)
        .update({model.Request.contact: None}, synchronize_session=False)
    )
    model.Session.commit()
    return int(erased)


def send(to: str, subject: str, body: str, change_id: int | None = None) -> None:
    """The background job: send one status mail through CKAN's mailer (``smtp.*``); note it."""
    tk.mail_recipient("", to, subject, body)
    if change_id is not None:
        change = model.Session.get(model.StatusChange, change_id)
        if change is not None:
            change.mailed = True
            model.Session.commit()


def queue(request: model.Request, change: model.StatusChange) -> bool:
    """Queue the mail about ``change`` (committed) if the requester gave a contact. Once a final
    status is mailed the contact is erased (it is kept for the mail only)."""
    if not request.contact:
        return False
    subject, body = compose(request, change)
    try:
        tk.enqueue_job(
            send, [request.contact, subject, body, change.id], title=f"roundtable mail {request.id}"
        )
    except Exception as exc:  # noqa: BLE001 - the status change stands; the mail is logged as lost
        log.error("roundtable: status mail for request %s not queued (%s)", request.id, type(exc).__name__)
        return False
    if change.status in terms.FINAL:
        request.contact = None
    return True
