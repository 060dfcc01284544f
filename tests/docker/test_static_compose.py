"""docker/compose.yml read as a file (part of `make test`, no Docker needed): what runs where, which
network reaches which service, where the data lives, what waits for what, and that every secret is
required. What Compose renders from it is checked by `docker compose config` itself
(test_compose_config.py); that it comes up is checked live (test_live_*.py)."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import re

import jsonschema
import yaml
from deployment import (
    CKAN_IMAGE_SERVICES,
    COMPOSE_FILE,
    DOCKER,
    INTERNAL_SERVICES,
    ROOT,
    SECRET_NAME,
    SECRETS,
    SERVICES,
    SUITE,
    compose,
    compose_references,
    env_example_names,
)


def test_compose_file_follows_the_compose_specification():
    # the copy of the Compose Specification's schema that check-jsonschema ships (works offline)
    schema_file = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(compose()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert set(compose()["services"]) == SERVICES


def test_every_secret_is_required_and_has_no_value_in_the_example():
    example = env_example_names()
    secrets = {name for name, _ in compose_references() if SECRET_NAME.search(name)}
    assert secrets == SECRETS
    for name, operator in compose_references():
        if name in SECRETS:
            assert operator == ":?", f"${{{name}}} must be written ${{{name}:?message}}"
    for name in SECRETS:
        assert example[name] == "", f".env.example gives {name} a value: secrets have none"


def test_env_example_lists_exactly_the_variables_compose_uses():
    used = {name for name, _ in compose_references()}
    assert used == set(env_example_names())


def test_db_solr_and_redis_are_reachable_only_by_the_ckan_image_on_internal_networks():
    services, networks = compose()["services"], compose()["networks"]
    for name in INTERNAL_SERVICES:
        for network in services[name]["networks"]:
            assert (networks[network] or {}).get("internal") is True, f"{name} is on {network}"
    for network in ("dbnet", "solrnet", "redisnet"):
        users = {name for name, service in services.items() if network in service.get("networks", [])}
        assert users - INTERNAL_SERVICES <= CKAN_IMAGE_SERVICES, f"{network}: {users}"
    # the scheduler has no route outside at all
    assert all(networks[n].get("internal") for n in services["scheduler"]["networks"])


def test_only_nginx_publishes_ports():
    assert {name for name, service in compose()["services"].items() if service.get("ports")} == {"nginx"}


def test_data_lives_in_named_volumes_and_the_closed_originals_only_in_the_ckan_image():
    services = compose()["services"]
    named = {
        name: dict(v.split(":")[:2] for v in service.get("volumes", []) if not v.startswith((".", "/", "$")))
        for name, service in services.items()
    }
    assert named["db"] == {"pg_data": "/var/lib/postgresql/data"}
    assert named["solr"] == {"solr_data": "/var/solr"}
    assert named["redis"] == {"redis_data": "/data"}
    for name in CKAN_IMAGE_SERVICES:
        assert named[name] == {"ckan_storage": "/var/lib/ckan"}, name
    assert {name for name, mounts in named.items() if "ckan_storage" in mounts} == CKAN_IMAGE_SERVICES
    assert set(compose()["volumes"]) == {"pg_data", "solr_data", "redis_data", "ckan_storage"}
    # the one bind mount: the site's certificate folder, read-only
    assert services["nginx"]["volumes"] == ["${NGINX_CERT_DIR:-./nginx/certs}:/etc/nginx/certs:ro"]
    assert (DOCKER / "nginx" / "certs").is_dir()


def test_every_service_is_health_checked_and_waits_for_healthy_dependencies():
    services = compose()["services"]
    for name, service in services.items():
        assert service["healthcheck"]["test"], f"{name} has no health check"
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert condition == {"condition": "service_healthy"}, f"{name} -> {dependency}"
    assert set(services["ckan"]["depends_on"]) == INTERNAL_SERVICES
    for name in ("worker", "scheduler", "nginx"):
        assert set(services[name]["depends_on"]) == {"ckan"}


def test_worker_and_scheduler_run_the_ckan_image_with_its_configuration():
    services = compose()["services"]
    for name in ("worker", "scheduler"):
        assert services[name]["image"] == services["ckan"]["image"]
        assert services[name]["build"] == services["ckan"]["build"]
        assert services[name]["command"] == [name]
        for key, value in compose()["x-ckan-env"].items():
            assert services[name]["environment"][key] == value, f"{name}: {key}"


def test_images_are_tagged_with_the_release():
    for name, service in compose()["services"].items():
        assert service["image"].endswith(":${GIFU_VERSION:-0.1.0}"), name


def test_every_option_the_suite_declares_required_or_secret_comes_from_the_environment():
    ckan_env = compose()["x-ckan-env"]
    declared = {}
    for declaration in ROOT.glob("ckanext-*/ckanext/*/config_declaration.yaml"):
        for group in yaml.safe_load(declaration.read_text(encoding="utf-8"))["groups"]:
            for option in group["options"]:
                declared[option["key"]] = option
    for key, option in declared.items():
        variable = key.upper().replace(".", "__")
        if (option.get("required") and "default" not in option) or "secret" in key.lower():
            assert variable in ckan_env, f"option {key} is not set from {variable}"
    # every CKANEXT__ variable of the suite names a declared option (no typo goes unnoticed)
    for variable in ckan_env:
        if variable.startswith("CKANEXT__") and variable.split("__")[1].lower() in SUITE:
            assert variable.lower().replace("__", ".") in declared, f"{variable} sets no declared option"


def test_the_plugin_lists_agree_name_installed_plugins_and_end_with_envvars():
    default = re.search(r"\$\{CKAN__PLUGINS:-([^}]*)\}", COMPOSE_FILE.read_text(encoding="utf-8")).group(1)
    ini = re.search(
        r"^ckan\.plugins = (.*)$", (DOCKER / "ckan" / "ckan.ini").read_text(encoding="utf-8"), re.M
    )
    dockerfile = (DOCKER / "ckan" / "Dockerfile").read_text(encoding="utf-8")
    lists = {
        "compose.yml": default,
        ".env.example": env_example_names()["CKAN__PLUGINS"].strip('"'),
        "ckan.ini": ini.group(1),
        "Dockerfile": re.search(r'CKAN__PLUGINS="([^"]*)"', dockerfile).group(1),
    }
    assert len(set(lists.values())) == 1, lists
    plugins = default.split()
    assert set(SUITE) <= set(plugins) and plugins[-1] == "envvars"
    # gifu fills in the settings of scheming and dcat: it goes first
    assert plugins.index("gifu") < plugins.index("scheming_datasets") and plugins.index(
        "gifu"
    ) < plugins.index("dcat")
    installed = {entry.name for entry in importlib.metadata.entry_points(group="ckan.plugins")}
    assert not [p for p in plugins[:-1] if p not in installed]


def test_the_readme_walks_an_operator_through_the_deployment():
    readme = (DOCKER / "README.md").read_text(encoding="utf-8")
    for needle in (
        "./gen-env.sh",
        "docker compose build",
        "docker compose up -d",
        "ckan sysadmin add",
        "ckan gifu load-demo",
        "./backup.sh",
        "./restore.sh",
        "ckan db upgrade",
        "--scale ckan=",
        "--scale worker=",
        "Kubernetes",
        "managed PostgreSQL",
        "SolrCloud",
        "make test-docker",
        *compose()["volumes"],
        *SECRETS,
    ):
        assert needle in readme, f"docker/README.md does not mention {needle!r}"
