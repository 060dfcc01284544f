"""The rate limit of the public forms and the anonymous registry actions, against the real Redis of
the test setup: it works on Redis 6 and 7, it fails closed when Redis cannot be reached (nothing is
filed, the resident is told in Japanese and English, the API answers 503), and it counts the real
client behind a trusted proxy only."""

import re

import ckan.model as model
import pytest
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.test import Client

from ckanext.optout import model as m
from ckanext.optout import ratelimit

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "optout"),
    pytest.mark.usefixtures("with_plugins", "optout_db", "clean_redis"),
]

FORM = {"name": "岐阜　花子", "birth_date": "平成2年7月7日", "scope": "all", "contact": ""}
API_BODY = {"subject": {"name": "岐阜太郎", "birth_date": "1980-03-01"}}
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def body(res):
    return res.get_data(as_text=True)


def filed() -> int:
    model.Session.remove()
    return model.Session.query(m.OptoutRequest).count()


def limiter_keys():
    return [k.decode() for k in connect_to_redis().keys("*optout:ratelimit:*")]


# --------------------------------------------------------------------------------------------
# Redis 6 and 7


# Commands of Redis 6.0 the limiter may use (all exist since Redis 2.6). EXPIRE's NX/XX/GT/LT
# flags, EXPIRETIME and friends came with Redis 7.0.
REDIS_6_COMMANDS = {"INCR", "EXPIRE", "PEXPIRE", "TTL", "PTTL"}


def test_the_script_uses_only_redis_6_commands_and_no_expire_flags():
    calls = re.findall(r"redis\.call\(\s*'([A-Za-z]+)'([^)]*)\)", ratelimit.SCRIPT)
    assert calls, ratelimit.SCRIPT
    assert {name.upper() for name, _ in calls} <= REDIS_6_COMMANDS
    for name, args in calls:
        if name.upper() in ("EXPIRE", "PEXPIRE"):
            assert args.count(",") == 2, args  # key and seconds, nothing else
            assert not re.search(r"\b(NX|XX|GT|LT)\b", args, re.IGNORECASE), args


def test_a_counted_attempt_has_a_window_in_redis(app):
    assert app.post("/optout/request", data=FORM).status_code == 200
    [key] = limiter_keys()
    ttl = connect_to_redis().ttl(key)
    assert 0 < ttl <= 3600
    assert int(connect_to_redis().get(key)) == 1


@pytest.mark.ckan_config("ckanext.optout.rate_limit.request", 2)
def test_a_counter_left_without_expiry_gets_one_and_still_limits(app):
    app.post("/optout/request", data=FORM)
    [key] = limiter_keys()
    redis = connect_to_redis()
    redis.persist(key)  # as a failed EXPIRE of an older version left it
    assert redis.ttl(key) == -1
    assert app.post("/optout/request", data=FORM).status_code == 200
    assert 0 < redis.ttl(key) <= 3600
    assert app.post("/optout/request", data=FORM).status_code == 429


# --------------------------------------------------------------------------------------------
# Redis down: fail closed


@pytest.mark.ckan_config("ckanext.optout.rate_limit.redis_url", DEAD_REDIS)
def test_the_public_form_refuses_when_redis_is_down_and_files_nothing(app):
    res = app.post("/optout/request", data=FORM)
    assert res.status_code == 503
    html = body(res)
    assert "現在受付を一時停止しています" in html and "temporarily unavailable" in html
    assert res.headers.get("Retry-After")
    assert filed() == 0


@pytest.mark.ckan_config("ckanext.optout.rate_limit.redis_url", DEAD_REDIS)
def test_the_api_answers_503_when_redis_is_down_and_files_nothing(app):
    res = app.post("/api/3/action/optout_request_create", json=API_BODY)
    assert res.status_code == 503
    assert res.headers.get("Retry-After")
    assert res.json["success"] is False
    error = res.json["error"]
    assert error["__type"] == "Service Unavailable"
    assert "現在受付を一時停止しています" in error["message"]
    assert "temporarily unavailable" in error["message"]
    assert filed() == 0


