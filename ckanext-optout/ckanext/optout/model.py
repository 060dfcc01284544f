"""Tables of the optout plugin (created by ``ckan db upgrade -p optout``).

None of them holds a raw name, reading, date of birth or address: a subject lives only as keyed
digests in ``optout_subject_key``; tokens only as keyed digests in ``optout_request.token_hash``.
The optional contact is encrypted (``contact.py``) and erased when the request closes or its
retention period ends.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from ckan.model import Session
from ckan.model.base import BaseModel
from sqlalchemy import orm

# Dataset lifecycle states (their meaning and transitions: lifecycle.py), named here as well.
from .lifecycle import DATASET_STATES as DATASET_STATES
from .lifecycle import NOTICE as NOTICE
from .lifecycle import OPEN as OPEN
from .lifecycle import STOCK as STOCK

# Request statuses. An opt-out is in effect from the moment it is filed.
PENDING = "pending"  # filed, in effect, not yet checked by staff
VERIFIED = "verified"  # checked by staff, in effect
REJECTED = "rejected"  # staff decided it is not valid: no longer in effect
WITHDRAWN = "withdrawn"  # the resident (or staff on their behalf) withdrew it (解除)
ACTIVE_STATUSES = (PENDING, VERIFIED)
STATUSES = (PENDING, VERIFIED, REJECTED, WITHDRAWN)


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _uuid() -> str:
    return str(uuid.uuid4())


class OptoutRequest(BaseModel):
    __tablename__ = "optout_request"
    __table_args__ = (
        sa.Index("optout_request_status_idx", "status"),
        sa.Index("optout_request_package_idx", "package_id"),
    )

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    reference = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    token_hash = sa.Column(sa.UnicodeText, nullable=False)
    key_id = sa.Column(sa.UnicodeText, nullable=False)  # which secret made the digests
    status = sa.Column(sa.UnicodeText, nullable=False, default=PENDING)
    package_id = sa.Column(sa.UnicodeText, nullable=True)  # None: every dataset
    attributes = sa.Column(sa.UnicodeText, nullable=False)  # which attributes were given
    contact = sa.Column(sa.UnicodeText, nullable=True)  # encrypted (contact.py); erased
    # when closed or after retention
    note = sa.Column(sa.UnicodeText, nullable=True)  # staff note (no identifiers)
    decided_by = sa.Column(sa.UnicodeText, nullable=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now)

    keys = orm.relationship(
        "OptoutSubjectKey", cascade="all, delete-orphan", passive_deletes=True, lazy="select"
    )

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def scope(self) -> str:
        return self.package_id or "all"

    @classmethod
    def by_reference(cls, reference: str) -> OptoutRequest | None:
        return Session.query(cls).filter(cls.reference == reference).one_or_none()

    def as_dict(self, staff: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "reference": self.reference,
            "status": self.status,
            "active": self.active,
            "scope": self.scope,
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
        }
        if staff:
            from .contact import for_staff

            data.update(
                id=self.id,
                attributes=self.attributes.split("+"),
                contact=for_staff(self.contact, self.id),
                note=self.note,
                decided_by=self.decided_by,
            )
        return data


class OptoutSubjectKey(BaseModel):
    __tablename__ = "optout_subject_key"
    __table_args__ = (
        sa.Index("optout_subject_key_lookup_idx", "combination", "digest"),
        sa.Index("optout_subject_key_request_idx", "request_id"),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    request_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey("optout_request.id", ondelete="CASCADE"), nullable=False
    )
    combination = sa.Column(sa.UnicodeText, nullable=False)
    digest = sa.Column(sa.UnicodeText, nullable=False)


class OptoutAudit(BaseModel):
    """Who did what, when, to which request/dataset/resource; never an identifying value."""

    __tablename__ = "optout_audit"
    __table_args__ = (sa.Index("optout_audit_request_idx", "request_id"),)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    actor = sa.Column(sa.UnicodeText, nullable=False)
    action = sa.Column(sa.UnicodeText, nullable=False)
    request_id = sa.Column(sa.UnicodeText, nullable=True)
    package_id = sa.Column(sa.UnicodeText, nullable=True)
    resource_id = sa.Column(sa.UnicodeText, nullable=True)
    detail = sa.Column(sa.JSON, nullable=True)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "request_id": self.request_id,
            "package_id": self.package_id,
            "resource_id": self.resource_id,
            "detail": self.detail or {},
        }


class OptoutDataset(BaseModel):
    """Lifecycle state of a dataset. Datasets without a row are outside the lifecycle."""

    __tablename__ = "optout_dataset"
    __table_args__ = (sa.Index("optout_dataset_state_idx", "state"),)

    package_id = sa.Column(sa.UnicodeText, primary_key=True)
    state = sa.Column(sa.UnicodeText, nullable=False, default=STOCK)
    deadline = sa.Column(sa.Date, nullable=True)
    held = sa.Column(sa.Boolean, nullable=False, default=False)
    # Shown on the public stock list (title and description)? Staff choose; never by default.
    listed = sa.Column(sa.Boolean, nullable=False, default=False)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified_by = sa.Column(sa.UnicodeText, nullable=True)

    def as_dict(self) -> dict[str, Any]:
        return {
            "package_id": self.package_id,
            "state": self.state,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "held": bool(self.held),
            "listed": bool(self.listed),
            "modified": self.modified.isoformat(),
        }


class OptoutResource(BaseModel):
    """The subject-key columns of a resource that holds personal records."""

    __tablename__ = "optout_resource"
    __table_args__ = (sa.Index("optout_resource_package_idx", "package_id"),)

    resource_id = sa.Column(sa.UnicodeText, primary_key=True)
    package_id = sa.Column(sa.UnicodeText, nullable=False)
    subject_columns = sa.Column(sa.JSON, nullable=False)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified_by = sa.Column(sa.UnicodeText, nullable=True)


def audit(
    actor: str,
    action: str,
    *,
    request_id: str | None = None,
    package_id: str | None = None,
    resource_id: str | None = None,
    **detail: Any,
) -> OptoutAudit:
    """Add an audit entry to the session (committed with the change it records)."""
    entry = OptoutAudit(
        actor=actor or "anonymous",
        action=action,
        request_id=request_id,
        package_id=package_id,
        resource_id=resource_id,
        detail=detail or None,
    )
    Session.add(entry)
    return entry


def tables_exist() -> bool:
    return sa.inspect(Session.get_bind()).has_table(OptoutRequest.__tablename__)
