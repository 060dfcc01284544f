"""What happens to an uploaded file, from upload to publication (the CKAN side of the pipeline).

    accept_upload ──► closed original ──► derive (now if small, else a background job)
                                              │ stages: optout suppression, PII scrub, ...
                                              ▼
                         failed ◄── derivative + report ──► blocked (high-risk type found)
                                              │
                      review (not yet approved) │ approved, or auto mode
                                              ▼
                                 publish: the derivative becomes the public file

A state machine with a fence. Every change that makes the public copy out of date (a new
upload, a policy or registry change) takes the state's row lock, withdraws the public copy and
bumps the *generation*. A derivation remembers the generation it started for and, when done,
takes the row lock again: if the generation moved on, its output is stale and is thrown away,
so a slow job can never publish over a newer opt-out. Derivations coalesce: while one job waits
in the queue, later changes need no other. ``sweep`` repairs what faults leave behind (a job
lost with a killed worker or a flushed Redis, a public copy older than the registry).

Every path that cannot produce a fresh derivative leaves the resource without a public file and
keeps the reason (Japanese and English) for staff: fail closed. Every step writes the audit log.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
from typing import IO, Any

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from rq.timeouts import JobTimeoutException

from ckanext.anonymize import pipeline, public, queue, storage
from ckanext.anonymize.engine import Engine, EngineConfig, InputError
from ckanext.anonymize.interfaces import IPublishingStage, StageError
from ckanext.anonymize.model import BLOCKED, FAILED, PROCESSING, PUBLISHED, REVIEW, ResourceState, audit

log = logging.getLogger(__name__)

_engine: Engine | None = None
_tables_ready = False
WAITING = ("queued", "deferred", "scheduled")
# Failures that a retry may cure (a worker or a connection lost, Redis away); bad input is not.
TRANSIENT = (
    "queue_unavailable",
    "job_failed",
    "OperationalError",
    "InterfaceError",
    "DatabaseError",
    "ConnectionError",
    "TimeoutError",
    "OSError",
    "SearchIndexError",
)
MAX_ATTEMPTS = 3


# ------------------------------------------------------------------------------------ configuration
def engine() -> Engine:
    """The PII engine, built once per process (GiNZA loads lazily on first need)."""
    global _engine
    if _engine is None:
        settings: dict[str, Any] = {}
        path = tk.config.get("ckanext.anonymize.engine_config")
        if path:
            with open(path, encoding="utf-8") as f:
                settings = json.load(f)
        secret = tk.config.get("ckanext.anonymize.hash_secret")
        if secret:
            settings.setdefault("hash_secret", secret)
        _engine = Engine(EngineConfig.from_dict(settings))
    return _engine


def warm_up() -> None:
    """Build the engine and load its language model now (in a jobs worker, before it forks).
    Never raises: a horse that finds no model loads it itself, or fails closed."""
    try:
        engine().analyze_text("岐阜 太郎さんへ 058-265-4141")
    except Exception:  # the derivation reports the real error
        log.exception("could not load the PII engine ahead of the jobs")


def mode_for(dataset: dict[str, Any]) -> str:
    mode = (dataset.get("extras") or {}).get("anonymize_mode") or tk.config.get("ckanext.anonymize.mode")
    return mode if mode in ("review", "auto") else "review"


def blocked_types() -> set[str]:
    return set(tk.aslist(tk.config.get("ckanext.anonymize.block_types")))


def sync_max_bytes() -> int:
    return tk.asint(tk.config.get("ckanext.anonymize.sync_max_bytes"))


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


# ------------------------------------------------------------------------------------------ helpers
def lock(resource_id: str) -> ResourceState | None:
    """The state, locked for this transaction (SELECT … FOR UPDATE) and read afresh (changes made
    in this transaction are flushed first, so they are not lost to the refresh)."""
    model.Session.flush()
    return (
        model.Session.query(ResourceState)
        .filter(ResourceState.resource_id == resource_id)
        .with_for_update()
        .populate_existing()
        .one_or_none()
    )


def _dicts(resource_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Plain dicts of the resource and its dataset for the stages, read from the session (the
    upload runs inside package_update's transaction, before anything is committed)."""
    res = model.Session.get(model.Resource, resource_id)
    if res is None:
        raise tk.ObjectNotFound(resource_id)
    pkg = res.package
    resource = dict(res.extras or {})
    resource.update(id=res.id, package_id=res.package_id, name=res.name, format=res.format, url=res.url)
    dataset = {
        "id": pkg.id,
        "name": pkg.name,
        "owner_org": pkg.owner_org,
        "private": pkg.private,
        "extras": dict(pkg.extras or {}),
    }
    return resource, dataset


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _action(name: str) -> Any:
    try:
        return tk.get_action(name)
    except KeyError:  # the plugin providing it is not enabled
        return None


