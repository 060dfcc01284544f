"""Real parts to break in the fault-injection tests: a jobs worker in a process of its own (to
kill), a Redis server of our own (to stop and start), and polling that sees other processes'
commits."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

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
    """``ckan jobs worker`` in its own process group (SIGKILL reaches its work horse too), with
    the test configuration, plus ``overrides`` written to an ini that uses test.ini."""

    def __init__(self, overrides: dict[str, str] | None = None, burst: bool = False,
                 env: dict[str, str] | None = None):
        self.folder = tempfile.mkdtemp(prefix="worker-")
        ini = Path(self.folder) / "worker.ini"
        lines = ["[app:main]", f"use = config:{ROOT / 'test.ini'}"]
        lines += [f"{k} = {v}" for k, v in (overrides or {}).items()]
        ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.log = Path(self.folder) / "worker.log"
        args = [str(CKAN), "-c", str(ini), "jobs", "worker"] + (["--burst"] if burst else [])
        self.proc = subprocess.Popen(args, stdout=open(self.log, "wb"), stderr=subprocess.STDOUT,
                                     start_new_session=True, env=dict(os.environ, **(env or {})),
                                     cwd=ROOT)

    def kill(self) -> None:
        """SIGKILL to the worker and its work horse (RQ forks one per job, in a session of its
        own): no cleanup, no failure callback, as when the container or the host dies."""
        for pid in [self.proc.pid] + _descendants(self.proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def wait(self, timeout: float = 300) -> int:
        return self.proc.wait(timeout=timeout)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (read from /proc; Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class RedisServer:
    """A Redis server of our own on a free port (Debian's redis-server), without persistence:
    stopping it loses everything, as a crashed cache does."""

    def __init__(self):
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
