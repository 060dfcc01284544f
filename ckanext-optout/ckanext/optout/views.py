"""Pages of the optout plugin: the residents' pages (Japanese, no account) and the staff pages.

/optout/                     仕組みの説明 (how the scheme works)
/optout/request              オプトアウトの申出 (file), rate-limited, the same answer for everyone
/optout/status               申出状況の確認・解除 (check or withdraw with reference + token)
/optout/notices              公開予定のデータ and what the city holds in stock (metadata only)
/optout/notices/<id>         one notice
/optout/dataset/<id>         lifecycle and subject-key columns of a dataset (its editors)
/optout/staff                the registry and the lifecycle (sysadmins)

Every form is a POST with CKAN's CSRF token; actions do the checks, views only translate errors.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, current_app, g, make_response, request

from . import ratelimit
from .keys import ATTRIBUTE_LABELS, ATTRIBUTES
from .ratelimit import RateLimited, RateLimitUnavailable

optout = Blueprint("optout", __name__, url_prefix="/optout")
PAGE_SIZE = 50

# Registry actions of the API that anonymous clients may call, and their rate-limit bucket.
API_RATE_LIMITED = {
    "optout_request_create": "request",
    "optout_request_show": "check",
    "optout_request_withdraw": "check",
}
NOT_AN_OBJECT = (
    "リクエストの本文は JSON のオブジェクトにしてください (the request body must be a JSON object)"
)


def _api_response(status: int, body: Any, retry_after: int | None = None):
    response = make_response(json.dumps(body, ensure_ascii=False), status)
    response.headers["Content-Type"] = "application/json;charset=utf-8"
    if retry_after:
        response.headers["Retry-After"] = str(int(retry_after))
    return response


def _api_error(status: int, error: dict[str, Any], retry_after: int | None = None):
    name = (request.view_args or {}).get("logic_function", "")
    help_url = tk.url_for("api.action", logic_function="help_show", ver=3, name=name, _external=True)
    return _api_response(status, {"help": help_url, "success": False, "error": error}, retry_after)


def guard_api() -> Any:
    """Before CKAN's action API handles an optout action (``before_app_request``).

    - A body that is JSON but not an object is refused here, before CKAN logs it whole at INFO
      ("Request data JSON decoded to [...]", a resident's name and date of birth).
    - The anonymous registry actions are counted by the rate limiter first, so that a refusal
      has the right status: 409 (a validation error, as CKAN clients expect for "too many
      attempts") with Retry-After, or 503 with Retry-After when the limiter cannot count
      (Redis down: fail closed; CKAN's API would otherwise turn any exception into a 500).
    """
    if request.endpoint != "api.action" or request.method not in ("POST", "PUT"):
        return None
    name = (request.view_args or {}).get("logic_function") or ""
    if not name.startswith("optout_"):
        return None
    if not request.form and request.get_data(cache=True):
        data = request.get_json(silent=True, force=True)
        if not isinstance(data, dict):
            return _api_response(400, f"Bad request: JSON Error: {NOT_AN_OBJECT}")
    bucket = API_RATE_LIMITED.get(name)
    if bucket is None:
        return None
    try:
        ratelimit.check(bucket)
    except RateLimitUnavailable as exc:
        return _api_error(
            503, {"__type": "Service Unavailable", "message": RateLimitUnavailable.MESSAGE}, exc.retry_after
        )
    except RateLimited as exc:
        return _api_error(409, {"__type": "Validation Error", **exc.error_dict}, exc.retry_after)
    return None


optout.before_app_request(guard_api)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _form() -> dict[str, str]:
    """The posted form, after its CSRF token has been checked.

    CKAN 2.12 turns CSRF protection off for anonymous users and, once any anonymous or API-token
    request reaches a view, exempts that view for everyone in the process (``csrf.exempt`` in
    ``ckan_before_request``): our forms check the token themselves. The rule, the same in every
    plugin of the suite (tests/test_csrf.py): a form post carries CKAN's CSRF token unless its
    user was authenticated by a valid API token (a browser never sends one by itself).
    """
    api_token_user = tk.current_user.is_authenticated and g.get("login_via_auth_header")
    if current_app.config.get("WTF_CSRF_ENABLED") and not api_token_user:
        current_app.extensions["csrf"].protect()  # raises CSRFError (400) without a token
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "_csrf_token")
    return {k: v for k, v in tk.request.form.items() if k != field}


def _error_list(errors: Any) -> list[str]:
    """Flatten a ValidationError's dict into messages (they never contain submitted values)."""
    messages: list[str] = []
    if isinstance(errors, dict):
        for value in errors.values():
            messages.extend(_error_list(value))
    elif isinstance(errors, (list, tuple)):
        for value in errors:
            messages.extend(_error_list(value))
    elif errors:
        messages.append(str(errors))
    return messages


HEADINGS = {
    503: "受付の一時停止 (Temporarily unavailable)",
    429: "しばらくお待ちください (Too many attempts)",
}


def _render(template: str, status: int = 200, retry_after: int | None = None, **extra: Any):
    extra.setdefault("error_heading", HEADINGS.get(status))
    response = tk.render(template, extra_vars=extra)
    if status == 200:
        return response
    response = make_response(response, status)
    if retry_after:
        response.headers["Retry-After"] = str(int(retry_after))
    return response


def about():
    return _render("optout/about.html")


def request_form():
    """Form and result of filing an opt-out. The result is the same for everyone."""
    values = {"scope": tk.request.args.get("scope", "all")}
    errors: list[str] = []
    status, retry_after = 200, None
    if tk.request.method == "POST":
        values = _form()
        subject = {a: values.get(a, "") for a in ATTRIBUTES}
        try:
            result = tk.get_action("optout_request_create")(
                _context(),
                {
                    "subject": subject,
                    "scope": values.get("scope") or "all",
                    "contact": values.get("contact", ""),
                },
            )
        except RateLimitUnavailable as exc:
            errors, status, retry_after = _error_list(exc.error_dict), 503, exc.retry_after
        except RateLimited as exc:
            errors, status, retry_after = _error_list(exc.error_dict), 429, exc.retry_after
        except tk.ValidationError as exc:
            errors, status = _error_list(exc.error_dict), 400
        else:
            return _render("optout/request_done.html", result=result)
    notices = tk.get_action("optout_notice_list")(_context(), {"limit": 1000})["results"]
    scope = values.get("scope") or "all"
    in_notice = any(scope in (n["id"], n["name"]) for n in notices)
    published = None if scope == "all" or in_notice else _public_dataset(scope)
    if not (scope == "all" or in_notice or published):
        values["scope"] = "all"  # the widest scope is the safe default
    return _render(
        "optout/request_form.html",
        status=status,
        retry_after=retry_after,
        values=values,
        errors=errors,
        attributes=ATTRIBUTES,
        labels=ATTRIBUTE_LABELS,
        notices=notices,
        published=published,
        contact_retention_days=tk.h.optout_contact_retention_days(),
    )


def _public_dataset(id_or_name: str) -> dict[str, str] | None:
    """The public dataset a resident came from (``?scope=``), offered as a scope beside "all" and
    the datasets in notice; None when the visitor may not see it, so it is never named."""
    try:
        pkg = tk.get_action("package_show")(_context(), {"id": id_or_name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    if pkg.get("private"):
        return None
    return {"id": pkg["id"], "name": pkg["name"], "title": pkg.get("title") or pkg["name"]}


def status_form():
    """Check (確認) or withdraw (解除) a request with its reference and token."""
    values: dict[str, str] = {"reference": tk.request.args.get("reference", "")}
    errors: list[str] = []
    result = None
    status, retry_after = 200, None
    if tk.request.method == "POST":
        values = _form()
        data = {"reference": values.get("reference", ""), "token": values.get("token", "")}
        withdraw = values.get("do") == "withdraw"
        try:
            if withdraw and values.get("confirm") != "yes":
                result = tk.get_action("optout_request_show")(_context(), data)
                errors = [
                    "解除するには確認欄にチェックを入れてください。(Tick the confirmation box to withdraw.)"
                ]
            else:
                name = "optout_request_withdraw" if withdraw else "optout_request_show"
                result = tk.get_action(name)(_context(), data)
        except RateLimitUnavailable as exc:
            errors, status, retry_after = _error_list(exc.error_dict), 503, exc.retry_after
        except RateLimited as exc:
            errors, status, retry_after = _error_list(exc.error_dict), 429, exc.retry_after
        except (tk.ObjectNotFound, tk.NotAuthorized) as exc:
            errors, status = [str(exc) or "受付番号または確認コードが正しくありません"], 404
        except tk.ValidationError as exc:
            errors, status = _error_list(exc.error_dict), 400
    # The token is never sent back to the browser in a page.
    values.pop("token", None)
    return _render(
        "optout/status.html",
        status=status,
        retry_after=retry_after,
        values=values,
        errors=errors,
        result=result,
    )


def notices():
    notice = tk.get_action("optout_notice_list")(_context(), {"limit": 1000})
    stock = tk.get_action("optout_stock_list")(_context(), {"limit": 1000})
    return _render("optout/notices.html", notices=notice, stock=stock)


def notice_read(id: str):
    for item in tk.get_action("optout_notice_list")(_context(), {"limit": 1000})["results"]:
        if id in (item["id"], item["name"]):
            return _render("optout/notice_read.html", item=item)
    return tk.abort(404, "告知中のデータセットではありません (not a dataset in notice)")


def dataset_manage(id: str):
    """Editors: lifecycle of one dataset and the subject-key columns of its resources."""
    context = _context()
    try:
        tk.check_access("optout_dataset_notice", context, {"id": id})
        pkg = tk.get_action("package_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, "データセットが見つかりません (dataset not found)")
    except tk.NotAuthorized:
        return tk.abort(403, "このデータセットの編集権限がありません (not authorized)")
    errors: list[str] = []
    if tk.request.method == "POST":
        form = _form()
        op = form.get("op")
        try:
            if op == "notice":
                tk.get_action("optout_dataset_notice")(
                    _context(), {"id": pkg["id"], "deadline": form.get("deadline", "")}
                )
            elif op in ("hold", "unhold"):
                tk.get_action("optout_dataset_hold")(_context(), {"id": pkg["id"], "held": op == "hold"})
            elif op == "release":
                tk.get_action("optout_dataset_release")(_context(), {"id": pkg["id"]})
            elif op == "release_early":
                tk.get_action("optout_dataset_release")(
                    _context(), {"id": pkg["id"], "early": True, "reason": form.get("reason", "")}
                )
            elif op == "stock":
                tk.get_action("optout_dataset_stock")(
                    _context(), {"id": pkg["id"], "listed": form.get("listed") == "yes"}
                )
            elif op == "columns":
                columns = {a: form.get(f"column-{a}", "") for a in ATTRIBUTES}
                tk.get_action("optout_resource_configure")(
                    _context(),
                    {
                        "resource_id": form.get("resource_id", ""),
                        "subject_columns": {a: c for a, c in columns.items() if c},
                    },
                )
            else:
                return tk.abort(400, "unknown operation")
        except tk.ValidationError as exc:
            errors = _error_list(exc.error_dict)
        except (tk.ObjectNotFound, tk.NotAuthorized) as exc:
            errors = [str(exc)]
        else:
            tk.h.flash_success("更新しました (updated)")
            return tk.redirect_to("optout.dataset_manage", id=pkg["name"])
        pkg = tk.get_action("package_show")(_context(), {"id": pkg["id"]})
    state = tk.get_action("optout_dataset_show")(_context(), {"id": pkg["id"]})
    columns = {
        r["id"]: tk.get_action("optout_resource_show")(_context(), {"resource_id": r["id"]})[
            "subject_columns"
        ]
        for r in pkg["resources"]
    }
    today = dt.date.today()
    default_deadline = today + dt.timedelta(days=tk.h.optout_notice_days())
    earliest_deadline = today + dt.timedelta(days=tk.h.optout_notice_min_days())
    due = bool(state.get("deadline")) and state["deadline"] < today.isoformat()
    return _render(
        "optout/dataset_manage.html",
        status=400 if errors else 200,
        pkg=pkg,
        state=state,
        columns=columns,
        errors=errors,
        attributes=ATTRIBUTES,
        labels=ATTRIBUTE_LABELS,
        default_deadline=default_deadline.isoformat(),
        earliest_deadline=earliest_deadline.isoformat(),
        due=due,
        is_sysadmin=bool(getattr(tk.current_user, "sysadmin", False)),
    )


def _scope_dataset(scope: str) -> dict[str, Any]:
    """How the dashboard names a request's dataset: its title, marked when the dataset has
    been deleted; its id alone (not linked) when it has been purged. Each call gets a fresh
    context: CKAN's actions leave state in the context they were given (the auth-audit
    bookkeeping made a second package_show with the same context answer 500)."""
    try:
        pkg = tk.get_action("package_show")(_context(), {"id": scope})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return {"id": scope, "title": scope, "deleted": True, "purged": True}
    return {
        "id": pkg["id"],
        "title": pkg.get("title") or pkg["name"],
        "name": pkg["name"],
        "deleted": pkg.get("state") == "deleted",
        "purged": False,
    }


def staff():
    """Sysadmins: requests to verify, reject or withdraw; the audit log."""
    context = _context()
    try:
        tk.check_access("optout_request_list", context, {})
    except tk.NotAuthorized:
        return tk.abort(403, "担当職員のみ閲覧できます (registry staff only)")
    errors: list[str] = []
    if tk.request.method == "POST":
        form = _form()
        decision = form.get("decision")
        names = {
            "verify": "optout_request_verify",
            "reject": "optout_request_reject",
            "withdraw": "optout_request_withdraw",
        }
        if decision not in names:
            return tk.abort(400, "unknown decision")
        try:
            tk.get_action(names[decision])(
                _context(), {"reference": form.get("reference", ""), "note": form.get("note", "")}
            )
        except (tk.ValidationError, tk.ObjectNotFound) as exc:
            errors = _error_list(getattr(exc, "error_dict", None) or str(exc))
        else:
            tk.h.flash_success("更新しました (updated)")
            return tk.redirect_to("optout.staff", status=tk.request.args.get("status", ""))
    status = tk.request.args.get("status") or None
    try:
        page = max(1, int(tk.request.args.get("page", 1)))
    except ValueError:
        page = 1
    query = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    if status:
        query["status"] = status
    requests = tk.get_action("optout_request_list")(_context(), query)
    scopes = {scope: _scope_dataset(scope) for scope in {r["scope"] for r in requests["results"]} - {"all"}}
    audit = tk.get_action("optout_audit_list")(_context(), {"limit": 30})
    notice = tk.get_action("optout_notice_list")(_context(), {"limit": 1000})
    stock = tk.get_action("optout_stock_list")(_context(), {"limit": 1000, "include_unlisted": True})
    return _render(
        "optout/staff.html",
        status=400 if errors else 200,
        requests=requests,
        audit=audit,
        notices=notice,
        stock=stock,
        errors=errors,
        scopes=scopes,
        status_filter=status or "",
        page=page,
        pages=max(1, -(-requests["count"] // PAGE_SIZE)),
    )


optout.add_url_rule("/", view_func=about, endpoint="about")
optout.add_url_rule("/request", view_func=request_form, endpoint="request", methods=["GET", "POST"])
optout.add_url_rule("/status", view_func=status_form, endpoint="status", methods=["GET", "POST"])
optout.add_url_rule("/notices", view_func=notices, endpoint="notices")
optout.add_url_rule("/notices/<id>", view_func=notice_read, endpoint="notice_read")
optout.add_url_rule(
    "/dataset/<id>", view_func=dataset_manage, endpoint="dataset_manage", methods=["GET", "POST"]
)
optout.add_url_rule("/staff", view_func=staff, endpoint="staff", methods=["GET", "POST"])

__all__ = ["optout"]
