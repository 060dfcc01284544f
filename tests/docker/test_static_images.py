"""The Dockerfiles read as files (part of `make test`, no Docker needed): every image starts from
debian:bookworm-slim and runs as an unprivileged user, versions are pinned, nothing secret and no
CA bundle goes into a layer, every file an image copies is in the repository and sent with the
build context, and hadolint passes. The built images are checked live (test_live_1_stack.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from deployment import (
    CKAN_IMAGE_SERVICES,
    DOCKER,
    ROOT,
    SECRET_NAME,
    builds,
    copy_arguments,
    dockerfile_instructions,
    dockerfiles,
    final_stage,
)


def test_every_image_is_built_from_debian_bookworm_slim_and_runs_unprivileged():
    assert len(dockerfiles()) == 5
    for dockerfile in dockerfiles():
        stages = set()
        for keyword, rest in dockerfile_instructions(dockerfile):
            if keyword == "FROM":
                image = rest.split()[0]
                assert image == "debian:bookworm-slim" or image in stages, f"{dockerfile}: FROM {image}"
                if " AS " in rest.upper():
                    stages.add(rest.split()[-1])
        users = [rest for keyword, rest in final_stage(dockerfile) if keyword == "USER"]
        assert users and users[-1] not in ("root", "0"), f"{dockerfile}: the image runs as root"


def test_no_secret_is_baked_into_an_image():
    ini = (DOCKER / "ckan" / "ckan.ini").read_text(encoding="utf-8")
    keys = {line.partition("=")[0].strip() for line in ini.splitlines()}
    assert not keys & {
        "SECRET_KEY",
        "WTF_CSRF_SECRET_KEY",
        "api_token.jwt.encode.secret",
        "ckanext.optout.secret",
    }
    for dockerfile in dockerfiles():
        for keyword, rest in dockerfile_instructions(dockerfile):
            if keyword in ("ENV", "ARG"):
                for word in rest.split():
                    name, _, value = word.partition("=")
                    assert not (SECRET_NAME.search(name) and value), f"{dockerfile}: {keyword} {word}"


def test_the_build_ca_is_a_secret_mount_of_the_downloading_steps_only():
    """A CA bundle handed to the build (tests/docker/compose.build-ca.yml) is read from
    /run/secrets/build_ca inside the RUN steps that download; it is never copied into a layer."""
    for dockerfile in dockerfiles():
        for keyword, rest in dockerfile_instructions(dockerfile):
            if keyword in ("COPY", "ADD", "ENV", "ARG"):
                assert "build_ca" not in rest and "ca-certificates.crt" not in rest, f"{dockerfile}: {rest}"
            if keyword == "RUN" and "/run/secrets/build_ca" in rest:
                assert rest.startswith("--mount=type=secret,id=build_ca"), f"{dockerfile}: {rest[:80]}"
    assert "build_ca" not in (DOCKER / "compose.yml").read_text(encoding="utf-8")


def test_every_copied_file_is_in_the_repository_and_sent_with_the_build_context():
    """The two contexts at the repository root send only what an allow-list names (`*` first,
    then `!path` entries); docker/.env, the operator's secrets, is never among them."""
    checked = 0
    for dockerfile, context in dockerfiles().items():
        ignore = dockerfile.with_name(dockerfile.name + ".dockerignore")
        allowed = None
        if context == ROOT:
            lines = [line.strip() for line in ignore.read_text(encoding="utf-8").splitlines()]
            lines = [line for line in lines if line and not line.startswith("#")]
            assert lines[0] == "*", f"{ignore}: must start with * (send nothing unless named)"
            allowed = [line[1:] for line in lines if line.startswith("!")]
            assert not any(("docker/" + ".env").startswith(a) or a.startswith("docker/.env") for a in allowed)
        for keyword, rest in dockerfile_instructions(dockerfile):
            if keyword not in ("COPY", "ADD"):
                continue
            assert keyword == "COPY", f"{dockerfile}: ADD"
            sources, _, flags = copy_arguments(rest)
            if "from" in flags:
                continue
            for source in sources:
                source = source.rstrip("/")
                assert (context / source).exists(), f"{dockerfile}: {source} does not exist"
                if allowed is not None:
                    assert any(source == a or source.startswith(a + "/") for a in allowed), (
                        f"{dockerfile}: {source} is not sent (add !{source} to {ignore.name})"
                    )
                checked += 1
    assert checked >= 20