def withdraw_public(resource_id: str) -> None:
    """Remove everything public that came from the previous derivative: the file, and the rows
    DataStore holds (when the datastore plugin is on), so e.g. an opted-out resident's row is gone
    from the API at once, not at the next load."""
    public.remove(resource_id)
    delete = _action("datastore_delete")
    if delete is not None:
        # filters={} empties the table without the resource_patch a whole-table delete makes,
        # which must not run inside the package_update this upload belongs to.
        with contextlib.suppress(tk.ObjectNotFound):  # no table: nothing to empty
            delete(_site_context(), {"resource_id": resource_id, "force": True, "filters": {}})


def _load_datastore(resource_id: str) -> None:
    """After publication, ask XLoader (when enabled) to load the public derivative."""
    submit = _action("xloader_submit")
    if submit is not None:
        try:
            submit(_site_context(), {"resource_id": resource_id, "ignore_hash": True})
        except Exception:  # loading is a convenience; the published file stands
            log.exception("xloader_submit failed for %s", resource_id)


def stages(state: ResourceState) -> list[Any]:
    found: list[Any] = [pipeline.ScrubStage(engine(), state.columns)]
    for plugin in plugins.PluginImplementations(IPublishingStage):
        found.extend(plugin.publishing_stages())
    return found


def fingerprints(found: list[Any], resource: dict[str, Any], dataset: dict[str, Any]) -> dict[str, str]:
    """What each stage's output for this resource depends on now (stages that can tell)."""
    out = {}
    for stage in found:
        method = getattr(stage, "fingerprint", None)
        if method is not None and stage.applies_to(resource):
            value = method(resource, dataset)
            if value is not None:
                out[stage.name] = value
    return out


# ------------------------------------------------------------------------------------------- steps
def public_name(filename: str) -> str:
    """The name the published file goes by: the uploaded name with anything personal replaced
    (「山田太郎様_相談記録.csv」 → 「〈氏名〉様_相談記録.csv」); the extension is kept."""
    stem, ext = os.path.splitext(os.path.basename(filename or ""))
    scrubbed = engine().scrub_text(stem) if stem else ""
    return (scrubbed or "data") + ext.lower()


def require_tables() -> None:
    """Refuse an upload, with what to do, while ``ckan db upgrade -p anonymize`` has not run (the
    plugin can be enabled before its migration: a raw database error would tell staff nothing)."""
    global _tables_ready
    if not _tables_ready:
        _tables_ready = sa.inspect(model.Session.connection()).has_table(ResourceState.__tablename__)
    if not _tables_ready:
        raise tk.ValidationError(
            {
                "upload": [
                    "匿名化プラグインのデータベース表がまだありません。管理者が `ckan db upgrade -p anonymize` "
                    "を実行するまでファイルはアップロードできません / the anonymize plugin's tables do not "
                    "exist yet: files cannot be uploaded until the operator runs `ckan db upgrade -p anonymize`"
                ]
            }
        )


