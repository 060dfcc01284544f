"""The WSGI application of the CKAN image: CKAN's own, seen through the proxies in front of it.

uWSGI sits behind nginx, so every request would otherwise come from nginx's address: per-client
limits (the opt-out forms' rate limit counts by address) would then count the whole city as one
client. werkzeug's ProxyFix takes the client address from X-Forwarded-For, trusting exactly
GIFU_TRUSTED_PROXIES hops (1: nginx; 2 with a load balancer in front of nginx), and the scheme and
host from the X-Forwarded-Proto/-Host that nginx sets (one value each). Only nginx can reach
uWSGI: the ckan service publishes no port.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

WSGIApp = Callable[..., Any]


def behind_proxies(app: WSGIApp, proxies: int) -> WSGIApp:
    """``app`` reading the last ``proxies`` hops of X-Forwarded-For (0: untouched)."""
    if proxies <= 0:
        return app
    from werkzeug.middleware.proxy_fix import ProxyFix

    return ProxyFix(app, x_for=proxies, x_proto=1, x_host=1)


def make_application() -> WSGIApp:
    """CKAN's application for the ckan.ini in CKAN_INI, with its logging configuration."""
    from logging.config import fileConfig

    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app

    ini = os.environ["CKAN_INI"]
    fileConfig(ini, disable_existing_loggers=False)
    app = make_app(CKANConfigLoader(ini).get_config())
    return behind_proxies(app, int(os.environ.get("GIFU_TRUSTED_PROXIES", "1")))
