"""What happens to an uploaded file, from upload to publication (the CKAN side of the pipeline).

    accept_upload ──► closed original ──► derive (now if small, else a background job)
                                              │ stages: optout suppression, PII scrub, ...
                                              ▼
                         failed ◄── derivative + report ──► blocked (high-risk type found)
                                              │
                             review (default) │ auto mode
                                              ▼
                                 publish: the derivative becomes the public file

Every step writes the audit log. Any error leaves the resource without a public file and keeps
the reason (Japanese and English) for staff: fail closed.
"""
from __future__ import annotations

import datetime
import json
import logging
import os
from typing import IO, Any, Optional

from rq.timeouts import JobTimeoutException

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk

from ckanext.anonymize import pipeline, storage
from ckanext.anonymize import uploader as guarded
from ckanext.anonymize.engine import Engine, EngineConfig, InputError
from ckanext.anonymize.interfaces import IPublishingStage, StageError
from ckanext.anonymize.model import (BLOCKED, PROCESSING, PUBLISHED, REVIEW,
                                     ResourceState, audit)

log = logging.getLogger(__name__)

_engine: Optional[Engine] = None


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


def mode_for(dataset: dict[str, Any]) -> str:
    mode = (dataset.get("extras") or {}).get("anonymize_mode") or tk.config.get("ckanext.anonymize.mode")
    return mode if mode in ("review", "auto") else "review"


def blocked_types() -> set[str]:
    return set(tk.aslist(tk.config.get("ckanext.anonymize.block_types")))


def sync_max_bytes() -> int:
    return tk.asint(tk.config.get("ckanext.anonymize.sync_max_bytes"))