def accept_upload(
    resource_id: str, stream: IO[bytes], filename: str, max_bytes: int, public_name: str | None = None
) -> ResourceState:
    """Keep a new upload closed and start its derivation. Called from the uploader, inside the
    transaction of the action that carries the upload."""
    require_tables()
    res = model.Session.get(model.Resource, resource_id)
    package_id = res.package_id if res is not None else ""
    try:
        tmp, size, sha256 = storage.receive_original(resource_id, stream, max_bytes)
    except storage.TooLarge:
        # Refused before anything changes: the previous original and public file stay as they were.
        mb = max_bytes // (1024 * 1024)
        raise tk.ValidationError(
            {"upload": [f"ファイルが大きすぎます（上限 {mb} MB） / the file is too large (limit {mb} MB)"]}
        ) from None
    state = lock(resource_id)
    if state is None:
        state = ResourceState(
            resource_id=resource_id,
            package_id=package_id,
            columns={},
            override_block=False,
            generation=0,
            status=PROCESSING,
        )
        model.Session.add(state)
    withdraw_public(resource_id)  # whatever was public came from the previous file
    storage.commit_original(resource_id, tmp)
    state.package_id = package_id or state.package_id
    state.original_name, state.original_size, state.original_sha256 = filename, size, sha256
    state.override_block = state.approved = state.attachment = False
    state.attempts = 0
    state.report = state.fingerprints = state.cache_key = None
    state.public_filename = public_name
    storage.discard(storage.derivative_path(resource_id))
    audit(resource_id, package_id, _actor(), "upload", size=size, sha256=sha256)
    start_derivation(state)
    return state


def start_derivation(state: ResourceState, background: bool = False, queue_up: bool | None = None) -> None:
    """A new generation: derive now when the original is small (unless ``background``), else in
    a job after commit. The caller holds the row lock and has withdrawn the public copy.
    ``queue_up``: whether Redis answers, when the caller has just asked (one question for many
    resources)."""
    state.status, state.reason_ja, state.reason_en, state.failure_code = PROCESSING, None, None, None
    state.generation = (state.generation or 0) + 1
    if not background and (state.original_size or 0) <= sync_max_bytes():
        model.Session.flush()
        derive(state, state.generation)
        return
    if not (queue.available() if queue_up is None else queue_up):
        state.fail(
            "バックグラウンド処理（Redis）に接続できません。復旧後に自動で再処理されます。",
            "the background job queue (Redis) is unavailable; the resource is derived again "
            "by itself once it is back",
            code="queue_unavailable",
        )
        audit(state.resource_id, state.package_id, "system", "queue_unavailable")
        return
    if queue.job_status(state.job_id) in WAITING:
        # A job for this resource has not started yet: it derives the newest generation when it
        # does (coalescing N changes while the worker is busy into one derivation).
        return
    queue.enqueue_after_commit(state)


