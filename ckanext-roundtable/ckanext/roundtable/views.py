"""Pages of the roundtable: data requests for everyone, the staff view, feedback on datasets.

/roundtable/                    requests (search, most supported first) and how to file one
/roundtable/new                 the request form (no account needed)
/roundtable/request/<id>        a request: support (+1), comments, status history;
                                staff answer and link a dataset there
/roundtable/dataset/<id>/feedback   typed feedback from the dataset's page
/roundtable/staff               the roundtable view: per organization and theme, the
                                moderation queue, what was opened because someone asked
/roundtable/staff/roundtable.csv    the same for the meeting (UTF-8 with BOM, for Excel)
"""

from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, current_app, g, make_response, request

from . import terms

roundtable = Blueprint("roundtable", __name__, url_prefix="/roundtable")


def _context() -> dict[str, Any]:
    user = tk.current_user
    return {"user": user.name if getattr(user, "is_authenticated", False) else ""}


def _check_csrf() -> None:
    """The suite's one CSRF rule (tests/test_csrf.py): a form post carries CKAN's CSRF token
    unless its user was authenticated by a valid API token. CKAN 2.12 turns CSRF protection off
    for anonymous users and exempts a view for the whole process once an anonymous or API-token
    request reached it, so every form of ours checks the token itself."""
    if tk.current_user.is_authenticated and g.get("login_via_auth_header"):
        return
    if current_app.config.get("WTF_CSRF_ENABLED"):
        current_app.extensions["csrf"].protect()  # CSRFError → 400


def _form() -> dict[str, str]:
    """The posted form, after its CSRF token has been checked."""
    _check_csrf()
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "_csrf_token")
    return {key: value for key, value in request.form.items() if key != field}


def _errors(exc: tk.ValidationError) -> list[str]:
    messages = []
    for key, value in (exc.error_dict or {}).items():
        if key == "__type":
            continue
        for message in value if isinstance(value, list) else [value]:
            messages.append(str(message))
    return messages


def _flash_errors(exc: tk.ValidationError) -> None:
    for message in _errors(exc):
        tk.h.flash_error(message)


def index():
    q = request.args.get("q", "")
    status = request.args.get("status", "")
    sort = request.args.get("sort", "support")
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    data = {
        "q": q,
        "sort": sort if sort in ("support", "new") else "support",
        "limit": 20,
        "offset": (page - 1) * 20,
    }
    if status in terms.STATUSES:
        data["status"] = status
    result = tk.get_action("roundtable_request_search")(_context(), data)
    return tk.render(
        "roundtable/index.html",
        {"result": result, "q": q, "status": status, "sort": data["sort"], "page": page},
    )


def new():
    values: dict[str, str] = {}
    errors: list[str] = []
    if request.method == "POST":
        values = _form()
        try:
            created = tk.get_action("roundtable_request_create")(_context(), dict(values))
        except tk.ValidationError as exc:
            errors = _errors(exc)
        else:
            return tk.render("roundtable/done.html", {"item": created})
    groups = tk.get_action("group_list")({}, {"all_fields": True})
    return tk.render("roundtable/new.html", {"values": values, "errors": errors, "groups": groups}), (
        400 if errors else 200
    )


def read(id: str):
    context = _context()
    try:
        item = tk.get_action("roundtable_request_show")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, "リクエストが見つかりません (request not found)")
    comments = tk.get_action("roundtable_comment_list")(context, {"request_id": id})
    organizations = []
    if tk.h.roundtable_is_staff():
        organizations = tk.get_action("organization_list")({}, {"all_fields": True})
    return tk.render(
        "roundtable/read.html", {"item": item, "comments": comments, "organizations": organizations}
    )


def support(id: str):
    _check_csrf()
    try:
        result = tk.get_action("roundtable_request_support")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, "リクエストが見つかりません (request not found)")
    except tk.ValidationError as exc:
        _flash_errors(exc)
    else:
        if result["added"]:
            tk.h.flash_success("応援しました。ありがとうございます。(Supported. Thank you.)")
        else:
            tk.h.flash_notice("すでに応援しています。(You already support this request.)")
    return tk.redirect_to("roundtable.read", id=id)


def comment(id: str):
    data = _form()
    data["request_id"] = id
    try:
        result = tk.get_action("roundtable_comment_create")(_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, "リクエストが見つかりません (request not found)")
    except tk.ValidationError as exc:
        _flash_errors(exc)
    else:
        tk.h.flash_success(result["notice"])
    return tk.redirect_to("roundtable.read", id=id)


def answer(id: str):
    data = _form()
    data["id"] = id
    try:
        result = tk.get_action("roundtable_request_update_status")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, "市の担当職員のみ操作できます (city staff only)")
    except tk.ObjectNotFound:
        return tk.abort(404, "リクエストが見つかりません (request not found)")
    except tk.ValidationError as exc:
        _flash_errors(exc)
    else:
        message = f"状況を「{result['status_label']}」にしました。"
        if result["mailed"]:
            message += "リクエストした方にメールでお知らせします。"
        tk.h.flash_success(message)
    return tk.redirect_to("roundtable.read", id=id)


