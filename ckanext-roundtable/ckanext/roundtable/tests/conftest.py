"""Fixtures of the roundtable tests: the plugin's tables, staff, a local SMTP catcher."""

from __future__ import annotations

import socket

import pytest
from ckan.tests import factories


@pytest.fixture
def roundtable_db(clean_db, migrate_db_for):
    """A clean CKAN database with the roundtable tables (``ckan db upgrade -p roundtable``)."""
    migrate_db_for("roundtable")


@pytest.fixture
def staff():
    """An editor of an organization: city staff to the roundtable."""
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    return {"user": user, "org": org, "context": {"user": user["name"], "ignore_auth": False}}


class Caught:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": envelope.rcpt_tos, "message": message})
        return "250 OK"


@pytest.fixture
def smtp_catcher(ckan_config, monkeypatch):
    """A local SMTP server on a free loopback port, CKAN's mailer pointed at it; ``.messages``
    holds what it received (never a real server)."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Caught()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setitem(ckan_config, "smtp.starttls", False)
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "opendata@city.gifu.example")
    try:
        yield handler
    finally:
        controller.stop()
