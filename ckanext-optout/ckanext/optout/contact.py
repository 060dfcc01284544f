"""The resident's contact (optional), encrypted at rest.

AES-256-GCM (``cryptography``) with a key derived from ``ckanext.optout.secret`` (HMAC-SHA256 of a
fixed label, like the hashing keys in keys.py), a random 96-bit nonce per value, and the request's
id as associated data (a ciphertext copied onto another request does not decrypt). Stored as
``gcm1:`` + URL-safe base64 of nonce ‖ ciphertext ‖ tag. Only registry staff see it decrypted
(``optout_request_list``); it is erased when the request closes and after
``ckanext.optout.contact_retention_days`` (``ckan optout release-due``, run daily).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

PREFIX = "gcm1:"
UNREADABLE = (
    "（復号できません：暗号化に使った鍵と ckanext.optout.secret が異なります）"
    "(cannot be decrypted: ckanext.optout.secret has changed)"
)


class ContactUnreadable(ValueError):
    """The stored contact does not decrypt with the configured secret."""


def _key(secret: str | bytes) -> bytes:
    if not secret:
        raise RuntimeError("ckanext.optout.secret is not set")
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(raw, b"ckanext.optout/contact/v1", hashlib.sha256).digest()


def _configured_secret() -> str:
    import ckan.plugins.toolkit as tk

    return tk.config.get("ckanext.optout.secret")


def is_encrypted(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX)


def encrypt(text: str, request_id: str, secret: str | bytes | None = None) -> str:
    """``text`` encrypted for the request ``request_id``.

    >>> stored = encrypt("058-000-0000", "r1", "s3cret")
    >>> stored.startswith("gcm1:") and "058" not in stored
    True
    >>> decrypt(stored, "r1", "s3cret")
    '058-000-0000'
    >>> encrypt("058-000-0000", "r1", "s3cret") != stored      # a fresh nonce every time
    True
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(_key(secret or _configured_secret())).encrypt(
        nonce, text.encode("utf-8"), request_id.encode("utf-8")
    )
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(stored: str, request_id: str, secret: str | bytes | None = None) -> str:
    """The contact in clear; ContactUnreadable if the key (or the request) is not the one used.

    A value without the prefix is returned as it is (stored in clear by a version before the
    migration that encrypts them; that migration leaves none behind).

    >>> decrypt(encrypt("a@example.jp", "r1", "s3cret"), "r2", "s3cret")
    Traceback (most recent call last):
    ...
    ckanext.optout.contact.ContactUnreadable: cannot decrypt the contact
    """
    if not is_encrypted(stored):
        return stored
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX) :].encode("ascii"))
        text = AESGCM(_key(secret or _configured_secret())).decrypt(
            raw[:12], raw[12:], request_id.encode("utf-8")
        )
    except (InvalidTag, ValueError) as exc:
        raise ContactUnreadable("cannot decrypt the contact") from exc
    return text.decode("utf-8")


def for_staff(stored: str | None, request_id: str) -> str | None:
    """What registry staff see: the contact, or a note that it cannot be decrypted."""
    if not stored:
        return None
    try:
        return decrypt(stored, request_id)
    except ContactUnreadable:
        return UNREADABLE
