"""The files of the Docker deployment (docker/), read for the static tests.

Only plain reading: the compose file as YAML, the names .env.example sets, the instructions of a
Dockerfile. What Compose makes of them (interpolation, env files, defaults) is asked of
`docker compose config` itself (test_compose_config.py), never re-implemented here.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE_FILE = DOCKER / "compose.yml"
ENV_EXAMPLE = DOCKER / ".env.example"

SERVICES = {"nginx", "ckan", "worker", "scheduler", "db", "solr", "redis"}
# Services that run the CKAN image built from this repository.
CKAN_IMAGE_SERVICES = {"ckan", "worker", "scheduler"}
INTERNAL_SERVICES = {"db", "solr", "redis"}
SUITE = ("gifu", "optout", "anonymize", "roundtable")
SECRETS = {
    "CKAN_SECRET_KEY",
    "CKANEXT__OPTOUT__SECRET",
    "CKANEXT__ANONYMIZE__HASH_SECRET",
    "POSTGRES_PASSWORD",
    "CKAN_DB_PASSWORD",
    "DATASTORE_READONLY_PASSWORD",
    "REDIS_PASSWORD",
}
# Names of variables that hold secrets.
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|PRIVATE|(^|_)KEY$)")
# A variable reference of the compose file: ${NAME...}; the operator (:?, :-, ...) when there is one.
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?")


@functools.cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose_references() -> list[tuple[str, str | None]]:
    """(name, operator) of each ${...} in compose.yml."""
    return REFERENCE.findall(COMPOSE_FILE.read_text(encoding="utf-8"))


def env_example_names() -> dict[str, str]:
    """NAME -> the raw text after `=` of each setting line of .env.example."""
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    return dict(
        re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line).groups() for line in lines if re.match(r"[A-Z]", line)
    )


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not current):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, rest = current.strip().partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
        current = ""
    return instructions


def copy_arguments(arguments: str) -> tuple[list[str], str, dict[str, str]]:
    """Sources, destination and --flags of a COPY instruction."""
    words = json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)
    flags = {}
    while words and words[0].startswith("--"):
        key, _, value = words.pop(0)[2:].partition("=")
        flags[key] = value
    return words[:-1], words[-1], flags


def builds() -> dict[str, tuple[Path, Path]]:
    """service -> (build context, Dockerfile); the build sections hold no variables."""
    found = {}
    for name, service in compose()["services"].items():
        build = service["build"]
        context = (DOCKER / build["context"]).resolve()
        found[name] = (context, context / build.get("dockerfile", "Dockerfile"))
    return found


def dockerfiles() -> dict[Path, Path]:
    """Each Dockerfile once, with its build context."""
    return {dockerfile: context for context, dockerfile in builds().values()}


def final_stage(dockerfile: Path) -> list[tuple[str, str]]:
    """The instructions of the last stage (the image that runs)."""
    instructions = dockerfile_instructions(dockerfile)
    start = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[start:]


def compose_cli() -> list[str] | None:
    """`docker compose` when the CLI and its compose plugin are installed (no engine needed)."""
    if shutil.which("docker") is None:
        return None
    found = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, timeout=60)
    return ["docker", "compose"] if found.returncode == 0 else None
