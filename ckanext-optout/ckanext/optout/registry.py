"""The registry seen from code: the keyed hasher from config, and the opt-outs that apply to a
resource, loaded for the suppression stage."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import lru_cache

import ckan.plugins.toolkit as tk

from . import model
from .keys import KeyedHasher, combinations
from .suppress import SuppressionIndex


@lru_cache(maxsize=4)
def _hasher(secret: str) -> KeyedHasher:
    return KeyedHasher(secret)


def get_hasher() -> KeyedHasher:
    secret = tk.config.get("ckanext.optout.secret")
    if not secret:
        raise RuntimeError("ckanext.optout.secret is not set")
    return _hasher(secret)


class SecretMismatch(RuntimeError):
    """Active opt-outs were hashed with another secret: they could not match any row."""


def check_secret(hasher: KeyedHasher) -> None:
    Request = model.OptoutRequest
    other = (
        model.Session.query(Request.id)
        .filter(Request.status.in_(model.ACTIVE_STATUSES), Request.key_id != hasher.key_id)
        .limit(1)
        .first()
    )
    if other is not None:
        raise SecretMismatch("active opt-outs were hashed with another ckanext.optout.secret")


def active_entries(
    package_id: str | None, attributes: list[str], statuses: tuple[str, ...] = model.ACTIVE_STATUSES
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """``(attributes given, {combination: digest})`` of every active opt-out (of ``statuses``)
    that applies to a dataset (scope ``all`` or this dataset), limited to combinations of
    ``attributes``.

    Raises :class:`SecretMismatch` when active opt-outs were hashed with another secret.
    """
    check_secret(get_hasher())
    wanted = ["+".join(c) for c in combinations(attributes)]
    Request, SubjectKey = model.OptoutRequest, model.OptoutSubjectKey
    scope = Request.package_id.is_(None)
    if package_id:
        scope = scope | (Request.package_id == package_id)
    query = (
        model.Session.query(Request.id, Request.attributes, SubjectKey.combination, SubjectKey.digest)
        .join(SubjectKey, SubjectKey.request_id == Request.id)
        .filter(Request.status.in_(statuses), scope, SubjectKey.combination.in_(wanted))
    )
    # Grouped here rather than ordered in SQL: a hash join, at most len(wanted) rows a request.
    grouped: dict[str, tuple[list[str], dict[str, str]]] = {}
    for request_id, attrs, combination, digest in query:
        entry = grouped.get(request_id)
        if entry is None:
            entry = grouped[request_id] = (attrs.split("+"), {})
        entry[1][combination] = digest
    return iter(grouped.values())


def load_index(
    package_id: str | None, attributes: list[str], statuses: tuple[str, ...] = model.ACTIVE_STATUSES
) -> SuppressionIndex:
    return SuppressionIndex(attributes, active_entries(package_id, attributes, statuses))


def fingerprint(package_id: str | None, resource_id: str) -> str:
    """What the suppression of a resource depends on now: its subject columns and the active
    opt-outs in its scope (ids and statuses, never a digest). Changes whenever an opt-out is
    filed, verified, rejected or withdrawn, or the columns change; the publishing pipeline
    compares it with the one of the public copy to find copies older than the registry."""
    Request = model.OptoutRequest
    scope = Request.package_id.is_(None)
    if package_id:
        scope = scope | (Request.package_id == package_id)
    rows = (
        model.Session.query(Request.id, Request.status)
        .filter(Request.status.in_(model.ACTIVE_STATUSES), scope)
        .order_by(Request.id)
        .all()
    )
    columns = sorted(subject_columns(resource_id).items())
    message = repr((columns, rows, get_hasher().key_id)).encode("utf-8")
    return hashlib.sha256(message).hexdigest()[:32]


def subject_columns(resource_id: str) -> dict[str, str]:
    row = model.Session.get(model.OptoutResource, resource_id)
    return dict(row.subject_columns) if row else {}
