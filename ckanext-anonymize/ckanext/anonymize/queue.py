"""Background jobs on CKAN's queue (Redis, RQ), without importing what they run.

Jobs are named by their import path, so the service can enqueue the worker's entry points
(``jobs.py``, which imports the service) without an import cycle. A derivation job is enqueued
only after the transaction that asked for it commits (a SQLAlchemy ``after_commit`` hook), so the
worker never looks for a state that does not exist yet; a rollback drops it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import ckan.lib.jobs as ckan_jobs
import ckan.lib.redis as ckan_redis
import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

log = logging.getLogger(__name__)

DERIVE = "ckanext.anonymize.jobs.derive_job"
SWEEP = "ckanext.anonymize.jobs.sweep_job"
ON_FAILURE = "ckanext.anonymize.jobs.on_job_failure"
_PENDING = "anonymize_pending_jobs"
_listening = False


def available() -> bool:
    try:
        return bool(ckan_redis.is_redis_available())
    except Exception:  # noqa: BLE001 - any failure means: no queue now
        return False


def _queue():
    return ckan_jobs.get_queue()


def job_status(job_id: str | None) -> str | None:
    """RQ's status of a job (queued, started, finished, failed, stopped, canceled, scheduled,
    deferred), or None when Redis has no such job (lost with a flushed or restarted Redis)."""
    if not job_id:
        return None
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        return str(Job.fetch(job_id, connection=_queue().connection).get_status(refresh=True).value)
    except NoSuchJobError:
        return None


def in_queue(job_id: str) -> bool:
    """Whether the queue still holds the job. A worker that took a job and died before starting
    it (SIGKILL, OOM) leaves RQ's status at "queued" on a job no queue holds any more."""
    try:
        return job_id in _queue().get_job_ids()
    except Exception:  # noqa: BLE001 - no Redis: nothing can be judged lost now
        return True


def job_heartbeat(job_id: str | None) -> dt.datetime | None:
    """When the worker running a job last said it was alive (RQ beats while a job runs)."""
    if not job_id:
        return None
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=_queue().connection)
    except NoSuchJobError:
        return None
    beat = job.last_heartbeat or job.started_at
    return beat.replace(tzinfo=None) if beat else None


def enqueue_after_commit(state: Any) -> None:
    """Enqueue a derivation of the resource once the current transaction commits. The job's id
    is chosen now and recorded with the state in this transaction, so the sweep can always tell
    whether the job exists (a job that never reached Redis is a lost job)."""
    _listen()
    state.job_id = f"anonymize-{state.resource_id}-{uuid.uuid4().hex[:12]}"
    state.job_enqueued_at = dt.datetime.utcnow()
    pending = model.Session().info.setdefault(_PENDING, {})
    pending[state.resource_id] = state.job_id


def _listen() -> None:
    global _listening
    if not _listening:
        sa.event.listen(model.Session, "after_commit", _after_commit)
        sa.event.listen(model.Session, "after_rollback", _after_rollback)
        _listening = True


# Both events fire for savepoints too (begin_nested: package_update's, an opt-out's step): only
# the outermost transaction counts. A job enqueued when a savepoint is released would read the
# state as it was before the change (not yet committed) and find nothing to do.


def _after_rollback(session: Any) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)


def _after_commit(session: Any) -> None:
    if session.in_nested_transaction():
        return
    pending = session.info.pop(_PENDING, {})
    if not pending:
        return
    try:
        enqueue_derivations(pending)
    except Exception:  # the sweep finds the states without a live job
        log.exception("could not enqueue the derivation of %d resource(s)", len(pending))


def enqueue_derivations(job_ids: dict[str, str]) -> None:
    """Enqueue the derivation jobs ``{resource_id: job_id}`` in one round trip (an opt-out
    withdraws every keyed resource at once), and make sure a sweep follows."""
    queue = _queue()
    timeout = tk.asint(tk.config.get("ckanext.anonymize.job_timeout"))
    queue.enqueue_many(
        [
            queue.prepare_data(
                DERIVE,
                args=[resource_id],
                timeout=timeout,
                description=f"anonymize {resource_id}",
                on_failure=_callback(ON_FAILURE),
                job_id=job_id,
            )
            for resource_id, job_id in job_ids.items()
        ]
    )
    schedule_sweep()


def _callback(path: str):
    from rq import Callback

    return Callback(path)


def schedule_sweep(seconds: int | None = None) -> str | None:
    """Make sure a sweep runs within ``seconds`` (default: the configured interval), through the
    RQ scheduler that every ``ckan jobs worker`` runs. Idempotent: one job per interval slot."""
    interval = seconds or tk.asint(tk.config.get("ckanext.anonymize.sweep_interval"))
    if interval <= 0 or not available():
        return None
    slot = int(dt.datetime.utcnow().timestamp()) // interval + 1
    job_id = f"anonymize-sweep-{slot}"
    queue = _queue()
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        Job.fetch(job_id, connection=queue.connection)
        return job_id  # already scheduled for this slot
    except NoSuchJobError:
        pass
    queue.enqueue_at(
        dt.datetime.fromtimestamp(slot * interval, dt.timezone.utc),
        SWEEP,
        job_id=job_id,
        description="anonymize sweep",
    )
    return job_id


# ------------------------------------------------------------------------------ job leases
LEASE_SECONDS = 15


def _lease_key(resource_id: str) -> str:
    return f"{tk.config.get('ckan.site_id')}:anonymize:lease:{resource_id}"


def lease_alive(resource_id: str) -> bool:
    try:
        return bool(ckan_redis.connect_to_redis().exists(_lease_key(resource_id)))
    except Exception:  # noqa: BLE001 - no Redis: nothing can be judged lost now
        return True


@contextlib.contextmanager
def lease(resource_id: str) -> Iterator[None]:
    """Hold the resource's lease while the block runs (a derivation job), renewed by a daemon
    thread. It expires within seconds if the process dies (SIGKILL, OOM, a lost host): the sweep
    takes a job RQ still calls "started" without a live lease for a lost job."""
    redis = ckan_redis.connect_to_redis()
    key, stop = _lease_key(resource_id), threading.Event()

    def renew() -> None:
        while not stop.wait(LEASE_SECONDS / 3):
            with contextlib.suppress(Exception):
                redis.set(key, "1", ex=LEASE_SECONDS)

    redis.set(key, "1", ex=LEASE_SECONDS)
    thread = threading.Thread(target=renew, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            redis.delete(key)