# ------------------------------------------------------------------------------------------ helpers
def _dicts(resource_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Plain dicts of the resource and its dataset for the stages, read from the session (the
    upload runs inside package_update's transaction, before anything is committed)."""
    res = model.Session.get(model.Resource, resource_id)
    if res is None:
        raise tk.ObjectNotFound(resource_id)
    pkg = res.package
    resource = dict(res.extras or {})
    resource.update(id=res.id, package_id=res.package_id, name=res.name, format=res.format,
                    url=res.url)
    dataset = {"id": pkg.id, "name": pkg.name, "owner_org": pkg.owner_org, "private": pkg.private,
               "extras": dict(pkg.extras or {})}
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
    guarded.remove_public(resource_id)
    delete = _action("datastore_delete")
    if delete is not None:
        try:
            # filters={} empties the table without the resource_patch a whole-table delete makes,
            # which must not run inside the package_update this upload belongs to.
            delete(_site_context(), {"resource_id": resource_id, "force": True, "filters": {}})
        except tk.ObjectNotFound:
            pass


def _load_datastore(resource_id: str) -> None:
    """After publication, ask XLoader (when enabled) to load the public derivative."""
    submit = _action("xloader_submit")
    if submit is not None:
        try:
            submit(_site_context(), {"resource_id": resource_id, "ignore_hash": True})
        except Exception:  # loading is a convenience; the published file stands
            log.exception("xloader_submit failed for %s", resource_id)


def _stages(state: ResourceState) -> list[Any]:
    stages: list[Any] = [pipeline.ScrubStage(engine(), state.columns)]
    for plugin in plugins.PluginImplementations(IPublishingStage):
        stages.extend(plugin.publishing_stages())
    return stages


# ------------------------------------------------------------------------------------------- steps
def accept_upload(resource_id: str, stream: IO[bytes], filename: str, max_bytes: int) -> ResourceState:
    """Keep a new upload closed and start its derivation. Called from the uploader."""
    res = model.Session.get(model.Resource, resource_id)
    package_id = res.package_id if res is not None else ""
    withdraw_public(resource_id)  # whatever was public came from the previous file
    try:
        size, sha256 = storage.save_original(resource_id, stream, max_bytes)
    except storage.TooLarge:
        guarded.reject(f"ファイルが大きすぎます（上限 {max_bytes // (1024 * 1024)} MB）",
                       f"the file is too large (limit {max_bytes // (1024 * 1024)} MB)")
    state = ResourceState.get(resource_id)
    if state is None:
        state = ResourceState(resource_id=resource_id, package_id=package_id, columns={},
                              override_block=False, generation=0)
        model.Session.add(state)
    state.package_id = package_id or state.package_id
    state.original_name, state.original_size, state.original_sha256 = filename, size, sha256
    state.override_block = False
    state.report = None
    storage.discard(storage.derivative_path(resource_id))
    audit(resource_id, package_id, _actor(), "upload", size=size, sha256=sha256)
    start_derivation(state)
    return state


def start_derivation(state: ResourceState, republish: bool = False, background: bool = False) -> None:
    """Derive now when the original is small (unless ``background``), else in a background job
    after commit."""
    state.status, state.reason_ja, state.reason_en = PROCESSING, None, None
    state.generation = (state.generation or 0) + 1
    model.Session.flush()
    if not background and (state.original_size or 0) <= sync_max_bytes():
        derive(state, republish=republish)
        return
    from ckanext.anonymize import jobs
    if not jobs.queue_available():
        state.fail("バックグラウンド処理（Redis）に接続できません。復旧後に「再処理」を押してください。",
                   "the background job queue (Redis) is unavailable; press re-scrub once it is back")
        audit(state.resource_id, state.package_id, "system", "queue_unavailable")
        return
    jobs.enqueue_after_commit(state.resource_id, state.generation, republish)


def derive(state: ResourceState, republish: bool = False) -> ResourceState:
    """Run the pipeline on the closed original; decide review / blocked / published."""
    rid = state.resource_id
    tmp = storage.new_derivative_tmp(rid)
    try:
        resource, dataset = _dicts(rid)
        report = pipeline.run(storage.original_path(rid), state.original_name or "upload", tmp,
                              _stages(state), resource, dataset)
    except InputError as err:
        storage.discard(tmp)
        state.fail(err.message_ja, err.message_en)
        audit(rid, state.package_id, "system", "derive_failed", code=err.code)
        return state
    except StageError as err:
        storage.discard(tmp)
        state.fail(err.message_ja, err.message_en)
        audit(rid, state.package_id, "system", "derive_failed", code="stage")
        return state
    except JobTimeoutException:
        # Stopped by the worker: RQ records the failure (jobs.on_job_failure says why to staff).
        storage.discard(tmp)
        raise
    except Exception as err:  # fail closed on anything unexpected, and say so
        storage.discard(tmp)
        log.exception("derivation of resource %s failed", rid)
        state.fail("匿名化処理中に予期しないエラーが発生しました。管理者に連絡してください。",
                   f"unexpected error while scrubbing ({type(err).__name__}); contact the operator")
        audit(rid, state.package_id, "system", "derive_failed", code=type(err).__name__)
        return state
    storage.commit_derivative(rid, tmp)
    state.report = report
    found = set(report.get("high_risk") or []) & blocked_types()
    audit(rid, state.package_id, "system", "derived", high_risk=sorted(found),
          stages=sorted(report.get("stages", {})))
    if found and not state.override_block:
        state.status = BLOCKED
        state.reason_ja = "公開が止められている種類の個人情報が見つかりました: " + "、".join(sorted(found))
        state.reason_en = "found personal data of a blocked type: " + ", ".join(sorted(found))
    elif republish or mode_for(dataset) == "auto":
        publish(state, "system")
    else:
        state.status = REVIEW
    return state


def publish(state: ResourceState, actor: str) -> ResourceState:
    rid = state.resource_id
    path = storage.derivative_path(rid)
    if not os.path.exists(path):
        raise tk.ValidationError({"id": ["公開できる匿名化済みファイルがありません / no scrubbed file to publish"]})
    guarded.write_public(rid, path, state.original_name or "data")
    state.status, state.reason_ja, state.reason_en = PUBLISHED, None, None
    state.published_at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    state.published_by = actor
    audit(rid, state.package_id, actor, "publish", generation=state.generation)
    _load_datastore(rid)
    return state


def rescrub(state: ResourceState, actor: str, keep_published: bool = True,
            background: bool = False) -> ResourceState:
    """Derive again from the closed original (policy or registry changed). The public file is
    withdrawn at once; a resource that was published comes back by itself when the new derivative
    has no blocked finding, since an editor already approved this original and policy.
    ``background``: derive in a job whatever the size (the caller only needs the withdrawal now)."""
    if not os.path.exists(storage.original_path(state.resource_id)):
        raise tk.ValidationError({"id": ["元ファイルがありません / the original file is missing"]})
    republish = keep_published and state.status == PUBLISHED
    withdraw_public(state.resource_id)
    audit(state.resource_id, state.package_id, actor, "rescrub")
    start_derivation(state, republish=republish, background=background)
    return state


def forget(resource_id: str) -> None:
    """The resource no longer has an upload (deleted, or replaced by a link)."""
    state = ResourceState.get(resource_id)
    if state is not None:
        audit(resource_id, state.package_id, _actor(), "forget")
        model.Session.delete(state)
    storage.remove_all(resource_id)


def _actor() -> str:
    try:
        return tk.current_user.name if tk.current_user and tk.current_user.is_authenticated else "system"
    except Exception:  # outside a request (CLI, jobs)
        return "system"
