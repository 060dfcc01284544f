"""The optout actions and the database transaction: commit unless the caller commits itself
(``defer_commit``, as in CKAN core), independent steps that fail alone, work after the commit."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

import ckan.model as ckan_model
import sqlalchemy as sa

log = logging.getLogger(__name__)

_AFTER_COMMIT = "optout_after_commit"
_READY = "optout_committed"
_listening = False


def deferred(context: dict) -> bool:
    """Whether the caller commits (CKAN's ``defer_commit``)."""
    return bool(context.get("defer_commit"))


def commit(context: dict) -> None:
    """Commit, unless the caller commits itself."""
    if not deferred(context):
        ckan_model.repo.commit()


@contextlib.contextmanager
def on_its_own(context: dict) -> Iterator[None]:
    """One of several independent steps (each dataset of release-due, each resource withdrawn at
    once): its failure undoes its own writes and nothing else. Such a step commits by itself; when
    the caller commits (``defer_commit``) it runs in a savepoint instead."""
    savepoint = ckan_model.Session.begin_nested() if deferred(context) else None
    try:
        yield
    except BaseException:
        if savepoint is None:
            ckan_model.Session.rollback()
        elif savepoint.is_active:
            savepoint.rollback()
        raise
    if savepoint is not None and savepoint.is_active:
        savepoint.commit()


def after_commit(context: dict, work: Callable[..., Any], *args: Any) -> None:
    """Run ``work(*args)`` once what the action wrote is committed: now when the action has
    committed, at the caller's commit with ``defer_commit`` (a background job must not read the
    database before the change it acts on is there), never when the caller rolls back. Work run
    at the caller's commit cannot use the database (SQLAlchemy forbids SQL in that hook)."""
    if not deferred(context):
        work(*args)
        return
    _listen()
    ckan_model.Session().info.setdefault(_AFTER_COMMIT, []).append((work, args))


def _listen() -> None:
    global _listening
    if not _listening:
        sa.event.listen(ckan_model.Session, "after_commit", _committed)
        sa.event.listen(ckan_model.Session, "after_rollback", _drop_pending)
        sa.event.listen(ckan_model.Session, "after_transaction_end", _run_committed)
        _listening = True


# after_commit and after_rollback fire for savepoints too (begin_nested, e.g. inside
# package_update): only the end of the outermost transaction counts. No SQL may run in
# after_commit itself, so the work runs when the committed transaction has ended (the work may
# then read the database, in a transaction of its own).


def _drop_pending(session: Any) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_AFTER_COMMIT, None)


def _committed(session: Any) -> None:
    if not session.in_nested_transaction() and _AFTER_COMMIT in session.info:
        session.info[_READY] = session.info.pop(_AFTER_COMMIT)


def _run_committed(session: Any, transaction: Any) -> None:
    if transaction.parent is not None or _READY not in session.info:
        return
    for work, args in session.info.pop(_READY):
        try:
            work(*args)
        except Exception:  # the commit is done: the pipeline's sweep catches up
            log.exception("optout: %s after commit failed", getattr(work, "__name__", work))
