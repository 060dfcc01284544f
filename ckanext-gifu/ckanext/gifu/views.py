"""Pages of the 自治体標準オープンデータセット work: the staff's normalise button (posted from the
resource page's conformance report, ``templates/gifu/snippets/conformance_report.html``), the
staff dashboard ``/gifu/standards`` and the public catalogue ``/gifu/standards/conformance.json``.
Every page goes through the actions, whose auth decides."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import flask

standards = flask.Blueprint("gifu_standards", __name__)


def _context() -> dict[str, Any]:
    return {
        "user": tk.current_user.name if tk.current_user.is_authenticated else "",
        "auth_user_obj": tk.current_user,
    }


def _check_csrf() -> None:
    """The suite's one CSRF rule for staff forms (tests/test_csrf.py): a form post carries CKAN's
    CSRF token unless its user was authenticated by a valid API token. CKAN 2.12 exempts a view
    for the whole process once an anonymous or API-token request reached it, so the form checks
    the token itself."""
    if tk.current_user.is_authenticated and flask.g.get("login_via_auth_header"):
        return
    if flask.current_app.config.get("WTF_CSRF_ENABLED"):
        flask.current_app.extensions["csrf"].protect()  # CSRFError → 400


def normalise(id: str, resource_id: str):
    """POST from the report's button: ``gifu_conformance_normalise``, then back to the resource."""
    _check_csrf()
    enable = flask.request.form.get("enable", "true") != "false"
    try:
        done = tk.get_action("gifu_conformance_normalise")(_context(), {"id": resource_id, "enable": enable})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("このデータセットの編集者のみが使えます / editors of this dataset only"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("リソースが見つかりません / resource not found"))
    except tk.ValidationError as err:
        for messages in err.error_dict.values():
            for message in messages if isinstance(messages, list) else [messages]:
                tk.h.flash_error(str(message))
    else:
        status = done["status"]
        label = (status.get("status_label") or {}).get("ja") or status.get("status")
        if not enable:
            tk.h.flash_success(
                f"正規化をやめました。アップロードされたままの形（匿名化済み）で作り直しています（{label}）。"
                " / Normalising stopped; the scrubbed upload as it is is being derived again."
            )
        elif status.get("status") == "failed":
            reason = status.get("reason") or {}
            tk.h.flash_error(f"{reason.get('ja', '')} / {reason.get('en', '')}")
        elif status.get("status") == "published":
            tk.h.flash_success(
                "標準形式に正規化し、匿名化して公開しました。 / Normalised, scrubbed and published."
            )
        else:
            tk.h.flash_success(
                f"標準形式に正規化し、匿名化しました（{label}）。確認・承認の後に公開されます。"
                " / Normalised into the standard form and scrubbed; it is published once approved."
            )
    return tk.redirect_to(tk.url_for("resource.read", id=id, resource_id=resource_id))


standards.add_url_rule(
    "/dataset/<id>/resource/<resource_id>/gifu/normalise",
    view_func=normalise,
    endpoint="normalise",
    methods=["POST"],
)


def dashboard():
    """Staff: every standard the city should publish, which exist, which conform, which are
    missing (their own organizations' private datasets included)."""
    context = _context()
    try:
        tk.check_access("gifu_standards_dashboard", context, {})
    except tk.NotAuthorized:
        if not context["user"]:
            return tk.redirect_to(tk.url_for("user.login", came_from=flask.request.path))
        return tk.abort(403, tk._("職員（組織の編集者）のみが見られます / staff (organization editors) only"))
    catalogue = tk.get_action("gifu_standards_catalogue")(context, {"include_private": True})
    return tk.render("gifu/standards.html", {"catalogue": catalogue})


def catalogue_json():
    """Public and machine-readable: the same catalogue with public datasets only, whoever asks
    (a staff member's session adds nothing to it)."""
    catalogue = tk.get_action("gifu_standards_catalogue")({"user": ""}, {})
    response = flask.jsonify(catalogue)
    response.headers["Access-Control-Allow-Origin"] = "*"  # for aggregators' and apps' scripts
    return response


standards.add_url_rule("/gifu/standards", view_func=dashboard, endpoint="dashboard")
standards.add_url_rule("/gifu/standards/conformance.json", view_func=catalogue_json, endpoint="catalogue")


def get_blueprints() -> list[flask.Blueprint]:
    return [standards]