def derive(state: ResourceState, generation: int) -> ResourceState:
    """Run the pipeline on the closed original for ``generation``; behind the fence, decide
    review / blocked / published — or throw the output away if a newer generation exists."""
    rid = state.resource_id
    tmp = storage.new_derivative_tmp(rid)
    cache_tmp: str | None = None
    failure: tuple[str, str, str] | None = None
    report: dict[str, Any] = {}
    prints: dict[str, str] = {}
    dataset: dict[str, Any] = {}
    key = None
    try:
        resource, dataset = _dicts(rid)
        found = stages(state)
        analyzed_before = engine().analyzer.stats["texts"]
        # Read before the stages read: a change during the derivation leaves a mismatch that the
        # sweep repairs, never a copy that looks current.
        prints = fingerprints(found, resource, dataset)
        key = pipeline.inputs_key(
            state.original_sha256 or "",
            found,
            resource,
            dataset,
            extra=[state.columns or {}, engine().signature()],
        )
        cache = storage.cache_path(rid)
        if key == state.cache_key and storage.has_cache(rid):
            # Only what the filters depend on changed (an opt-out): filter the scrubbed cache.
            report = dict(state.report or {})
            report["stages"] = {
                **report.get("stages", {}),
                **pipeline.filter_cache(cache, tmp, found, resource, dataset),
            }
            report["filtered_only"] = True
        else:
            cache_tmp = storage.new_cache_tmp(rid)
            report = pipeline.transform(
                storage.original_path(rid),
                state.original_name or "upload",
                cache_tmp,
                found,
                resource,
                dataset,
            )
            report["stages"].update(pipeline.filter_cache(cache_tmp, tmp, found, resource, dataset))
        # What this derivation cost the PII engine (0 when only the filters ran again).
        report["texts_analyzed"] = engine().analyzer.stats["texts"] - analyzed_before
    except InputError as err:
        failure = (err.code, err.message_ja, err.message_en)
    except StageError as err:
        failure = ("stage", err.message_ja, err.message_en)
    except JobTimeoutException:
        # Stopped by the worker: RQ records the failure (jobs.on_job_failure says why to staff).
        storage.discard(tmp)
        storage.discard_cache(cache_tmp)
        raise
    except Exception as err:  # fail closed on anything unexpected, and say so
        log.exception("derivation of resource %s failed", rid)
        failure = (
            type(err).__name__,
            "匿名化処理中に予期しないエラーが発生しました。管理者に連絡してください。",
            f"unexpected error while scrubbing ({type(err).__name__}); contact the operator",
        )

    # The fence: only the derivation of the current generation may change the state.
    current = lock(rid)
    if current is None or current.generation != generation or current.status != PROCESSING:
        storage.discard(tmp)
        storage.discard_cache(cache_tmp)
        if current is not None:
            audit(
                rid,
                current.package_id,
                "system",
                "superseded",
                generation=generation,
                current=current.generation,
            )
        return current or state
    state = current
    if failure is not None:
        storage.discard(tmp)
        storage.discard_cache(cache_tmp)
        code, message_ja, message_en = failure
        state.fail(message_ja, message_en, code=code)
        audit(rid, state.package_id, "system", "derive_failed", code=code)
        return state
    storage.commit_derivative(rid, tmp)
    if cache_tmp is not None:
        storage.commit_cache(rid, cache_tmp)
        state.cache_key = key
    state.report, state.fingerprints, state.attempts = report, prints, 0
    found = set(report.get("high_risk") or []) & blocked_types()
    audit(
        rid,
        state.package_id,
        "system",
        "derived",
        generation=generation,
        high_risk=sorted(found),
        stages=sorted(report.get("stages", {})),
    )
    if found and not state.override_block:
        state.status = BLOCKED
        state.reason_ja = "公開が止められている種類の個人情報が見つかりました: " + "、".join(sorted(found))
        state.reason_en = "found personal data of a blocked type: " + ", ".join(sorted(found))
    elif state.approved or mode_for(dataset) == "auto":
        publish(state, "system")
    else:
        state.status = REVIEW
    return state


def publish(state: ResourceState, actor: str, attachment: bool = False) -> ResourceState:
    """Make the current derivative the public file (or, by an editor's explicit decision, the
    original itself as a download-only attachment)."""
    rid = state.resource_id
    path = storage.original_path(rid) if attachment else storage.derivative_path(rid)
    if not os.path.exists(path):
        raise tk.ValidationError({"id": ["公開できるファイルがありません / no file to publish"]})
    name = state.original_name if attachment else (state.public_filename or _safe_name(state))
    public.write(rid, path, name or "data")
    state.status, state.reason_ja, state.reason_en, state.failure_code = PUBLISHED, None, None, None
    state.published_at = _now()
    state.published_by = actor
    state.published_generation = state.generation
    state.approved = True
    state.attachment = attachment
    audit(
        rid,
        state.package_id,
        actor,
        "publish_attachment" if attachment else "publish",
        generation=state.generation,
    )
    if not attachment:
        _load_datastore(rid)
    return state


