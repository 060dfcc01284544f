"""Tables of the anonymize plugin: the publishing state of each uploaded resource, and an audit log.

Neither table holds a personal value: reports are counts and masked examples, the audit log records
who did what to which resource, when.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

# Publishing states. Only PUBLISHED has a public file.
PROCESSING = "processing"  # 処理中: the derivative is being made (in the request or a job)
REVIEW = "review"  # 要確認: made, waits for an editor's approval
BLOCKED = "blocked"  # 要確認 (高リスク): a blocked type (e.g. My Number) was found
PUBLISHED = "published"  # 公開済
FAILED = "failed"  # 失敗: the reason is kept; nothing public
STATES = (PROCESSING, REVIEW, BLOCKED, PUBLISHED, FAILED)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class ResourceState(tk.BaseModel):
    __tablename__ = "anonymize_resource"

    resource_id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, index=True)
    status: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)
    generation: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)
    reason_ja: Mapped[str | None] = sa.Column(sa.UnicodeText)
    reason_en: Mapped[str | None] = sa.Column(sa.UnicodeText)
    original_name: Mapped[str | None] = sa.Column(sa.UnicodeText)
    original_size: Mapped[int | None] = sa.Column(sa.BigInteger)
    original_sha256: Mapped[str | None] = sa.Column(sa.UnicodeText)
    report: Mapped[dict[str, Any] | None] = sa.Column(JSONB)
    columns: Mapped[dict[str, str] | None] = sa.Column(JSONB)
    override_block: Mapped[bool] = sa.Column(sa.Boolean, nullable=False, default=False)
    created: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False, default=_now)
    updated: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False, default=_now, onupdate=_now)
    published_at: Mapped[datetime.datetime | None] = sa.Column(sa.DateTime)
    published_by: Mapped[str | None] = sa.Column(sa.UnicodeText)
    # An editor approved this original and column policy (or auto mode did): a re-derivation for
    # a registry change publishes by itself, without another review.
    approved: Mapped[bool] = sa.Column(sa.Boolean, nullable=False, default=False)
    published_generation: Mapped[int | None] = sa.Column(sa.Integer)
    failure_code: Mapped[str | None] = sa.Column(sa.UnicodeText)
    # Published as it was uploaded, download-only, by an editor's explicit decision (a file the
    # engine cannot scrub, such as an SVG chart).
    attachment: Mapped[bool] = sa.Column(sa.Boolean, nullable=False, default=False)
    public_filename: Mapped[str | None] = sa.Column(sa.UnicodeText)
    # What each stage's output depended on at the derivation (e.g. the active opt-outs): the
    # sweep re-derives a resource whose public copy is older than the registry.
    fingerprints: Mapped[dict[str, Any] | None] = sa.Column(JSONB)
    job_id: Mapped[str | None] = sa.Column(sa.UnicodeText)
    job_enqueued_at: Mapped[datetime.datetime | None] = sa.Column(sa.DateTime)
    # Retries of a derivation that failed for a transient reason (the sweep gives up after a few).
    attempts: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)
    # What the scrubbed cache was made from (original, column policy, engine, filter keys): when
    # it still holds, a re-derivation only filters the cache again (no new PII scan).
    cache_key: Mapped[str | None] = sa.Column(sa.UnicodeText)

    @classmethod
    def get(cls, resource_id: str) -> ResourceState | None:
        return model.Session.get(cls, resource_id)

    def fail(self, message_ja: str, message_en: str, code: str = "error") -> None:
        self.status = FAILED
        self.reason_ja, self.reason_en = message_ja, message_en
        self.failure_code = code

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource_id": self.resource_id,
            "package_id": self.package_id,
            "status": self.status,
            "generation": self.generation,
            "reason": {"ja": self.reason_ja, "en": self.reason_en} if self.reason_ja else None,
            "original_name": self.original_name,
            "original_size": self.original_size,
            "original_sha256": self.original_sha256,
            "columns": self.columns or {},
            "override_block": self.override_block,
            "failure_code": self.failure_code,
            "approved": bool(self.approved),
            "attachment": bool(self.attachment),
            "published_generation": self.published_generation,
            "high_risk": (self.report or {}).get("high_risk", []),
            "created": self.created.isoformat() if self.created else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "published_by": self.published_by,
        }


class AuditEntry(tk.BaseModel):
    __tablename__ = "anonymize_audit"

    id: Mapped[int] = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    resource_id: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, index=True)
    package_id: Mapped[str | None] = sa.Column(sa.UnicodeText)
    actor: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)
    action: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)
    at: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False, default=_now)
    detail: Mapped[dict[str, Any] | None] = sa.Column(JSONB)

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource_id": self.resource_id,
            "actor": self.actor,
            "action": self.action,
            "at": self.at.isoformat(),
            "detail": self.detail or {},
        }


def audit(resource_id: str, package_id: str | None, actor: str, action: str, **detail: Any) -> None:
    model.Session.add(
        AuditEntry(
            resource_id=resource_id,
            package_id=package_id,
            actor=actor or "system",
            action=action,
            detail=detail or None,
        )
    )
