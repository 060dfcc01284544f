#!/usr/bin/env python3
"""Health checks of the CKAN image (standard library and the redis client CKAN already needs).

    healthcheck.py web      CKAN answers its API on :5000 (status_show)
    healthcheck.py worker   a jobs worker of this container is registered in Redis (RQ)
    healthcheck.py scheduler  the daily run and the sweep are scheduled and neither is overdue
                              (by an hour for the daily run, by 15 minutes for the sweep)

Exit status 0 means healthy.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import urllib.request


def web() -> bool:
    with urllib.request.urlopen("http://127.0.0.1:5000/api/3/action/status_show", timeout=8) as response:
        return json.load(response).get("success") is True


def worker() -> bool:
    import redis

    connection = redis.Redis.from_url(os.environ["CKAN_REDIS_URL"], socket_timeout=5)
    hostname = socket.gethostname().encode()
    # RQ registers each worker under `rq:workers` with a hash that names its host.
    return any(connection.hget(key, "hostname") == hostname for key in connection.smembers("rq:workers"))


def scheduler() -> bool:
    import time

    state = os.environ.get("GIFU_SCHEDULER_STATE", "/tmp/gifu-scheduler-next")
    with open(state, encoding="ascii") as handle:
        due = dict(item.split("=", 1) for item in handle.read().split())
    now = time.time()
    return now < int(due["daily"]) + 3600 and now < int(due["sweep"]) + 900


if __name__ == "__main__":
    role = sys.argv[1] if len(sys.argv) > 1 else "web"
    try:
        healthy = {"web": web, "worker": worker, "scheduler": scheduler}[role]()
    except Exception as error:  # noqa: BLE001 - any failure is "unhealthy"
        print(f"unhealthy: {error}", file=sys.stderr)
        healthy = False
    sys.exit(0 if healthy else 1)
