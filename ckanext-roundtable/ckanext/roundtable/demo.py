"""Demo content of the roundtable (``ckan roundtable load-demo``; ``make run`` calls it after
``ckan gifu load-demo``). Idempotent: a request whose title exists is left as it is.

Written by us, so it is approved at once (no personal data in it). Requests are linked to the
gifu demo's datasets when they exist: one open (公開済), one in notice (公開予定, shown to the
public as 公開準備中).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from . import model

REQUESTS: list[dict[str, Any]] = [
    {
        "title": "市内の公衆トイレの位置とバリアフリー設備",
        "description": "車いすで外出するときに使えるトイレを事前に調べたいです。多目的トイレの有無、オストメイト対応、利用できる時間も含めてほしいです。",
        "audience": "車いす利用者とその家族、観光案内アプリの開発者",
        "group": "kurashi",
        "supports": 12,
        "status": ("published", ""),
        "dataset": "public-toilets",
        "comments": ["ベビーベッドの有無もあると子育て中の家族に助かります。"],
    },
    {
        "title": "災害ボランティアの登録状況（地区別の人数）",
        "description": "地域の防災訓練を計画するため、地区ごとに登録ボランティアが何人いるか知りたいです。",
        "audience": "自治会、防災士",
        "group": "bosai",
        "supports": 7,
        "status": ("planned", "告知期間を経て公開する予定です。"),
        "dataset": "disaster-volunteer-register",
        "comments": [],
    },
    {
        "title": "バス停ごとの時刻表と乗降客数",
        "description": "通学時間帯の混雑を避ける経路案内を作りたいので、バス停ごとの時刻表と、できれば乗降客数のデータがほしいです。",
        "audience": "高校生、市内の IT 企業",
        "group": "kurashi",
        "supports": 21,
        "status": ("considering", "交通事業者と公開の範囲を相談しています。"),
        "dataset": None,
        "comments": ["GTFS 形式だと既存のアプリでそのまま使えます。"],
    },
    {
        "title": "保育所の空き状況（毎月）",
        "description": "入所の申込み前に、年齢別の空き状況を毎月確認できるようにしてほしいです。",
        "audience": "子育て中の保護者",
        "group": "kosodate",
        "supports": 15,
        "status": ("received", ""),
        "dataset": None,
        "comments": [],
    },
    {
        "title": "個人ごとの市税の納付状況",
        "description": "市税の納付がどの程度進んでいるか、個人ごとに知りたいです。",
        "audience": "研究者",
        "group": "gyosei",
        "supports": 1,
        "status": (
            "declined",
            "個人ごとの納付状況は個人情報のため公開できません。税目別・年度別の収納率は統計書で公開しています。",
        ),
        "dataset": None,
        "comments": [],
    },
]

FEEDBACK: list[dict[str, Any]] = [
    {
        "dataset": "aed-locations",
        "kind": "wish",
        "body": "設置場所の利用可能時間（夜間・休日）も項目に加えてほしいです。",
        "reply": "ご意見ありがとうございます。次回の更新で「利用可能時間」の列を加えます。",
    },
    {"dataset": "aed-locations", "kind": "thanks", "body": "防災マップ作りに使わせていただきました。"},
    {"dataset": "events", "kind": "question", "body": "イベントの更新頻度はどのくらいですか？"},
]


def _site() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


def _exists(kind: str, name: str) -> bool:
    try:
        tk.get_action("package_show" if kind == "dataset" else "group_show")(
            {"ignore_auth": True}, {"id": name}
        )
    except tk.ObjectNotFound:
        return False
    return True


def load() -> Iterator[str]:
    """Create the demo requests and feedback that are not there yet; yield what was done."""
    approve = tk.get_action("roundtable_moderate")
    for spec in REQUESTS:
        if model.Session.query(model.Request).filter(model.Request.title == spec["title"]).count():
            yield f"exists: {spec['title']}"
            continue
        data = {k: spec[k] for k in ("title", "description", "audience")}
        if _exists("group", spec["group"]):
            data["group"] = spec["group"]
        created = tk.get_action("roundtable_request_create")(_site(), data)
        approve(_site(), {"type": "request", "id": created["id"], "decision": "approve"})
        for n in range(spec["supports"]):
            tk.get_action("roundtable_request_support")(
                {"user": "", "ignore_auth": True, "roundtable_supporter": f"demo:{n}"}, {"id": created["id"]}
            )
        for body in spec["comments"]:
            comment = tk.get_action("roundtable_comment_create")(
                _site(), {"request_id": created["id"], "body": body}
            )
            approve(_site(), {"type": "comment", "id": comment["id"], "decision": "approve"})
        status, reason = spec["status"]
        if spec["dataset"] and _exists("dataset", spec["dataset"]):
            tk.get_action("roundtable_request_link_dataset")(
                _site(), {"id": created["id"], "package_id": spec["dataset"]}
            )
        current = tk.get_action("roundtable_request_show")(_site(), {"id": created["id"]})
        if current["status"] != status:
            tk.get_action("roundtable_request_update_status")(
                _site(), {"id": created["id"], "status": status, "reason": reason}
            )
        yield f"created: {spec['title']} ({status})"
    for spec in FEEDBACK:
        if not _exists("dataset", spec["dataset"]):
            continue
        package_id = tk.get_action("package_show")({"ignore_auth": True}, {"id": spec["dataset"]})["id"]
        if (
            model.Session.query(model.Comment)
            .filter(model.Comment.package_id == package_id, model.Comment.body == spec["body"])
            .count()
        ):
            continue
        comment = tk.get_action("roundtable_comment_create")(
            _site(), {"package_id": spec["dataset"], "kind": spec["kind"], "body": spec["body"]}
        )
        approve(_site(), {"type": "comment", "id": comment["id"], "decision": "approve"})
        if spec.get("reply"):
            tk.get_action("roundtable_comment_create")(
                _site(), {"parent_id": comment["id"], "body": spec["reply"]}
            )
        yield f"feedback: {spec['dataset']} ({spec['kind']})"
