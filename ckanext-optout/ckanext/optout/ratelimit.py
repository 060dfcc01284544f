"""A fixed-window rate limit in Redis for the public forms and the anonymous registry actions.

- **Redis 6 and 7.** One Lua script (``EVAL``/``EVALSHA``) counts the attempt and gives a new
  counter its window, atomically: ``INCR``, then plain ``EXPIRE key seconds`` when the counter is
  new or has no expiry. No ``EXPIRE … NX`` (Redis 7 only).
- **Fails closed.** If Redis cannot be reached, :class:`RateLimitUnavailable` is raised: the public
  form answers 503 with a message in Japanese and English, the action API 503, and nothing is
  filed. Registry staff are neither counted nor stopped (they are checked before Redis).
- **The real client.** The client is the address the WSGI server gives (``REMOTE_ADDR``, after
  any proxy-fix middleware in front of CKAN, e.g. the Docker image's ProxyFix). With
  ``ckanext.optout.rate_limit.trusted_proxies`` set, ``X-Forwarded-For`` is read only when the
  connection comes from one of those proxies, from the right, skipping trusted hops: the first
  untrusted address is the client. A client cannot choose its own address by writing the header.
- The client is identified by a keyed hash of its address (no raw IP address is written to Redis).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import logging
from collections.abc import Iterable, Sequence

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# KEYS[1]: the counter; ARGV[1]: the window in seconds. Returns {count, seconds left}.
# Only commands of Redis 2.6+ (INCR, TTL, EXPIRE without flags): runs on Redis 6 and 7.
SCRIPT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""

UNAVAILABLE_RETRY_AFTER = 60
# Seconds to wait for Redis before giving up (then: fail closed).
REDIS_TIMEOUT = 2.0


class RateLimited(tk.ValidationError):
    """Too many attempts from one client; the API answers 409 with this message."""

    def __init__(self, retry_after: int):
        super().__init__(
            {
                "message": [
                    "短時間に多くの申出・照会がありました。しばらくしてから再度お試しください "
                    "(too many attempts; try again later)"
                ]
            }
        )
        self.retry_after = retry_after


class RateLimitUnavailable(tk.ValidationError):
    """The limiter cannot count (Redis unreachable): the request is refused, nothing is filed.

    A ValidationError so that any caller that does not know it still refuses the request (the
    action API would answer 409); the API and the forms answer 503 with Retry-After.
    """

    MESSAGE = (
        "現在受付を一時停止しています。しばらくしてから再度お試しください。"
        "お急ぎの場合は市の窓口にお問い合わせください。"
        "(The opt-out service is temporarily unavailable; please try again later.)"
    )

    def __init__(self):
        super().__init__({"message": [self.MESSAGE]})
        self.retry_after = UNAVAILABLE_RETRY_AFTER


# ---------------------------------------------------------------------------------------------
# the client's address


def parse_networks(values: Iterable[str] | str | None) -> tuple[Network, ...]:
    """``ckanext.optout.rate_limit.trusted_proxies`` as networks; ValueError on a bad entry.

    >>> [str(n) for n in parse_networks("127.0.0.1 10.0.0.0/8 ::1")]
    ['127.0.0.1/32', '10.0.0.0/8', '::1/128']
    """
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"ckanext.optout.rate_limit.trusted_proxies: not an address or network: {value!r}"
            ) from None
    return tuple(networks)


def _ip(value: str):
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 198.51.100.1:443
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The client's address: ``peer`` unless it is a trusted proxy; then the rightmost address
    in ``forwarded_for`` that is not a trusted proxy.

    >>> nets = parse_networks("127.0.0.1 10.0.0.0/8")
    >>> client_address("127.0.0.1", "192.0.2.7, 198.51.100.1, 10.0.0.2", nets)
    '198.51.100.1'
    >>> client_address("203.0.113.9", "198.51.100.1", nets)      # not from a trusted proxy
    '203.0.113.9'
    >>> client_address("127.0.0.1", "198.51.100.1", ())           # nothing trusted
    '127.0.0.1'
    >>> client_address("127.0.0.1", "garbage, 10.0.0.3", nets)    # the last trusted hop
    '10.0.0.3'
    """
    peer = peer or "unknown"
    peer_ip = _ip(peer)
    if not trusted or peer_ip is None or not any(peer_ip in n for n in trusted):
        return peer
    address = peer_ip
    for hop in reversed([h for h in (forwarded_for or "").split(",") if h.strip()]):
        hop_ip = _ip(hop)
        if hop_ip is None:  # not written by a proxy we trust: stop at the last good one
            break
        address = hop_ip
        if not any(hop_ip in n for n in trusted):
            break
    return str(address)


