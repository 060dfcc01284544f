"""A fixed-window rate limit in Redis for the public forms and the anonymous registry actions.

The client is identified by a keyed hash of its address (no raw IP address is written to Redis).
If Redis cannot be reached the request is let through: accepting an opt-out is the safe direction,
and CKAN itself does not run without Redis for long.
"""
from __future__ import annotations

import hashlib
import hmac
import logging

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)


class RateLimited(tk.ValidationError):
    """Too many attempts from one client; the API answers 409 with this message."""

    def __init__(self, retry_after: int):
        super().__init__({"message": [
            "短時間に多くの申出・照会がありました。しばらくしてから再度お試しください "
            "(too many attempts; try again later)"]})
        self.retry_after = retry_after


def _client_address() -> str | None:
    from flask import has_request_context, request
    if not has_request_context():
        return None
    return request.remote_addr or "unknown"


def check(bucket: str, limit: int | None = None) -> None:
    """Count one attempt of the current web client in ``bucket``; raise RateLimited past the limit.

    Does nothing outside a web request (CLI, jobs, tests calling actions directly) and for
    registry staff (acting on a resident's behalf at the counter).
    """
    address = _client_address()
    if address is None:
        return
    from .logic.auth import is_registry_staff
    user = tk.current_user
    if getattr(user, "is_authenticated", False) and is_registry_staff(user.name):
        return
    if limit is None:
        limit = tk.config.get(f"ckanext.optout.rate_limit.{bucket}")
    window = int(tk.config.get("ckanext.optout.rate_limit.window"))
    secret = tk.config.get("ckanext.optout.secret").encode("utf-8")
    client = hmac.new(secret, f"ratelimit/{address}".encode(), hashlib.sha256).hexdigest()[:32]
    key = f"{tk.config.get('ckan.site_id')}:optout:ratelimit:{bucket}:{client}"
    try:
        from ckan.lib.redis import connect_to_redis
        redis = connect_to_redis()
        pipe = redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        pipe.ttl(key)
        count, _, ttl = pipe.execute()
    except Exception as exc:  # noqa: BLE001 - any Redis failure: let the resident through
        log.warning("optout rate limit unavailable (%s); request allowed", type(exc).__name__)
        return
    if int(count) > int(limit):
        raise RateLimited(max(int(ttl), 1))
