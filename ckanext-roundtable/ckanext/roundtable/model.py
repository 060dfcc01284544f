"""Tables of the roundtable plugin (created by ``ckan db upgrade -p roundtable``).

- ``roundtable_request``: a data request. ``contact`` (an e-mail address, optional) is personal:
  it is read only to send the status mail, never shown publicly nor returned by the API to
  anyone but staff, and erased once the request reaches a final status.
- ``roundtable_support``: one row per supporter and request (``supporter`` is ``user:<id>`` or
  ``anon:<keyed hash of address and browser>``; no raw address is stored).
- ``roundtable_comment``: comments on a request and typed feedback on a dataset, with staff
  replies (``parent_id``).
- ``roundtable_status_change``: each status a request was given, by whom, with the reason, and
  when a linked dataset opened (the history of what was opened because someone asked).
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from ckan.model import Session
from ckan.model.base import BaseModel

from . import terms


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _uuid() -> str:
    return str(uuid.uuid4())


class Request(BaseModel):
    __tablename__ = "roundtable_request"
    __table_args__ = (
        sa.Index("roundtable_request_visibility_idx", "visibility"),
        sa.Index("roundtable_request_package_idx", "package_id"),
    )

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    title = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    audience = sa.Column(sa.UnicodeText, nullable=False, default="")
    contact = sa.Column(sa.UnicodeText, nullable=True)
    user_id = sa.Column(sa.UnicodeText, nullable=True)
    group_id = sa.Column(sa.UnicodeText, nullable=True)  # theme (a CKAN group), optional
    organization_id = sa.Column(sa.UnicodeText, nullable=True)  # the section that answers
    status = sa.Column(sa.UnicodeText, nullable=False, default=terms.RECEIVED)
    status_reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    visibility = sa.Column(sa.UnicodeText, nullable=False, default=terms.CHECKING)
    hold_reason = sa.Column(sa.UnicodeText, nullable=True)
    package_id = sa.Column(sa.UnicodeText, nullable=True)
    search_key = sa.Column(sa.UnicodeText, nullable=False, default="")
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now)

    def text(self) -> str:
        """What the public sees of it: checked for personal data before it is shown."""
        return "\n".join((self.title, self.description, self.audience or ""))

    def index(self) -> None:
        self.search_key = terms.search_key(self.text())


class Support(BaseModel):
    __tablename__ = "roundtable_support"

    request_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey("roundtable_request.id", ondelete="CASCADE"), primary_key=True
    )
    supporter = sa.Column(sa.UnicodeText, primary_key=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)


class Comment(BaseModel):
    __tablename__ = "roundtable_comment"
    __table_args__ = (
        sa.Index("roundtable_comment_request_idx", "request_id"),
        sa.Index("roundtable_comment_package_idx", "package_id"),
        sa.Index("roundtable_comment_visibility_idx", "visibility"),
    )

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    request_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey("roundtable_request.id", ondelete="CASCADE"), nullable=True
    )
    package_id = sa.Column(sa.UnicodeText, nullable=True)
    parent_id = sa.Column(sa.UnicodeText, nullable=True)
    kind = sa.Column(sa.UnicodeText, nullable=True)  # feedback on a dataset: terms.FEEDBACK_KINDS
    body = sa.Column(sa.UnicodeText, nullable=False)
    user_id = sa.Column(sa.UnicodeText, nullable=True)
    staff = sa.Column(sa.Boolean, nullable=False, default=False)  # written by staff (a reply)
    visibility = sa.Column(sa.UnicodeText, nullable=False, default=terms.CHECKING)
    hold_reason = sa.Column(sa.UnicodeText, nullable=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)

    def text(self) -> str:
        return self.body


class StatusChange(BaseModel):
    __tablename__ = "roundtable_status_change"
    __table_args__ = (sa.Index("roundtable_status_change_request_idx", "request_id"),)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    request_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey("roundtable_request.id", ondelete="CASCADE"), nullable=False
    )
    status = sa.Column(sa.UnicodeText, nullable=False)
    reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    package_id = sa.Column(sa.UnicodeText, nullable=True)
    actor = sa.Column(sa.UnicodeText, nullable=False)
    mailed = sa.Column(sa.Boolean, nullable=False, default=False)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)


KINDS = {"request": Request, "comment": Comment}


def tables_exist() -> bool:
    return sa.inspect(Session.get_bind()).has_table(Request.__tablename__)