@functools.lru_cache(maxsize=8)
def _trusted(setting: str) -> tuple[Network, ...]:
    return parse_networks(setting)


def trusted_proxies() -> tuple[Network, ...]:
    value = tk.config.get("ckanext.optout.rate_limit.trusted_proxies") or ""
    if not isinstance(value, str):
        value = " ".join(value)
    return _trusted(value)


def _client_address() -> str | None:
    from flask import has_request_context, request

    if not has_request_context():
        return None
    environ = request.environ
    trusted = trusted_proxies()
    if not trusted:
        return request.remote_addr or "unknown"
    # The connection's own peer, before any proxy-fix middleware rewrote REMOTE_ADDR.
    original = environ.get("werkzeug.proxy_fix.orig") or {}
    peer = original.get("REMOTE_ADDR") or environ.get("REMOTE_ADDR")
    forwarded = original.get("HTTP_X_FORWARDED_FOR", environ.get("HTTP_X_FORWARDED_FOR"))
    return client_address(peer, forwarded, trusted)


# ---------------------------------------------------------------------------------------------
# Redis


@functools.lru_cache(maxsize=4)
def _pool(url: str):
    from redis import ConnectionPool

    return ConnectionPool.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)


def _redis():
    from redis import Redis

    url = tk.config.get("ckanext.optout.rate_limit.redis_url") or tk.config.get("ckan.redis.url")
    return Redis(connection_pool=_pool(url))


def count(key: str, window: int) -> tuple[int, int]:
    """Count one attempt under ``key``; ``(attempts in the window, seconds left)``.

    Raises RateLimitUnavailable when Redis cannot be reached or answers with an error."""
    try:
        attempts, ttl = _redis().eval(SCRIPT, 1, key, int(window))
    except Exception as exc:  # noqa: BLE001 - any failure to count: refuse (fail closed)
        log.error("optout rate limit: Redis unavailable (%s); request refused", type(exc).__name__)
        raise RateLimitUnavailable() from None
    return int(attempts), int(ttl)


def _counted() -> set:
    from flask import g

    if not hasattr(g, "optout_rate_counted"):
        g.optout_rate_counted = set()
    return g.optout_rate_counted


def check(bucket: str, limit: int | None = None) -> None:
    """Count one attempt of the current web client in ``bucket``; raise RateLimited past the
    limit and RateLimitUnavailable when it cannot count.

    Does nothing outside a web request (CLI, jobs, tests calling actions directly), for
    registry staff (acting on a resident's behalf at the counter), and a second time for the
    same bucket within one request (the action API counts before CKAN reads the body).
    """
    address = _client_address()
    if address is None:
        return
    from .logic.auth import is_registry_staff

    user = tk.current_user
    if getattr(user, "is_authenticated", False) and is_registry_staff(user.name):
        return
    counted = _counted()
    if bucket in counted:
        return
    counted.add(bucket)
    if limit is None:
        limit = tk.config.get(f"ckanext.optout.rate_limit.{bucket}")
    window = int(tk.config.get("ckanext.optout.rate_limit.window"))
    secret = tk.config.get("ckanext.optout.secret").encode("utf-8")
    client = hmac.new(secret, f"ratelimit/{address}".encode(), hashlib.sha256).hexdigest()[:32]
    key = f"{tk.config.get('ckan.site_id')}:optout:ratelimit:{bucket}:{client}"
    attempts, ttl = count(key, window)
    if attempts > int(limit):
        raise RateLimited(max(ttl, 1))
