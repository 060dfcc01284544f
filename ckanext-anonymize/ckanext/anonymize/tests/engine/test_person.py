"""Names: kanji and kana, with and without spaces and honorifics; public nouns are not names."""

import pytest


def names(engine, text):
    found = engine.analyzer.analyze(text)
    return [text[f.start : f.end] for f in found if f.entity_type == "PERSON"]


@pytest.mark.parametrize(
    "text,name",
    [
        ("山田太郎さんから電話", "山田太郎"),
        ("担当の伊藤　太一が訪問", "伊藤　太一"),
        ("担当の林 裕樹が訪問", "林 裕樹"),
        ("本人は岡田零。", "岡田零"),
        ("田中様より問い合わせ", "田中"),
        ("氏名：ヤマダ タロウ", "ヤマダ タロウ"),
        ("口座名義（スズキ ヨウスケ）", "スズキ ヨウスケ"),
        ("Contact John Smith today", "John Smith"),
    ],
)
def test_names_are_found(engine, text, name):
    assert name in names(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "長良川国際会議場で説明会を開催予定。",
        "金華山ロープウェーの運休について問い合わせ。",
        "岐阜城の開館時間を案内した。",
        "担当課へ回付",
        "定員20名。対象は市内在住の方。",
    ],
)
def test_public_text_has_no_names(engine, text):
    assert names(engine, text) == []


def test_ner_runs_only_where_tags_are_undecided(engine):
    before = engine.analyzer.stats["ner_texts"]
    engine.analyzer.analyze_many(["鈴木一郎さん", "特記事項なし", "058-265-4141"])
    assert engine.analyzer.stats["ner_texts"] == before


def test_long_text_is_chunked_for_sudachi(engine):
    text = ("市民の方から道路の補修について要望がありました。" * 4000) + "山田太郎さんに連絡。"
    assert len(text.encode("utf-8")) > 49149
    assert "山田太郎" in names(engine, text)
