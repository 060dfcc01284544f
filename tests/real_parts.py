"""Real parts to break in the fault-injection tests: a jobs worker in a process of its own (to
kill), a Redis server of our own (to stop and start), and polling that sees other processes'
commits."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ckan.model as model

ROOT = Path(__file__).resolve().parents[1]
CKAN = Path(sys.executable).parent / "ckan"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, predicate: Callable[[], bool], timeout: float = 60.0, every: float = 0.2) -> None:
    """Poll until ``predicate()`` holds; between polls forget what this process's session has
    read (another process commits the changes we wait for)."""
    deadline = time.monotonic() + timeout
    while True:
        model.Session.remove()
        if predicate():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class Worker:
    """``ckan jobs worker`` in a process of its own (``kill`` reaches its work horses too), with
    the test configuration, plus ``overrides`` written to an ini that uses test.ini."""

    def __init__(
        self,
        overrides: dict[str, str] | None = None,
        burst: bool = False,
        env: dict[str, str] | None = None,
        prelude: str = "",
    ):
        """``prelude``: Python run in the worker before CKAN's command line (the work horses it
        forks inherit it), for a benchmark that measures a design the code no longer has."""
        self.folder = tempfile.mkdtemp(prefix="worker-")
        ini = Path(self.folder) / "worker.ini"
        lines = ["[app:main]", f"use = config:{ROOT / 'test.ini'}"]
        lines += [f"{k} = {v}" for k, v in (overrides or {}).items()]
        ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.log = Path(self.folder) / "worker.log"
        args = [str(CKAN), "-c", str(ini), "jobs", "worker"] + (["--burst"] if burst else [])
        if prelude:
            args = [
                sys.executable,
                "-c",
                f"{prelude}\nimport sys\nfrom ckan.cli.cli import ckan\nsys.argv = {args!r}\nckan()",
            ]
        with open(self.log, "wb") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=dict(os.environ, **(env or {}), **{MARK: self.folder}),
                cwd=ROOT,
            )

    def kill(self) -> None:
        """SIGKILL to the worker and every work horse it forked (RQ runs each in a session of its
        own, so neither the process group nor the parent's death reaches them; we find them by a
        mark in their environment): no cleanup, no failure callback, as when the host dies."""
        for pid in [self.proc.pid] + _marked(self.folder):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _marked(self.folder) and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        """Leave nothing running: a horse left behind would take the next test's jobs and write
        to the database while the next test empties it."""
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def wait(self, timeout: float = 300) -> int:
        return self.proc.wait(timeout=timeout)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


MARK = "GIFU_TEST_WORKER"


def _marked(folder: str) -> list[int]:
    """Processes started for the worker in ``folder``, orphans included (read from /proc; Linux)."""
    needle = f"{MARK}={folder}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                environ = Path(f"/proc/{entry}/environ").read_bytes()
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if needle in environ.split(b"\0") and state != "Z":
                found.append(int(entry))
    return found


class RedisServer:
    """A Redis server of our own on a free port (Debian's redis-server), without persistence:
    stopping it loses everything, as a crashed cache does."""

    def __init__(self):
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
