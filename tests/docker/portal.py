"""What the live tests of the Docker deployment share: the accounts and the dataset they make,
and how a browser, a resident and staff speak to the portal through nginx."""

from __future__ import annotations

from docker_stack import Stack, csrf_token, wait_for

PROJECT = "gifu-test"  # the stack of conftest.py
SERVICES = {"nginx", "ckan", "worker", "scheduler", "db", "solr", "redis"}
ADMIN, ADMIN_PASSWORD = "admin", "Gifu-admin-2026-docker"
STAFF, STAFF_PASSWORD = "bosai-tanto", "Gifu-staff-2026-docker"
ORG = "gifu-city-test"
DATASET = "shimin-hyosho-jushosha-docker"


def login(stack: Stack, user: str, password: str):
    """A browser-like session logged in through the login form (CSRF token included)."""
    http = stack.session()
    page = http.get(stack.url("/user/login"), timeout=60)
    assert page.status_code == 200
    response = http.post(
        stack.url("/user/login"),
        timeout=60,
        allow_redirects=False,
        data={"login": user, "password": password, "_csrf_token": csrf_token(page.text)},
        headers={"Referer": stack.url("/user/login")},
    )
    assert response.status_code == 302, response.text[:500]
    assert "/user/login" not in response.headers["Location"], "login refused"
    return http


def resource_status(stack: Stack, token: str, resource_id: str) -> dict:
    return stack.api("anonymize_resource_status_show", {"id": resource_id}, token=token)


def wait_status(stack: Stack, token: str, resource_id: str, wanted: set[str], timeout: float = 900) -> dict:
    def check():
        status = resource_status(stack, token, resource_id)
        assert status["status"] not in {"failed", "blocked"}, status
        return status if status["status"] in wanted else None

    return wait_for(f"resource {resource_id} to be {wanted}", check, timeout, every=3)


def public_download(stack: Stack, dataset: str, resource_id: str) -> tuple[int, bytes]:
    """What an anonymous visitor gets for the resource's file."""
    response = stack.session().get(
        stack.url(f"/dataset/{dataset}/resource/{resource_id}/download/data.csv"),
        timeout=120,
        allow_redirects=True,
    )
    return response.status_code, response.content


def audit_rows(stack: Stack, resource_id: str) -> list[tuple[str, str]]:
    """(action, generation) of the anonymize audit trail of a resource, from PostgreSQL."""
    out = stack.exec(
        "db",
        "psql",
        "-U",
        "postgres",
        "-d",
        "ckan",
        "-tA",
        "-F",
        "|",
        "-c",
        f"SELECT action, coalesce(detail->>'generation', '') FROM anonymize_audit "
        f"WHERE resource_id = '{resource_id}' ORDER BY id",
    )
    return [tuple(line.split("|", 1)) for line in out.splitlines() if line.strip()]
