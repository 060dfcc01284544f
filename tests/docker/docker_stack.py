"""A Docker Compose stack of the deployment (docker/compose.yml) for the live tests: started,
stopped, backed up and restored with the commands docker/README.md gives operators, and spoken to
over HTTPS through its nginx on a loopback port, as a browser would.

Every stack of the tests is a compose project named ``gifu-test*`` (dev/docker.sh clean removes
them); its published ports are bound to 127.0.0.1 only, away from the development services
(PostgreSQL 5433, Redis 6380, Solr 8983, CKAN 5000).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
STATE = ROOT / ".dev" / "docker"
HTTPS_PORT = int(os.environ.get("GIFU_TEST_HTTPS_PORT", "18443"))
HTTP_PORT = int(os.environ.get("GIFU_TEST_HTTP_PORT", "18080"))
SITE_URL = f"https://127.0.0.1:{HTTPS_PORT}"
# Compose lets the shell's variables win over the env file: only these reach it, as on an
# operator's machine (not, say, the CKAN_* settings dev/test.sh exports).
CLEAN_ENV = {
    k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "GIFU_BUILD_CA") or k.startswith("DOCKER")
}
# Test settings on top of the deployment's defaults (tests/docker/compose.test.yml).
TEST_FILES = [
    ROOT / "tests" / "docker" / "compose.build-ca.yml",
    ROOT / "tests" / "docker" / "compose.test.yml",
]


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 2.0) -> Any:
    """Call ``check`` until it returns something true. A connection refused or reset (a container
    restarting) means "not yet"; an AssertionError inside ``check`` fails at once."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except (requests.ConnectionError, requests.Timeout) as error:
            last = error
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")


def write_env(path: Path, **overrides: str) -> Path:
    """A fresh .env with random secrets, as an operator makes one (docker/gen-env.sh)."""
    settings = {
        "CKAN_SITE_URL": SITE_URL,
        "NGINX_SERVER_NAME": "_",
        "NGINX_BIND_ADDRESS": "127.0.0.1",
        "NGINX_HTTP_PORT": str(HTTP_PORT),
        "NGINX_HTTPS_PORT": str(HTTPS_PORT),
        "SOLR_HEAP": "512m",
        **overrides,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "bash",
            str(DOCKER / "gen-env.sh"),
            "--force",
            "--output",
            str(path),
            *[f"{k}={v}" for k, v in settings.items()],
        ],
        check=True,
        capture_output=True,
    )
    return path


class Stack:
    def __init__(self, project: str, env_file: Path, extra_files: tuple[Path, ...] = ()):
        assert project.startswith("gifu-test"), project
        self.project = project
        self.env_file = env_file
        self.files = [DOCKER / "compose.yml", *TEST_FILES, *extra_files]
        self.cert = STATE / f"{project}-ca.pem"
        self.env: dict[str, str] = {}

    # ------------------------------------------------------------------------------ compose
    def compose_command(self) -> list[str]:
        command = [
            "docker",
            "compose",
            "--project-directory",
            str(DOCKER),
            "-p",
            self.project,
            "--env-file",
            str(self.env_file),
        ]
        for file in self.files:
            command += ["-f", str(file)]
        return command

    def environ(self) -> dict[str, str]:
        return {**CLEAN_ENV, **self.env}

    def compose(
        self,
        *args: str,
        check: bool = True,
        timeout: float = 1800,
        input: bytes | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess:
        result = subprocess.run(
            self.compose_command() + list(args),
            capture_output=True,
            timeout=timeout,
            input=input,
            env={**CLEAN_ENV, **self.env, **(env or {})},
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"docker compose {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout.decode(errors='replace')[-3000:]}\n"
                f"{result.stderr.decode(errors='replace')[-3000:]}"
            )
        return result

    def up(self, *services: str, scale: dict[str, int] | None = None, timeout: int = 900) -> None:
        args = ["up", "-d", "--no-build", "--wait", "--wait-timeout", str(timeout)]
        for service, count in (scale or {}).items():
            args += ["--scale", f"{service}={count}"]
        try:
            self.compose(*args, *services, timeout=timeout + 120)
        except AssertionError:
            print(self.logs(tail=80))
            raise
        if not services or "nginx" in services:
            self.fetch_certificate()

    def down(self, volumes: bool = False) -> None:
        self.compose("down", "--remove-orphans", *(["-v"] if volumes else []), timeout=600)

    def logs(self, *services: str, tail: int = 200) -> str:
        result = self.compose("logs", "--no-color", "--tail", str(tail), *services, check=False, timeout=120)
        return result.stdout.decode(errors="replace")

    def exec(
        self,
        service: str,
        *command: str,
        input: bytes | None = None,
        index: int | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 900,
    ) -> str:
        args = ["exec", "-T"]
        if index is not None:
            args += ["--index", str(index)]
        for key, value in (env or {}).items():
            args += ["-e", f"{key}={value}"]
        result = self.compose(*args, service, *command, input=input, timeout=timeout)
        return result.stdout.decode()

    def ckan(self, *args: str, **kwargs: Any) -> str:
        return self.exec("ckan", "ckan", *args, **kwargs)

    def containers(self, service: str) -> list[dict[str, Any]]:
        out = self.compose("ps", "--format", "json", *([service] if service else [])).stdout.decode()
        rows = [json.loads(line) for line in out.splitlines() if line.strip().startswith("{")]
        if len(rows) == 1 and isinstance(rows[0], list):
            rows = rows[0]
        return sorted(rows, key=lambda row: row["Name"])

    def volumes(self) -> list[str]:
        out = subprocess.run(
            ["docker", "volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={self.project}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return sorted(out.split())

    # ---------------------------------------------------------------------------------- HTTPS
    def fetch_certificate(self) -> None:
        """The certificate nginx serves (self-signed here): requests verify against it."""
        pem = self.exec("nginx", "cat", "/var/lib/gifu-nginx/tls/fullchain.pem")
        self.cert.parent.mkdir(parents=True, exist_ok=True)
        self.cert.write_text(pem)

    def session(self) -> requests.Session:
        http = requests.Session()
        # only nginx's certificate: REQUESTS_CA_BUNDLE and proxies of the environment do not apply
        http.trust_env = False
        http.verify = str(self.cert)
        # as a browser sends it with every form: CKAN's CSRF check refuses HTTPS posts without one
        http.headers["Referer"] = self.url("/")
        return http

    def url(self, path: str) -> str:
        return SITE_URL + path

    def api(
        self,
        action: str,
        data: dict | None = None,
        token: str | None = None,
        http: requests.Session | None = None,
        expect: int = 200,
    ) -> Any:
        http = http or self.session()
        headers = {"Authorization": token} if token else {}
        if data is None:
            response = http.get(self.url(f"/api/3/action/{action}"), headers=headers, timeout=120)
        else:
            response = http.post(self.url(f"/api/3/action/{action}"), json=data, headers=headers, timeout=300)
        assert response.status_code == expect, f"{action}: {response.status_code} {response.text[:1000]}"
        body = response.json()
        return body.get("result") if expect == 200 else body


def csrf_token(html: str) -> str:
    match = (
        re.search(r'name="_csrf_token"[^>]*value="([^"]+)"', html)
        or re.search(r'<meta name="_csrf_token" content="([^"]+)"', html)
        or re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def docker(*args: str, check: bool = True, timeout: float = 600) -> str:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)}: {result.stderr[-2000:]}")
    return result.stdout


def free_disk_gb() -> float:
    return shutil.disk_usage("/var/lib/docker" if Path("/var/lib/docker").exists() else "/").free / 1e9
