"""Re-derivation after the registry changes: ask the publishing pipeline to redo affected resources.

The pipeline belongs to the ``anonymize`` plugin. Its action ``anonymize_resource_rescrub`` (called
through ``toolkit.get_action``, never imported) re-derives one resource from its closed original,
running every stage, our suppression included; ``anonymize_bulk_rescrub`` withdraws many at once
(a new opt-out). Without those actions there is no pipeline and nothing to re-derive.
"""

from __future__ import annotations

import logging

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from . import model, transaction

log = logging.getLogger(__name__)

RESCRUB_ACTION = "anonymize_resource_rescrub"
BULK_RESCRUB_ACTION = "anonymize_bulk_rescrub"


def pipeline_available() -> bool:
    try:
        tk.get_action(RESCRUB_ACTION)
    except KeyError:
        return False
    return True


def affected_resources(package_id: str | None = None) -> list[str]:
    """Resources with subject-key columns in a scope: every dataset (None) or one dataset."""
    # Only resources that still exist: configurations outlive a purged dataset (CKAN deletes
    # its rows, not ours), and would cost every opt-out a failed withdrawal each.
    query = model.Session.query(model.OptoutResource.resource_id).join(
        ckan_model.Resource,
        sa.and_(
            ckan_model.Resource.id == model.OptoutResource.resource_id, ckan_model.Resource.state == "active"
        ),
    )
    if package_id:
        query = query.filter(model.OptoutResource.package_id == package_id)
    return sorted(row[0] for row in query)


def enqueue_rederive(resource_ids: list[str], reason: str = "", context: dict | None = None) -> list[str]:
    """Enqueue one job re-deriving these resources once the change that calls for it is
    committed (at the caller's commit when ``context`` has ``defer_commit``); return the ids
    (maybe none)."""
    resources = sorted(set(resource_ids))
    if not resources:
        return []
    if not pipeline_available():
        log.info(
            "optout: %d resource(s) to re-derive but no publishing pipeline (%s)",
            len(resources),
            RESCRUB_ACTION,
        )
        return []
    transaction.after_commit(context or {}, _enqueue, resources, reason)
    return resources


def _enqueue(resources: list[str], reason: str) -> None:
    tk.enqueue_job(
        rederive, [resources, reason], title=f"optout: re-derive {len(resources)} resource(s) ({reason})"
    )


def enqueue_for_scope(package_id: str | None, reason: str, context: dict | None = None) -> list[str]:
    """After a registry change: re-derive the configured resources in the opt-out's scope."""
    return enqueue_rederive(affected_resources(package_id), reason, context)


def withdraw_for_scope(package_id: str | None, reason: str, context: dict | None = None) -> list[str]:
    """A new opt-out takes effect at once: every configured resource in its scope stops being
    public now (the pipeline withdraws its file and DataStore rows in this request) and is
    re-derived in the background, the resident's rows suppressed, then republished if it was.

    The same resources are withdrawn whether or not the resident appears in them (no oracle).
    A resource the pipeline cannot take now goes to the re-derivation job instead. With
    ``defer_commit`` in ``context`` the pipeline commits nothing either.
    """
    resources = affected_resources(package_id)
    if not resources or not pipeline_available():
        return []
    context = context or {}
    deferred = transaction.deferred(context)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True, "defer_commit": deferred}, {})["name"]
    try:
        with transaction.on_its_own(context):
            result = tk.get_action(BULK_RESCRUB_ACTION)(
                {"ignore_auth": True, "user": site_user, "defer_commit": deferred}, {"ids": resources}
            )
    except Exception:  # withdrawn by the re-derivation job instead, seconds later
        log.exception("optout: %d resource(s) not withdrawn at once (%s)", len(resources), reason)
        enqueue_rederive(resources, reason, context)
        return []
    enqueue_rederive(result["failed"], reason, context)
    return result["withdrawn"]


def rederive(resource_ids: list[str], reason: str = "") -> dict[str, int]:
    """Job: re-derive each resource through the pipeline. Returns counts: ``done``, ``failed``,
    and ``skipped`` (no pipeline, or no pipeline state: a link, a resource never uploaded)."""
    counts = {"done": 0, "failed": 0, "skipped": 0}
    if not pipeline_available():
        counts["skipped"] = len(resource_ids)
        return counts
    action = tk.get_action(RESCRUB_ACTION)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    for resource_id in resource_ids:
        context = {"ignore_auth": True, "user": site_user["name"]}
        try:
            action(context, {"id": resource_id})
            counts["done"] += 1
        except tk.ObjectNotFound:
            # No pipeline state: a link, or a resource the pipeline never received.
            counts["skipped"] += 1
        except tk.ValidationError as exc:
            log.warning("optout: resource %s not re-derived (%s): %s", resource_id, reason, exc.error_dict)
            counts["failed"] += 1
        except Exception:  # one failure must not stop the others
            log.exception("optout: re-derivation of resource %s failed", resource_id)
            counts["failed"] += 1
    return counts
