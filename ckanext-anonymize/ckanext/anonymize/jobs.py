"""Worker entry points (``ckan jobs worker``): derivations, the sweep, and failure records.

A derivation job carries only the resource id and derives the *current* generation when it
starts (so one queued job serves every change made while it waited). While it runs it holds the
resource's lease (``queue.lease``).
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.model as model

from ckanext.anonymize import queue, service
from ckanext.anonymize.model import PROCESSING, ResourceState, audit

log = logging.getLogger(__name__)


def derive_job(resource_id: str, *legacy: Any) -> None:
    """Derive the resource's current generation (jobs enqueued before this version passed the
    generation and a republish flag too: both are read from the state now)."""

    try:
        state = ResourceState.get(resource_id)
        if state is None or state.status != PROCESSING:
            log.info("derivation of %s: nothing to do (%s)", resource_id, state and state.status)
            return
        generation = state.generation
        model.Session.commit()  # hold no lock while the pipeline runs
        with queue.lease(resource_id):
            service.derive(state, generation)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    finally:
        model.Session.remove()


def sweep_job() -> dict[str, int]:
    """The periodic sweep (see ``service.sweep``); schedules the next one."""

    try:
        return service.sweep()
    finally:
        model.Session.remove()
        queue.schedule_sweep()


def on_job_failure(job: Any, connection: Any, exc_type: Any, exc_value: Any, traceback: Any) -> None:
    """RQ calls this when a derivation job raised or was stopped: record why, keep it closed."""

    resource_id = job.args[0]
    try:
        state = service.lock(resource_id)
        # Only the job the state waits for: an older job's failure says nothing about it.
        if state is not None and state.status == PROCESSING and state.job_id in (None, job.id):
            state.fail(
                "バックグラウンド処理が途中で終了しました。「再処理」でやり直せます。",
                f"the background job stopped ({getattr(exc_type, '__name__', exc_type)}); re-scrub to retry",
                code="job_failed",
            )
            audit(resource_id, state.package_id, "system", "job_failed")
            model.Session.commit()
    except Exception:  # the sweep finds the state if this cannot write it
        model.Session.rollback()
        log.exception("could not record the failure of job %s", job.id)
    finally:
        model.Session.remove()