def test_python_packages_of_the_ckan_image_are_pinned_and_match_setup_py():
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (DOCKER / "ckan" / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: not pinned: {line}"
            pins[canonicalize_name(name)] = version.strip()
    setup_py = (ROOT / "setup.py").read_text(encoding="utf-8")
    block = setup_py[setup_py.index("EXTRAS = {") : setup_py.index('EXTRAS["all"]')]
    for text in re.findall(r'"([A-Za-z0-9_.\-\[\]]+[<>=!~][^"]*)"', block) + ["ckan==2.12.0"]:
        requirement = Requirement(text)
        if requirement.name == "presidio-structured":
            continue  # the bench extra, not in the image
        version = pins.get(canonicalize_name(requirement.name))
        assert version and requirement.specifier.contains(version), (
            f"{requirement.name}: locked {version}, setup.py {text} (dev/docker.sh lock)"
        )
    assert "pytest" not in pins and "presidio-structured" not in pins
    dockerfile = (DOCKER / "ckan" / "Dockerfile").read_text(encoding="utf-8")
    assert pins["uwsgi"] == re.search(r"ARG UWSGI_VERSION=(\S+)", dockerfile).group(1)
    assert pins["ckanext-envvars"] == re.search(r"ARG ENVVARS_VERSION=(\S+)", dockerfile).group(1)
    assert "pip install --no-deps -r /tmp/requirements.txt" in dockerfile
    assert "spacy.load('ja_ginza')" in dockerfile, "the build must prove the Japanese model loads offline"


def test_the_solr_image_serves_the_schema_and_configuration_of_the_development_solr():
    _, dockerfile = builds()["solr"]
    copied = {}
    for keyword, rest in dockerfile_instructions(dockerfile):
        if keyword == "COPY":
            sources, destination, flags = copy_arguments(rest)
            copied.update({source.rstrip("/"): destination for source in sources if "from" not in flags})
    assert copied["dev/solr/pom.xml"] == "./pom.xml"
    assert copied["dev/solr/solr.xml"] == "/opt/solr/home/solr.xml"
    assert copied["dev/solr/solrconfig.xml"] == "/opt/solr/home/ckan/conf/solrconfig.xml"
    assert copied["ckanext-gifu/ckanext/gifu/solr"] == "/tmp/gifu-solr/"
    assert 'cp /tmp/gifu-solr/schema.xml "$conf/schema.xml"' in dockerfile.read_text(encoding="utf-8")
    assert (
        'local ours="$ROOT/ckanext-gifu/ckanext/gifu/solr/schema.xml"'
        in (ROOT / "dev" / "services.sh").read_text()
    )


def test_the_ckan_image_is_built_once_for_web_worker_and_scheduler():
    assert len({builds()[name] for name in CKAN_IMAGE_SERVICES}) == 1


def linter(name: str) -> str:
    """A linter that a PyPI package installs beside this Python (dev/python.sh; works offline)."""
    path = Path(sys.executable).parent / name
    assert path.is_file(), f"{name} is missing from the venv (dev/python.sh installs it)"
    return str(path)


def test_dockerfiles_pass_hadolint():
    for dockerfile in sorted(dockerfiles()):
        result = subprocess.run(
            [linter("hadolint"), "--no-color", "--failure-threshold", "warning", str(dockerfile)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, f"{dockerfile}:\n{result.stdout}{result.stderr}"
