"""Action API of the anonymize plugin (``/api/3/action/anonymize_*``).

All of them are for editors of the dataset's organization (and sysadmins), never the public.
Messages come in Japanese and English.
"""

from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate  # CKAN's action decorator (not in the toolkit)

from ckanext.anonymize import service, storage
from ckanext.anonymize.logic import schema
from ckanext.anonymize.model import BLOCKED, FAILED, REVIEW, ResourceState, audit

__all__ = [
    "anonymize_bulk_rescrub",
    "anonymize_original_download",
    "anonymize_report_show",
    "anonymize_resource_policy_update",
    "anonymize_resource_publish",
    "anonymize_resource_rescrub",
    "anonymize_resource_status_show",
    "anonymize_sweep",
    "anonymize_text_preview",
    "dataset_purge",
]

STATUS_LABELS = {
    "processing": ("処理中", "processing"),
    "review": ("要確認", "waiting for review"),
    "blocked": ("要確認（高リスク）", "blocked: high-risk data found"),
    "published": ("公開済", "published"),
    "failed": ("失敗", "failed"),
    "none": ("対象外（アップロードなし）", "not applicable (no upload)"),
}


def _state(resource_id: str) -> ResourceState:
    state = ResourceState.get(resource_id)
    if state is None:
        raise tk.ObjectNotFound(
            "このリソースにはアップロードされたファイルがありません / this resource has no uploaded file"
        )
    return state


def _status(state: ResourceState) -> dict[str, Any]:
    out = state.as_dict()
    ja, en = STATUS_LABELS[state.status]
    out["status_label"] = {"ja": ja, "en": en}
    return out


def _user(context: Any) -> str:
    return context.get("user") or "system"


def _commit(context: Any) -> None:
    if not context.get("defer_commit"):
        model.repo.commit()