def _safe_name(state: ResourceState) -> str:
    """The public name of a derivative made before names were scrubbed: the extension only."""
    ext = os.path.splitext(state.original_name or "")[1].lower()
    return f"data{ext}" if ext else "data"


def rescrub(
    state: ResourceState, actor: str, keep_published: bool = True, background: bool = False
) -> ResourceState:
    """Derive again from the closed original (policy or registry changed). The public copy is
    withdrawn at once, under the row lock; a resource an editor approved comes back by itself
    when the new derivative has no blocked finding (``keep_published=False``: a new policy needs
    a new approval). ``background``: derive in a job whatever the size (the caller only needs
    the withdrawal now). A missing original cannot be derived: the resource stays withdrawn."""
    state = lock(state.resource_id) or state
    _rescrub_locked(state, actor, keep_published, background)
    return state


def rescrub_many(
    resource_ids: list[str], actor: str, keep_published: bool = True, background: bool = True
) -> tuple[list[str], list[str]]:
    """``rescrub`` of many resources in one transaction (an opt-out with scope "all" withdraws
    every keyed resource of the portal while the resident waits): one query locks every state
    (in id order, as any other locker takes them one at a time), then each public copy is
    withdrawn and a derivation started. Returns the ids withdrawn and the ids that failed (their
    public copy may be gone too; the caller re-derives them later). Ids without a state are in
    neither list. Nothing is committed here: no derivation job starts before the caller commits."""
    model.Session.flush()
    states = (
        model.Session.query(ResourceState)
        .filter(ResourceState.resource_id.in_(sorted(set(resource_ids))))
        .order_by(ResourceState.resource_id)
        .with_for_update()
        .populate_existing()
        .all()
    )
    withdrawn, failed = [], []
    queue_up = queue.available()
    for state in states:
        try:
            _rescrub_locked(state, actor, keep_published, background, queue_up)
            withdrawn.append(state.resource_id)
        except Exception:  # the others must still be withdrawn
            log.exception("rescrub of %s failed", state.resource_id)
            failed.append(state.resource_id)
    model.Session.flush()
    return withdrawn, failed


def _rescrub_locked(
    state: ResourceState, actor: str, keep_published: bool, background: bool, queue_up: bool | None = None
) -> None:
    withdraw_public(state.resource_id)
    if not keep_published:
        state.approved = False
    audit(state.resource_id, state.package_id, actor, "rescrub")
    if not storage.has_original(state.resource_id):
        state.generation = (state.generation or 0) + 1
        state.fail(
            "元ファイルが見つからないため、公開を取り下げました。ファイルをアップロードし直してください。",
            "the original file is missing, so the public copy was withdrawn; upload the file again",
            code="original_missing",
        )
        audit(state.resource_id, state.package_id, "system", "original_missing")
        return
    start_derivation(state, background=background, queue_up=queue_up)


def forget(resource_id: str) -> None:
    """The resource no longer has an upload (deleted, purged, or replaced by a link): nothing of
    ours stays, public or closed."""
    state = lock(resource_id)
    if state is not None:
        audit(resource_id, state.package_id, _actor(), "forget")
        model.Session.delete(state)
    withdraw_public(resource_id)
    storage.remove_all(resource_id)


def forget_dataset(package_id: str) -> list[str]:
    """Everything of a purged dataset's uploads (CKAN purges its rows, not our files)."""
    ids = [
        rid
        for (rid,) in model.Session.query(ResourceState.resource_id).filter(
            ResourceState.package_id == package_id
        )
    ]
    for rid in ids:
        state = ResourceState.get(rid)
        if state is not None:
            audit(rid, package_id, _actor(), "forget", reason="dataset_purge")
            model.Session.delete(state)
        public.remove(rid)
        storage.remove_all(rid)
    return ids


