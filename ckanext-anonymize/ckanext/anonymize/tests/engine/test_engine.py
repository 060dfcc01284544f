"""The engine end to end on text and sheets: findings, operators, formulas, report, k."""

import json

from ckanext.anonymize.engine import Engine, EngineConfig, Sheet

TEXT = (
    "山田太郎さん（昭和55年3月1日生）のマイナンバーは１２３４ ５６７８ ９０１８、"
    "電話は090-1234-5678、メールtaro@example.jpまで。住所は岐阜県岐阜市長良福光2丁目3番4号。"
)
RAW = [
    "山田太郎",
    "昭和55年3月1日",
    "１２３４ ５６７８ ９０１８",
    "090-1234-5678",
    "taro@example.jp",
    "長良福光2丁目3番4号",
]


def test_analyze_text_finds_every_kind(engine):
    result = engine.analyze_text(TEXT)
    kinds = {f["entity_type"] for f in result["findings"]}
    assert kinds == {"PERSON", "DATE_OF_BIRTH", "MY_NUMBER", "PHONE_NUMBER", "EMAIL_ADDRESS", "JP_ADDRESS"}
    assert not any(raw in result["anonymized"] for raw in RAW)
    assert "〈氏名〉さん" in result["anonymized"]


def test_english_text_still_scrubbed(engine):
    result = engine.analyze_text("Contact John Smith at john.smith@example.com, card 4111 1111 1111 1111.")
    kinds = {f["entity_type"] for f in result["findings"]}
    assert {"PERSON", "EMAIL_ADDRESS", "CREDIT_CARD"} <= kinds
    assert "John Smith" not in result["anonymized"] and "4111" not in result["anonymized"]


def test_public_text_is_left_alone(engine):
    for text in ["駐車場あり。土日祝日は休館します。", "令和6年4月1日開設", "定員50名、対象は3歳以上"]:
        assert engine.analyze_text(text) == {"findings": [], "anonymized": text}


def _scrub(engine, header, rows, columns=None):
    sheets, report = engine.scrub_sheets(iter([Sheet("s", header, iter(rows))]), columns=columns)
    out = [list(s.rows) for s in sheets]
    return out[0], report


def test_operators_from_config_hash_is_keyed_and_stable():
    cfg = {
        "operators": {
            "PERSON": {"type": "hash"},
            "PHONE_NUMBER": {"type": "mask", "chars_to_mask": 4, "from_end": True},
            "EMAIL_ADDRESS": {"type": "redact"},
        },
        "hash_secret": "s1",
    }
    e1, e2 = Engine(EngineConfig.from_dict(cfg)), Engine(EngineConfig.from_dict({**cfg, "hash_secret": "s2"}))
    e1.analyzer = e2.analyzer = Engine().analyzer  # operators only; no extra model work
    rows = [["山田 太郎", "090-1234-5678", "a@example.jp"], ["山田 太郎", "058-265-4141", ""]]
    out1, _ = _scrub(e1, ["氏名", "電話番号", "メール"], [list(r) for r in rows])
    out2, _ = _scrub(e2, ["氏名", "電話番号", "メール"], [list(r) for r in rows])
    assert out1[0][0] == out1[1][0] != out2[0][0]  # stable with one key, not across keys
    assert out1[0][0].startswith("〈氏名:") and "山田" not in out1[0][0]
    assert out1[0][1] == "090-1234-＊＊＊＊" and out1[0][2] == "" and out1[1][2] == ""


def test_formula_cells_are_neutralised(engine):
    rows, report = _scrub(
        engine, ["区分", "値"], [['=HYPERLINK("http://x")', "-12.5"], ["@SUM(A1)", "+81 58"]]
    )
    assert rows == [['\'=HYPERLINK("http://x")', "-12.5"], ["'@SUM(A1)", "'+81 58"]]
    assert report.to_dict()["sheets"][0]["formulas_neutralized"] == 3


def test_report_has_counts_and_masked_examples_never_raw_values(engine):
    header = ["氏名", "個人番号", "備考"]
    rows = [["山田 太郎", "123456789018", TEXT], ["長良 花子", "1234-5678-9018", "特になし"]]
    _, report = _scrub(engine, header, rows)
    d = report.to_dict()
    dumped = json.dumps(d, ensure_ascii=False)
    for raw in RAW + ["山田 太郎", "長良 花子", "123456789018"]:
        assert raw not in dumped
    assert d["high_risk"] == ["MY_NUMBER"]
    assert d["totals"]["PERSON"] == 3 and d["totals"]["MY_NUMBER"] == 3
    columns = {c["name"]: c for c in d["sheets"][0]["columns"]}
    assert columns["備考"]["policy"] == "analyze" and columns["備考"]["examples"]
    assert d["complete"] is True


def test_k_anonymity_reports_smallest_groups(engine):
    rows = [[str(30 + i % 2), "男" if i % 3 else "女"] for i in range(12)] + [["104", "女"]]
    _, report = _scrub(engine, ["年齢", "性別"], rows)
    k = report.to_dict()["k_anonymity"]
    assert k["k"] == 1 and k["smallest_groups"][0] == 1 and k["unusual_values"] == {"年齢": 1}
    assert k["warning"]["ja"] and k["suggestions"]
