"""What the public writes is checked for personal data before anyone else sees it.

The check is the ``anonymize`` plugin's action ``anonymize_text_preview`` (its PII engine, with
the Japanese recognizers), called with ``ignore_auth`` and only when that plugin is loaded:
roundtable imports nothing of it. Loading the engine costs about 5 s and 450 MB once per process,
so by default it runs in the jobs worker (``ckanext.roundtable.text_check.background``) and the
text is shown only after the job has passed it.

    submitted ──► checking ──(job: nothing found)──► public, or held for moderation
                     │ found something ──► held (personal_data)
                     │ check cannot run ──► held (fail closed) or, if configured, as passed
    staff ──approve──► public;  staff ──hide──► hidden

Staff replies are published at once: staff are the moderators.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from . import model, terms

log = logging.getLogger(__name__)

CHECK_ACTION = "anonymize_text_preview"

NOTICES = {
    terms.CHECKING: (
        "受け付けました。個人情報が含まれていないか自動で確認した後に公開します。"
        "(Received. It is shown once an automatic check for personal data has passed.)"
    ),
    "moderation": (
        "受け付けました。担当職員が確認した後に公開します。"
        "(Received. It is shown once staff have reviewed it.)"
    ),
    "personal_data": (
        "個人情報と思われる記載があるため、公開を保留しました。担当職員が確認します。"
        "氏名・住所・電話番号などは書かないでください。"
        "(Held: it seems to contain personal data. Staff will review it; please do not write "
        "names, addresses or phone numbers.)"
    ),
    "check_unavailable": (
        "受け付けました。担当職員が確認した後に公開します。"
        "(Received. It is shown once staff have reviewed it.)"
    ),
    "check_failed": (
        "受け付けました。担当職員が確認した後に公開します。"
        "(Received. It is shown once staff have reviewed it.)"
    ),
    terms.PUBLIC: "公開しました。ありがとうございます。(Published. Thank you.)",
}


def notice(item: Any) -> str:
    """What the submitter is told about the item's visibility."""
    if item.visibility == terms.HELD:
        return NOTICES.get(item.hold_reason or "", NOTICES["moderation"])
    return NOTICES.get(item.visibility, NOTICES[terms.PUBLIC])


def _check_action():
    try:
        return tk.get_action(CHECK_ACTION)
    except KeyError:  # the anonymize plugin is not loaded
        return None


def _hold(item: Any, reason: str) -> None:
    item.visibility, item.hold_reason = terms.HELD, reason


def _passed(item: Any) -> None:
    if tk.asbool(tk.config.get("ckanext.roundtable.moderation")):
        _hold(item, "moderation")
    else:
        item.visibility, item.hold_reason = terms.PUBLIC, None


def _cannot_check(item: Any, reason: str) -> None:
    if tk.config.get("ckanext.roundtable.text_check.unavailable") == "publish":
        _passed(item)
    else:
        _hold(item, reason)


def run_check(item: Any) -> None:
    """Check ``item``'s text now and set its visibility from the result."""
    action = _check_action()
    if action is None:
        _cannot_check(item, "check_unavailable")
        return
    try:
        found = any(
            action({"ignore_auth": True, "user": ""}, {"text": chunk}).get("findings")
            for chunk in chunks(item.text())
        )
    except Exception as exc:  # noqa: BLE001 - any failure to check: treat as configured (fail closed)
        log.warning("roundtable: personal-data check failed (%s)", type(exc).__name__)
        _cannot_check(item, "check_failed")
        return
    if found:
        _hold(item, "personal_data")
    else:
        _passed(item)


CHECK_MAX, OVERLAP = 10_000, 200  # what anonymize_text_preview takes at once; a name spans less


def chunks(text: str) -> list[str]:
    """Every part of ``text`` in pieces the check accepts, overlapping so that nothing personal
    is cut in two unseen (every character is checked, however long the text may become).

    >>> [len(c) for c in chunks("あ" * 25_000)]
    [10000, 10000, 5400]
    >>> chunks("")
    []
    """
    step = CHECK_MAX - OVERLAP
    return [
        text[i : i + CHECK_MAX]
        for i in range(0, max(len(text) - OVERLAP, 1), step)
        if text[i : i + CHECK_MAX]
    ]


def submitted(item: Any, staff: bool) -> bool:
    """Set the visibility of a new item; True when a background check must be queued (after
    the item is committed: :func:`queue`)."""
    if staff:
        item.visibility, item.hold_reason = terms.PUBLIC, None
        return False
    if _check_action() is not None and tk.asbool(tk.config.get("ckanext.roundtable.text_check.background")):
        item.visibility, item.hold_reason = terms.CHECKING, None
        return True
    run_check(item)
    return False


def queue(kind: str, item: Any) -> None:
    """Queue the check of a committed item; if the queue is unreachable, decide now as when the
    check cannot run."""
    try:
        tk.enqueue_job(check_text, [kind, item.id], title=f"roundtable check {kind} {item.id}")
    except Exception as exc:  # noqa: BLE001 - Redis away: never leave it public unchecked
        log.warning("roundtable: cannot queue the personal-data check (%s)", type(exc).__name__)
        _cannot_check(item, "check_unavailable")
        model.Session.commit()


def requeue(minutes: int = 10) -> int:
    """Queue the check again for every item still ``checking`` after ``minutes`` (the job is
    idempotent: an item already decided is skipped)."""
    import datetime as dt

    since = dt.datetime.utcnow() - dt.timedelta(minutes=minutes)
    queued = 0
    for kind, table in model.KINDS.items():
        waiting = model.Session.query(table).filter(
            table.visibility == terms.CHECKING, table.created <= since
        )
        for item in waiting.all():
            queue(kind, item)
            queued += 1
    return queued


def check_text(kind: str, item_id: str) -> str:
    """The background job (``ckan jobs worker``): check a new request or comment, and show it
    if it passes."""
    item = model.Session.get(model.KINDS[kind], item_id)
    if item is None or item.visibility != terms.CHECKING:
        return "skipped"
    run_check(item)
    model.Session.commit()
    return item.visibility