# ------------------------------------------------------------------------------------------- sweep
def sweep() -> dict[str, int]:
    """Repair what faults leave behind, without staff. Run by the RQ scheduler (every
    ``ckanext.anonymize.sweep_interval`` seconds), ``ckan anonymize sweep`` or the action.

    - a derivation whose job is lost (a killed worker, a flushed Redis, a web process that died
      during an in-request derivation) is started again;
    - a resource that waited for Redis, or whose derivation failed for a transient reason (a
      connection lost), is derived again (at most ``MAX_ATTEMPTS`` times);
    - a derivative older than what its stages depend on (an opt-out filed or withdrawn while a
      fault hid the change) is derived again, its public copy withdrawn at once.
    """
    counts = {"lost": 0, "queue_retried": 0, "retried": 0, "stale": 0, "checked": 0}
    if not queue.available():
        return counts
    grace = datetime.timedelta(seconds=tk.asint(tk.config.get("ckanext.anonymize.job_grace")))
    now = _now()
    for (rid,) in (
        model.Session.query(ResourceState.resource_id)
        .filter(ResourceState.status.in_((PROCESSING, FAILED, PUBLISHED, REVIEW, BLOCKED)))
        .all()
    ):
        counts["checked"] += 1
        try:
            repaired = _sweep_one(rid, now, grace)
        except Exception:  # one resource must not stop the sweep
            model.Session.rollback()
            log.exception("sweep of resource %s failed", rid)
            continue
        model.Session.commit()
        if repaired:
            counts[repaired] += 1
    return counts


def _sweep_one(rid: str, now: datetime.datetime, grace: datetime.timedelta) -> str | None:
    """What was repaired for one resource: ``lost``, ``queue_retried``, ``stale`` or None."""
    state = ResourceState.get(rid)
    if state is None:
        return None
    if state.status == PROCESSING and _job_lost(state, now, grace):
        state = lock(rid)
        if state is None or state.status != PROCESSING:
            return None
        audit(rid, state.package_id, "system", "job_lost", job_id=state.job_id)
        state.job_id = None
        withdraw_public(rid)
        start_derivation(state, background=True)
        return "lost"
    if state.status == FAILED and state.failure_code in TRANSIENT and (state.attempts or 0) < MAX_ATTEMPTS:
        state = lock(rid)
        if state is None or state.status != FAILED:
            return None
        state.attempts = (state.attempts or 0) + 1
        kind = "queue_retried" if state.failure_code == "queue_unavailable" else "retried"
        rescrub(state, "sweep", keep_published=True, background=True)
        return kind
    if state.status in (PUBLISHED, REVIEW, BLOCKED) and not state.attachment and _stale(state):
        rescrub(state, "sweep", keep_published=True, background=True)
        return "stale"
    return None


def _job_lost(state: ResourceState, now: datetime.datetime, grace: datetime.timedelta) -> bool:
    status = queue.job_status(state.job_id)
    if status in WAITING and (status != "queued" or queue.in_queue(state.job_id or "")):
        return False
    # "queued" in no queue: taken by a worker that died before starting it; lost after the grace.
    if status == "started":
        # RQ's registry says running; the job's own lease says whether its process is alive.
        return not queue.lease_alive(state.resource_id)
    since = state.job_enqueued_at or state.updated or now
    return now - since > grace


def _stale(state: ResourceState) -> bool:
    try:
        resource, dataset = _dicts(state.resource_id)
    except tk.ObjectNotFound:
        return False
    now = fingerprints(stages(state), resource, dataset)
    return now != (state.fingerprints or {})


def _actor() -> str:
    try:
        return tk.current_user.name if tk.current_user and tk.current_user.is_authenticated else "system"
    except Exception:  # noqa: BLE001 - outside a request (CLI, jobs)
        return "system"
