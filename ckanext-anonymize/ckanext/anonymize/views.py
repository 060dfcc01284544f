"""Staff pages of the anonymize plugin: status, report, column decisions, publish, re-scrub, and
the audited download of the closed original. Every page checks the action's auth first."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import flask

from ckanext.anonymize.logic.schema import POLICIES

anonymize = flask.Blueprint("anonymize", __name__)


def _context() -> dict[str, Any]:
    return {
        "user": tk.current_user.name if tk.current_user.is_authenticated else "",
        "auth_user_obj": tk.current_user,
    }


def _page_url(id: str, resource_id: str) -> str:
    return tk.url_for("anonymize.resource", id=id, resource_id=resource_id)


def resource(id: str, resource_id: str):
    context = _context()
    try:
        status = tk.get_action("anonymize_resource_status_show")(context, {"id": resource_id})
        res = tk.get_action("resource_show")(context, {"id": resource_id})
        pkg = tk.get_action("package_show")(context, {"id": id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("このページは編集者のみが見られます / editors only"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("リソースが見つかりません / resource not found"))
    report = {}
    if status["status"] != "none":
        report = tk.get_action("anonymize_report_show")(context, {"id": resource_id})
    return tk.render(
        "anonymize/resource.html",
        {
            "pkg_dict": pkg,
            "res": res,
            "status": status,
            "report": report.get("report") or {},
            "columns": report.get("columns") or {},
            "policies": POLICIES,
        },
    )


def _check_csrf() -> None:
    """Check the posted form's CSRF token.

    CKAN 2.12 turns CSRF protection off for anonymous users and, once any anonymous or API-token
    request reaches a view, exempts that view for everyone in the process (``csrf.exempt`` in
    ``ckan_before_request``): our forms check the token themselves. The rule, the same in every
    plugin of the suite (tests/test_csrf.py): a form post carries CKAN's CSRF token unless its
    user was authenticated by a valid API token (a browser never sends one by itself).
    """
    if tk.current_user.is_authenticated and flask.g.get("login_via_auth_header"):
        return
    if flask.current_app.config.get("WTF_CSRF_ENABLED"):
        flask.current_app.extensions["csrf"].protect()  # CSRFError → 400


def _post(id: str, resource_id: str, action: str, data: dict[str, Any], done_ja: str):
    _check_csrf()
    try:
        tk.get_action(action)(_context(), dict(data, id=resource_id))
        tk.h.flash_success(done_ja)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("このページは編集者のみが使えます / editors only"))
    except tk.ValidationError as err:
        for messages in err.error_dict.values():
            for message in messages if isinstance(messages, list) else [messages]:
                tk.h.flash_error(str(message))
    return tk.redirect_to(_page_url(id, resource_id))


def publish(id: str, resource_id: str):
    override = flask.request.form.get("override_block") == "true"
    attachment = flask.request.form.get("as_attachment") == "true"
    return _post(
        id,
        resource_id,
        "anonymize_resource_publish",
        {"override_block": override, "as_attachment": attachment},
        "添付ファイル（ダウンロードのみ）として公開しました。 / Published as a download-only attachment."
        if attachment
        else "匿名化済みファイルを公開しました。 / The scrubbed file is published.",
    )


def rescrub(id: str, resource_id: str):
    return _post(
        id,
        resource_id,
        "anonymize_resource_rescrub",
        {},
        "元ファイルから再処理しました。 / Derived again from the original.",
    )


def columns(id: str, resource_id: str):
    decisions = {
        key[len("col:") :]: value
        for key, value in flask.request.form.items()
        if key.startswith("col:") and value in POLICIES
    }
    return _post(
        id,
        resource_id,
        "anonymize_resource_policy_update",
        {"columns": decisions},
        "列の扱いを保存し、再処理しました。 / Column decisions saved and applied.",
    )


def original(resource_id: str):
    context = dict(_context(), return_path=True)
    try:
        info = tk.get_action("anonymize_original_download")(context, {"id": resource_id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("元ファイルは編集者のみが取得できます / editors only"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("元ファイルがありません / no original"))
    response = flask.send_file(info["path"], as_attachment=True, download_name=info["filename"] or "original")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@anonymize.after_app_request
def download_headers(response):
    """Files of uploads are data, never pages: a browser must not run what it downloads (an SVG
    or HTML published as an attachment, a derivative with markup in a cell). Every download of a
    resource we hold is sent with nosniff and a sandbox policy; an attachment as a download."""
    endpoint = flask.request.endpoint or ""
    resource_id = (flask.request.view_args or {}).get("resource_id")
    if not endpoint.endswith(".download") or not resource_id or response.status_code != 200:
        return response
    from ckanext.anonymize.model import ResourceState

    try:
        state = ResourceState.get(resource_id)
    except Exception:  # noqa: BLE001 - the tables may not exist (plugin enabled, db not upgraded)
        return response
    if state is None:
        return response
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    if state.attachment:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers.set("Content-Disposition", "attachment", filename=state.original_name or "download")
    return response


base = "/dataset/<id>/resource/<resource_id>/anonymize"
anonymize.add_url_rule(base, view_func=resource, methods=["GET"])
anonymize.add_url_rule(f"{base}/publish", view_func=publish, methods=["POST"])
anonymize.add_url_rule(f"{base}/rescrub", view_func=rescrub, methods=["POST"])
anonymize.add_url_rule(f"{base}/columns", view_func=columns, methods=["POST"])
anonymize.add_url_rule("/anonymize/original/<resource_id>", view_func=original, methods=["GET"])
