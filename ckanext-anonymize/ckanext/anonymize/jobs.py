"""Background derivation of large files (CKAN jobs on Redis).

Jobs are enqueued only after the transaction that created the state commits (a SQLAlchemy
``after_commit`` hook), so the worker never looks for a resource that does not exist yet. A job
carries the state's generation: a job for an older upload of the same resource does nothing.
"""
from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

import ckan.lib.redis as ckan_redis
import ckan.model as model
import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)
_PENDING = "anonymize_pending_jobs"
_listening = False


def queue_available() -> bool:
    try:
        return bool(ckan_redis.is_redis_available())
    except Exception:
        return False


def enqueue_after_commit(resource_id: str, generation: int, republish: bool) -> None:
    _listen()
    model.Session().info.setdefault(_PENDING, []).append((resource_id, generation, republish))


def _listen() -> None:
    global _listening
    if not _listening:
        sa.event.listen(model.Session, "after_commit", _after_commit)
        sa.event.listen(model.Session, "after_rollback", _after_rollback)
        _listening = True


def _after_rollback(session: Any) -> None:
    session.info.pop(_PENDING, None)


def _after_commit(session: Any) -> None:
    for resource_id, generation, republish in session.info.pop(_PENDING, []):
        try:
            tk.enqueue_job(derive_job, [resource_id, generation, republish],
                           title=f"anonymize {resource_id}",
                           rq_kwargs={"timeout": tk.asint(tk.config.get("ckanext.anonymize.job_timeout")),
                                      "on_failure": on_job_failure})
        except Exception:  # the state stays 処理中; staff can press re-scrub (see status page)
            log.exception("could not enqueue the derivation of %s", resource_id)


def derive_job(resource_id: str, generation: int, republish: bool = False) -> None:
    """Worker entry point: derive one resource from its closed original."""
    from ckanext.anonymize import service
    from ckanext.anonymize.model import PROCESSING, ResourceState

    state = ResourceState.get(resource_id)
    if state is None or state.generation != generation or state.status != PROCESSING:
        log.info("derivation of %s (generation %s) superseded", resource_id, generation)
        return
    try:
        service.derive(state, republish=republish)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    finally:
        model.Session.remove()


def on_job_failure(job: Any, connection: Any, exc_type: Any, exc_value: Any, traceback: Any) -> None:
    """RQ calls this when a derivation job raised or was stopped: record why, keep it closed."""
    from ckanext.anonymize.model import ResourceState, audit

    resource_id, generation = job.args[0], job.args[1]
    try:
        state = ResourceState.get(resource_id)
        if state is not None and state.generation == generation:
            state.fail("バックグラウンド処理が途中で終了しました。「再処理」でやり直せます。",
                       f"the background job stopped ({getattr(exc_type, '__name__', exc_type)}); re-scrub to retry")
            audit(resource_id, state.package_id, "system", "job_failed")
            model.Session.commit()
    except Exception:
        model.Session.rollback()
        log.exception("could not record the failure of job %s", job.id)