def link(id: str):
    _check_csrf()
    data = {"id": id, "package_id": request.form.get("package_id", "").strip()}
    try:
        tk.get_action("roundtable_request_link_dataset")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, "市の担当職員のみ操作できます (city staff only)")
    except tk.ObjectNotFound as exc:
        tk.h.flash_error(str(exc) or "見つかりません (not found)")
    except tk.ValidationError as exc:
        _flash_errors(exc)
    else:
        tk.h.flash_success(
            "データセットを関連付けました。(Dataset linked.)"
            if data["package_id"]
            else "関連付けを外しました。"
        )
    return tk.redirect_to("roundtable.read", id=id)


def feedback(id: str):
    data = _form()
    data["package_id"] = id
    try:
        result = tk.get_action("roundtable_comment_create")(_context(), data)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, "データセットが見つかりません (dataset not found)")
    except tk.ValidationError as exc:
        _flash_errors(exc)
    else:
        tk.h.flash_success(result["notice"])
    return tk.redirect_to(tk.h.url_for("dataset.read", id=id) + "#roundtable-feedback")


def reply(id: str):
    _check_csrf()
    data = {"parent_id": id, "body": request.form.get("body", "")}
    try:
        result = tk.get_action("roundtable_comment_create")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, "市の担当職員のみ操作できます (city staff only)")
    except tk.ObjectNotFound:
        return tk.abort(404, "見つかりません (not found)")
    except tk.ValidationError as exc:
        _flash_errors(exc)
        return tk.redirect_to("roundtable.staff")
    tk.h.flash_success("返信しました。(Reply published.)")
    if result.get("request_id"):
        return tk.redirect_to("roundtable.read", id=result["request_id"])
    return tk.redirect_to(tk.h.url_for("dataset.read", id=result["package_id"]) + "#roundtable-feedback")


def staff():
    context = _context()
    try:
        summary = tk.get_action("roundtable_summary")(context, {})
    except tk.NotAuthorized:
        return tk.abort(403, "市の担当職員のみ利用できます (city staff only)")
    queue = tk.get_action("roundtable_moderation_list")(context, {})
    return tk.render("roundtable/staff.html", {"summary": summary, "queue": queue})


def moderate():
    _check_csrf()
    data = {key: request.form.get(key, "") for key in ("type", "id", "decision")}
    try:
        tk.get_action("roundtable_moderate")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, "市の担当職員のみ操作できます (city staff only)")
    except (tk.ObjectNotFound, tk.ValidationError):
        tk.h.flash_error("操作できませんでした。(Could not moderate.)")
    else:
        tk.h.flash_success("公開しました。" if data["decision"] == "approve" else "非表示にしました。")
    return tk.redirect_to("roundtable.staff")


CSV_HEADER = [
    "区分",
    "組織・テーマ",
    "順位",
    "リクエスト",
    "状況",
    "応援数",
    "コメント数",
    "関連データセット",
    "受付日",
    "URL",
]


def export():
    try:
        summary = tk.get_action("roundtable_summary")(_context(), {"limit": 1000})
    except tk.NotAuthorized:
        return tk.abort(403, "市の担当職員のみ利用できます (city staff only)")
    by_id = {r["id"]: r for r in summary["requests"]}
    site = tk.config.get("ckan.site_url", "").rstrip("/")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section, label in (("organizations", "組織"), ("themes", "テーマ")):
        for entry in summary[section]:
            for rank, request_id in enumerate(entry["top"], start=1):
                item = by_id[request_id]
                dataset = item.get("dataset") or {}
                writer.writerow(
                    [
                        label,
                        entry["title"],
                        rank,
                        item["title"],
                        item["status_label"],
                        item["support_count"],
                        item["comment_count"],
                        dataset.get("title") or dataset.get("label") or "",
                        item["created"][:10],
                        f"{site}/roundtable/request/{item['id']}",
                    ]
                )
    for entry in summary["opened"]:
        item = entry["request"]
        writer.writerow(
            [
                "公開につながったリクエスト",
                entry["dataset"].get("title", ""),
                "",
                item["title"],
                item["status_label"],
                item["support_count"],
                item["comment_count"],
                entry["dataset"].get("title", ""),
                item["created"][:10],
                f"{site}/roundtable/request/{item['id']}",
            ]
        )
    response = make_response("\ufeff" + out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="roundtable.csv"'
    return response


roundtable.add_url_rule("/", view_func=index, endpoint="index")
roundtable.add_url_rule("/new", view_func=new, endpoint="new", methods=["GET", "POST"])
roundtable.add_url_rule("/request/<id>", view_func=read, endpoint="read")
roundtable.add_url_rule("/request/<id>/support", view_func=support, endpoint="support", methods=["POST"])
roundtable.add_url_rule("/request/<id>/comment", view_func=comment, endpoint="comment", methods=["POST"])
roundtable.add_url_rule("/request/<id>/answer", view_func=answer, endpoint="answer", methods=["POST"])
roundtable.add_url_rule("/request/<id>/link", view_func=link, endpoint="link", methods=["POST"])
roundtable.add_url_rule("/dataset/<id>/feedback", view_func=feedback, endpoint="feedback", methods=["POST"])
roundtable.add_url_rule("/comment/<id>/reply", view_func=reply, endpoint="reply", methods=["POST"])
roundtable.add_url_rule("/staff", view_func=staff, endpoint="staff")
roundtable.add_url_rule("/staff/moderate", view_func=moderate, endpoint="moderate", methods=["POST"])
roundtable.add_url_rule("/staff/roundtable.csv", view_func=export, endpoint="export")

__all__ = ["roundtable"]
