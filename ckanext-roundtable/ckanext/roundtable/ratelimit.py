"""A fixed-window rate limit in Redis for the public forms and actions of the roundtable.

Counts with ``INCR``; the window (``EXPIRE``) is set when the counter is new, or has lost its
expiry, in the same Lua script so that a crash between the two cannot leave a counter that never
expires. Only commands of Redis 2.6+ (no ``EXPIRE … NX``): Redis 6 and 7 alike.

Fails closed: if Redis cannot be reached nothing is stored and :class:`RateLimitUnavailable`
(a ValidationError, so every caller refuses) says so in Japanese and English. Staff, the CLI and
jobs are not counted. The client is a keyed hash of the logged-in user, or of the address the
WSGI server gives (``REMOTE_ADDR``, after the deployment's proxy-fix middleware).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""
REDIS_TIMEOUT = 2.0


class RateLimited(tk.ValidationError):
    def __init__(self):
        super().__init__(
            {
                "message": [
                    "短時間に多くの投稿がありました。しばらくしてから再度お試しください。"
                    "(Too many submissions; please try again later.)"
                ]
            }
        )


class RateLimitUnavailable(tk.ValidationError):
    MESSAGE = (
        "現在、投稿の受付を一時停止しています。しばらくしてから再度お試しください。"
        "(Submissions are temporarily unavailable; please try again later.)"
    )

    def __init__(self):
        super().__init__({"message": [self.MESSAGE]})


@functools.lru_cache(maxsize=4)
def _pool(url: str):
    from redis import ConnectionPool

    return ConnectionPool.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)


def _redis():
    from redis import Redis

    url = tk.config.get("ckanext.roundtable.rate_limit.redis_url") or tk.config.get("ckan.redis.url")
    return Redis(connection_pool=_pool(url))


def keyed(value: str) -> str:
    """A keyed hash (HMAC-SHA256 with the site's secret) of ``value``."""
    secret = str(tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or "")
    return hmac.new(secret.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def count(key: str, window: int) -> int:
    try:
        return int(_redis().eval(SCRIPT, 1, key, int(window)))
    except Exception as exc:  # noqa: BLE001 - any failure to count: refuse (fail closed)
        log.error("roundtable rate limit: Redis unavailable (%s); submission refused", type(exc).__name__)
        raise RateLimitUnavailable() from None


def check(bucket: str, client: str | None) -> None:
    """Count one attempt of ``client`` (None: not a web client, not counted) in ``bucket``."""
    if client is None:
        return
    limit = int(tk.config.get(f"ckanext.roundtable.rate_limit.{bucket}"))
    window = int(tk.config.get("ckanext.roundtable.rate_limit.window"))
    key = f"{tk.config.get('ckan.site_id')}:roundtable:ratelimit:{bucket}:{keyed(client)}"
    if count(key, window) > limit:
        raise RateLimited()