@tk.side_effect_free
@validate(schema.resource_id_schema)
def anonymize_resource_status_show(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The publishing status of an uploaded resource.

    :param id: the resource id
    :type id: string
    :returns: ``status`` (processing, review, blocked, published, failed), ``status_label``
        (ja/en), ``reason`` (ja/en, when failed or blocked), ``high_risk`` (entity types),
        ``columns`` (the editor's column decisions), original name/size/sha256, ``generation``.
    """
    tk.check_access("anonymize_resource_status_show", context, data_dict)
    state = ResourceState.get(data_dict["id"])
    if state is None:
        ja, en = STATUS_LABELS["none"]
        return {"resource_id": data_dict["id"], "status": "none", "status_label": {"ja": ja, "en": en}}
    return _status(state)


@tk.side_effect_free
@validate(schema.resource_id_schema)
def anonymize_report_show(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The report of the latest derivation: format and encoding found, each stage's part (the
    scrub's column decisions with reasons, counts per column and entity type, masked examples,
    k-anonymity), never a raw value.

    :param id: the resource id
    :type id: string
    """
    tk.check_access("anonymize_report_show", context, data_dict)
    state = _state(data_dict["id"])
    return {
        "resource_id": state.resource_id,
        "status": state.status,
        "generation": state.generation,
        "columns": state.columns or {},
        "report": state.report or {},
    }


@validate(schema.policy_update_schema)
def anonymize_resource_policy_update(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Set the editor's column decisions and derive again with them.

    :param id: the resource id
    :type id: string
    :param columns: mapping of column name to ``keep`` (publish as is), ``transform`` (replace
        every cell) or ``analyze`` (look for personal data in each cell), e.g. ``{"氏名": "keep"}``.
        Columns not named keep the engine's own decision.
    :type columns: dict
    :returns: the new status (see ``anonymize_resource_status_show``)
    """
    tk.check_access("anonymize_resource_policy_update", context, data_dict)
    state = service.lock(_state(data_dict["id"]).resource_id)
    state.columns = {**(state.columns or {}), **data_dict["columns"]}
    audit(state.resource_id, state.package_id, _user(context), "policy_update", columns=data_dict["columns"])
    state = service.rescrub(state, _user(context), keep_published=False)
    _commit(context)
    return _status(state)


@validate(schema.publish_schema)
def anonymize_resource_publish(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Publish the scrubbed derivative: it becomes the resource's public file.

    :param id: the resource id
    :type id: string
    :param override_block: publish although a blocked type (e.g. My Number) was found
        (default false); recorded in the audit log
    :type override_block: bool
    :param as_attachment: publish a file the engine refused as one it cannot scrub (SVG, HTML,
        PDF …) as it was uploaded, download-only (never shown in a browser): an editor's
        explicit decision after checking it, recorded in the audit log (default false)
    :type as_attachment: bool
    """
    tk.check_access("anonymize_resource_publish", context, data_dict)
    state = service.lock(_state(data_dict["id"]).resource_id)
    if data_dict["as_attachment"]:
        if state.status != FAILED or state.failure_code != "unsafe_type":
            raise tk.ValidationError(
                {
                    "as_attachment": [
                        "添付ファイルとしての公開は、匿名化できない種類のファイル（SVG・HTML・PDF など）に限られます / "
                        "publishing as an attachment is only for files of a kind that cannot be scrubbed"
                    ]
                }
            )
        audit(state.resource_id, state.package_id, _user(context), "override_unsafe_type", original_name=None)
        service.publish(state, _user(context), attachment=True)
        _commit(context)
        return _status(state)
    if state.status == BLOCKED and not data_dict["override_block"]:
        raise tk.ValidationError(
            {
                "override_block": [
                    "高リスクの個人情報が見つかったため公開が止められています。内容を確認し、"
                    "override_block=true で公開してください / publishing is blocked because high-risk data "
                    "was found; review it and publish with override_block=true"
                ]
            }
        )
    if state.status not in (REVIEW, BLOCKED):
        raise tk.ValidationError(
            {
                "id": [
                    f"この状態（{STATUS_LABELS[state.status][0]}）では公開できません / "
                    f"cannot publish in state {state.status}"
                ]
            }
        )
    if state.status == BLOCKED:
        state.override_block = True
        audit(
            state.resource_id,
            state.package_id,
            _user(context),
            "override_block",
            high_risk=(state.report or {}).get("high_risk", []),
        )
    service.publish(state, _user(context))
    _commit(context)
    return _status(state)


@validate(schema.rescrub_schema)
def anonymize_resource_rescrub(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Derive the resource again from its closed original (after a policy or registry change).
    The public file is withdrawn at once.

    :param id: the resource id
    :type id: string
    :param keep_published: when the resource was published, publish the new derivative by itself
        if nothing blocked is found (default true: the same original and policy were approved)
    :type keep_published: bool
    :param background: derive in a background job even when the file is small (default false):
        the public file is withdrawn now and the call returns at once (e.g. after an opt-out)
    :type background: bool
    :returns: the new status; ``failed`` with ``failure_code`` ``original_missing`` when the
        closed original is gone (the public copy is withdrawn all the same)
    """
    tk.check_access("anonymize_resource_rescrub", context, data_dict)
    state = service.rescrub(
        _state(data_dict["id"]),
        _user(context),
        keep_published=data_dict["keep_published"],
        background=data_dict["background"],
    )
    _commit(context)
    return _status(state)


@validate(schema.bulk_rescrub_schema)
def anonymize_bulk_rescrub(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """``anonymize_resource_rescrub`` of many resources at once, in one transaction: every
    public copy is withdrawn before the call returns, every derivation runs in the background
    (an opt-out with scope "all" withdraws every resource holding personal records while the
    resident waits for the answer).

    :param ids: resource ids (at most 10,000)
    :type ids: list of strings
    :param keep_published: as in ``anonymize_resource_rescrub`` (default true)
    :type keep_published: bool
    :returns: ``withdrawn`` (ids whose public copy is withdrawn and derivation started),
        ``failed`` (ids that could not be: their public copy may be withdrawn, derive them again
        later) and ``not_found`` (ids the pipeline has no upload for: links, unknown ids)
    """
    tk.check_access("anonymize_bulk_rescrub", context, data_dict)
    ids = data_dict["ids"]
    withdrawn, failed = service.rescrub_many(ids, _user(context), keep_published=data_dict["keep_published"])
    _commit(context)
    seen = set(withdrawn) | set(failed)
    return {"withdrawn": withdrawn, "failed": failed, "not_found": sorted(set(ids) - seen)}


@validate(schema.resource_id_schema)
def anonymize_original_download(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Access to the closed original (audited). Returns its name, size, sha256 and the URL of
    the staff-only download (which checks the same permission and streams the bytes).

    :param id: the resource id
    :type id: string
    """
    tk.check_access("anonymize_original_download", context, data_dict)
    state = _state(data_dict["id"])
    audit(state.resource_id, state.package_id, _user(context), "original_download")
    _commit(context)
    return {
        "resource_id": state.resource_id,
        "filename": state.original_name,
        "size": state.original_size,
        "sha256": state.original_sha256,
        "path": storage.original_path(state.resource_id) if context.get("return_path") else None,
        "url": tk.url_for("anonymize.original", resource_id=state.resource_id, _external=True),
    }


def anonymize_sweep(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Repair what faults left behind (sysadmins; the scheduler runs it too): derive again the
    resources whose background job was lost (a killed worker, a flushed Redis), that waited for
    Redis, or whose public copy is older than what their stages depend on (the opt-out
    registry). Their public copy is withdrawn at once. It commits resource by resource (a sweep
    interrupted halfway keeps what it repaired), so ``defer_commit`` does not apply.

    :returns: counts ``checked``, ``lost``, ``queue_retried``, ``retried``, ``stale``
    :rtype: dict
    """
    tk.check_access("anonymize_sweep", context, data_dict)
    return service.sweep()


@tk.chained_action
def dataset_purge(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    """CKAN purges a dataset's rows but not the files of its uploads: ours go too (closed
    originals, derivatives, public copies, DataStore rows), once the purge succeeded."""
    pkg = model.Package.get((data_dict or {}).get("id") or "")
    package_id = pkg.id if pkg is not None else None
    result = next_action(context, data_dict)
    if package_id:
        service.forget_dataset(package_id)
        _commit(context)
    return result


@validate(schema.text_preview_schema)
def anonymize_text_preview(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Analyse a snippet of text for personal data (for staff trying the scrubber).

    :param text: up to 10,000 characters
    :type text: string
    :returns: ``findings`` (entity_type, start, end, score) and ``anonymized`` text
    """
    tk.check_access("anonymize_text_preview", context, data_dict)
    return service.engine().analyze_text(data_dict["text"])