@pytest.mark.ckan_config("ckanext.optout.rate_limit.redis_url", DEAD_REDIS)
def test_status_checks_refuse_too_when_redis_is_down(app):
    res = app.post("/optout/status", data={"reference": "OPT-0000-0000", "token": "AAAA"})
    assert res.status_code == 503
    assert "現在受付を一時停止しています" in body(res)
    res = app.post("/api/3/action/optout_request_show", json={"reference": "OPT-0000-0000", "token": "AAAA"})
    assert res.status_code == 503


@pytest.mark.ckan_config("ckanext.optout.rate_limit.redis_url", DEAD_REDIS)
def test_registry_staff_are_not_limited_and_not_stopped_by_a_redis_outage(app):
    sysadmin = factories.SysadminWithToken()
    res = app.post("/optout/request", data=FORM, headers={"Authorization": sysadmin["token"]})
    assert res.status_code == 200
    res = app.post(
        "/api/3/action/optout_request_create", json=API_BODY, headers={"Authorization": sysadmin["token"]}
    )
    assert res.status_code == 200
    assert filed() == 2


# --------------------------------------------------------------------------------------------
# Which client is counted


@pytest.mark.ckan_config("ckanext.optout.rate_limit.request", 1)
def test_without_trusted_proxies_x_forwarded_for_is_ignored(app):
    """A client cannot get a fresh allowance by inventing an X-Forwarded-For header."""
    first = app.post("/optout/request", data=FORM, headers={"X-Forwarded-For": "198.51.100.1"})
    second = app.post("/optout/request", data=FORM, headers={"X-Forwarded-For": "198.51.100.2"})
    assert (first.status_code, second.status_code) == (200, 429)


@pytest.mark.ckan_config("ckanext.optout.rate_limit.request", 1)
@pytest.mark.ckan_config("ckanext.optout.rate_limit.trusted_proxies", "127.0.0.1 10.0.0.0/8")
def test_behind_a_trusted_proxy_each_resident_is_counted_apart(app):
    # The test client connects from 127.0.0.1, here the trusted nginx.
    def post(xff, peer="127.0.0.1"):
        return app.post(
            "/optout/request",
            data=FORM,
            headers={"X-Forwarded-For": xff},
            extra_environ={"REMOTE_ADDR": peer},
        ).status_code

    assert post("198.51.100.1") == 200
    assert post("198.51.100.2") == 200
    assert post("198.51.100.1") == 429
    # Entries left of the first untrusted address are the client's own words: ignored.
    assert post("192.0.2.77, 198.51.100.2, 10.1.2.3") == 429
    # A peer that is not a trusted proxy is counted by its own address, whatever it claims.
    assert post("198.51.100.3", peer="203.0.113.9") == 200
    assert post("198.51.100.4", peer="203.0.113.9") == 429


@pytest.mark.ckan_config("ckanext.optout.rate_limit.request", 1)
def test_behind_the_docker_images_proxy_fix_residents_are_counted_apart(app):
    """docker/ckan/gifu_wsgi.py wraps CKAN in werkzeug's ProxyFix(x_for=GIFU_TRUSTED_PROXIES)
    behind nginx (X-Forwarded-For $proxy_add_x_forwarded_for): the address it sets is the one
    counted, and what a client writes into X-Forwarded-For itself is not."""
    client = Client(ProxyFix(app.app, x_for=1, x_proto=1, x_host=1))

    def post(xff):
        return client.post(
            "/optout/request",
            data=FORM,
            headers={"X-Forwarded-For": xff},
            environ_base={"REMOTE_ADDR": "172.18.0.5"},
        ).status_code

    assert post("198.51.100.1") == 200
    assert post("198.51.100.2") == 200
    assert post("203.0.113.50, 198.51.100.1") == 429  # spoofed entry left of nginx's


# --------------------------------------------------------------------------------------------
# configuration


def test_a_wrong_trusted_proxy_entry_is_refused():
    with pytest.raises(ValueError) as info:
        ratelimit.parse_networks("127.0.0.1 nginx")
    assert "nginx" in str(info.value)
    assert [str(n) for n in ratelimit.parse_networks(["10.0.0.0/8", "::1"])] == ["10.0.0.0/8", "::1/128"]


def test_doctest_examples_hold():
    import doctest

    from ckanext.optout import contact

    for module in (ratelimit, contact):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
