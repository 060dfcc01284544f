"""The tests of the Docker deployment, by concern:

    test_static_compose.py, test_static_images.py, test_static_scripts.py   the files of docker/
        read, and its scripts run with stand-in commands (no Docker; part of `make test`)
    test_compose_config.py   what `docker compose config` renders (needs only the compose CLI)
    test_live_1_stack.py ... test_live_4_upgrade.py   whole stacks built and run (marked ``docker``)

The live tests run only under ``make test-docker`` (dev/docker.sh sets GIFU_DOCKER_TESTS=1 after
building the images); elsewhere they are skipped."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "docker: starts the Docker deployment (make test-docker)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("GIFU_DOCKER_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="live Docker test: run `make test-docker`")
    for item in items:
        if item.get_closest_marker("docker") is not None:
            item.add_marker(skip)


# The stack the live tests share (test_live_1_stack.py, then _2_scale, _3_backup_restore), and what
# they learn on the way.
@pytest.fixture(scope="session")
def env_file():
    from docker_stack import STATE, write_env

    path = STATE / "test.env"
    if os.environ.get("GIFU_DOCKER_REUSE") == "1" and path.exists():
        return path
    return write_env(path)


@pytest.fixture(scope="session")
def stack(env_file):
    from docker_stack import Stack

    stack = Stack("gifu-test", env_file)
    # GIFU_DOCKER_KEEP=1 keeps the stack after the run (to look at it); GIFU_DOCKER_REUSE=1 starts
    # from it instead of from nothing (to rerun a test while working on it).
    if os.environ.get("GIFU_DOCKER_REUSE") != "1":
        stack.down(volumes=True)  # whatever an interrupted run left
    yield stack
    if os.environ.get("GIFU_DOCKER_KEEP") != "1":
        stack.down(volumes=True)


@pytest.fixture(scope="session")
def state() -> dict:
    return {}
