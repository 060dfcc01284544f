"""The suppression stage drops opted-out residents' rows, streaming, and reports counts only."""

from __future__ import annotations

import pytest

from ckanext.optout.keys import KeyedHasher
from ckanext.optout.stage import StageError, SuppressionStage
from ckanext.optout.suppress import SuppressionIndex

from .stage_doubles import Ctx, Sheet

HASHER = KeyedHasher("test-secret")


def entry(**subject):
    """An opt-out as the registry stores it: attributes given and digests per combination."""
    return sorted(subject), HASHER.subject_keys(subject)


def stage_for(columns, entries):
    """The stage over these opt-outs, all of them verified by staff (matched on every column)."""
    return SuppressionStage(
        load_columns=lambda resource_id: columns,
        load_index=lambda package_id, attrs, statuses: SuppressionIndex(
            attrs, entries if "verified" in statuses else []
        ),
        hasher=HASHER,
    )


HEADER = ["番号", "氏名", "生年月日", "受賞名"]
ROWS = [
    ["1", "山田　太郎", "昭和55年3月1日", "市民栄誉賞"],
    ["2", "岐阜 花子", "1990-07-07", "文化賞"],
    ["3", "山田太郎", "1981-03-01", "スポーツ賞"],  # namesake, another birthday: kept
    ["4", "長良 一郎", "", "功労賞"],  # blank date: matched on the name alone
    ["5", "", "", "団体の部"],  # nothing identifies a person: kept
]


def run(stage, sheets, ctx):
    out = []
    for sheet in stage.process(sheets, ctx):
        out.append((sheet.name, sheet.header, list(sheet.rows)))
    return out


def test_opted_out_rows_are_dropped_and_namesakes_kept():
    stage = stage_for(
        {"name": "氏名", "birth_date": "生年月日"},
        [
            entry(name="山田 太郎", birth_date="S55.3.1"),
            entry(name="長良一郎", birth_date="1970-01-01", address="岐阜市今沢町18"),
        ],
    )
    ctx = Ctx({"id": "r1", "package_id": "p1"}, {"id": "p1"})
    [(_name, header, rows)] = run(stage, [Sheet("sheet1", HEADER, iter(ROWS))], ctx)
    assert header == HEADER
    assert [r[0] for r in rows] == ["2", "3", "5"]
    assert ctx.report == {
        "opt_outs_in_scope": 2,
        "verified_in_scope": 2,
        "sheets": 1,
        "rows_in": 5,
        "rows_dropped": 2,
        "rows_kept": 3,
        "rows_without_key": 1,
        "dropped_verified": 2,
        "dropped_public_values": 0,
    }


def test_report_holds_counts_only():
    stage = stage_for(
        {"name": "氏名", "birth_date": "生年月日"}, [entry(name="山田太郎", birth_date="1980-03-01")]
    )
    ctx = Ctx({"id": "r1", "package_id": "p1"}, {"id": "p1"})
    run(stage, [Sheet("s", HEADER, iter(ROWS))], ctx)
    assert all(isinstance(v, int) for v in ctx.report.values())
    assert "山田" not in repr(ctx.report)


def test_without_opt_outs_every_row_passes():
    stage = stage_for({"name": "氏名", "birth_date": "生年月日"}, [])
    ctx = Ctx({"id": "r1", "package_id": "p1"}, {"id": "p1"})
    [(_, _, rows)] = run(stage, [Sheet("s", HEADER, iter(ROWS))], ctx)
    assert rows == ROWS


def test_a_resource_keyed_by_name_only_drops_every_namesake():
    # Fail closed: a register without dates cannot tell namesakes apart.
    stage = stage_for({"name": "氏名"}, [entry(name="山田太郎", birth_date="1980-03-01")])
    ctx = Ctx({"id": "r1", "package_id": "p1"}, {"id": "p1"})
    [(_, _, rows)] = run(stage, [Sheet("s", HEADER, iter(ROWS))], ctx)
    assert [r[0] for r in rows] == ["2", "4", "5"]


def test_extra_attributes_of_the_resident_do_not_prevent_a_match():
    header = ["氏名（フリガナ）", "住所", "許可番号"]
    stage = stage_for(
        {"name_kana": "氏名（フリガナ）", "address": "住所"},
        [
            entry(
                name="岐阜花子",
                birth_date="H2.7.7",
                name_kana="ギフ ハナコ",
                address="岐阜県岐阜市長良福光2丁目3番4号",
            )
        ],
    )
    rows = [["ぎふ　はなこ", "岐阜市長良福光2-3-4", "第1号"], ["ギフハナコ", "岐阜市長良福光9-9-9", "第2号"]]
    ctx = Ctx({"id": "r1", "package_id": "p1"}, {"id": "p1"})
    [(_, _, kept)] = run(stage, [Sheet("s", header, iter(rows))], ctx)
    assert [r[2] for r in kept] == ["第2号"]


def test_every_sheet_is_filtered_and_streamed_lazily():
    stage = stage_for(
        {"name": "氏名", "birth_date": "生年月日"}, [entry(name="山田太郎", birth_date="1980-03-01")]
    )
    pulled = []

    def rows():
        for row in ROWS:
            pulled.append(row[0])
            yield row

    ctx = Ctx({"id": "r1", "package_id": "p1"}, {"id": "p1"})
    sheets = stage.process(iter([Sheet("a", HEADER, rows()), Sheet("b", HEADER, iter(ROWS))]), ctx)
    first = next(sheets)
    assert pulled == []  # nothing read before the rows are asked for
    assert next(iter(first.rows))[0] == "2"
    assert pulled == ["1", "2"]
    list(first.rows)
    second = next(sheets)
    assert [r[0] for r in second.rows] == ["2", "3", "4", "5"]
    assert ctx.report["sheets"] == 2 and ctx.report["rows_in"] == 10
    assert ctx.report["rows_dropped"] == 2


def test_header_names_compare_across_widths_and_spaces():
    stage = stage_for(
        {"name": "氏名", "birth_date": "生年月日"}, [entry(name="山田太郎", birth_date="1980-03-01")]
    )
    ctx = Ctx({"id": "r1", "package_id": "p1"}, {"id": "p1"})
    [(_, _, rows)] = run(stage, [Sheet("s", ["番号", "氏 名", "生年月日 ", "受賞名"], iter(ROWS))], ctx)
    assert [r[0] for r in rows] == ["2", "3", "4", "5"]


def test_a_missing_key_column_stops_publishing():
    stage = stage_for({"name": "氏名", "birth_date": "生年月日"}, [])
    ctx = Ctx({"id": "r1", "package_id": "p1"}, {"id": "p1"})
    with pytest.raises(StageError) as info:
        run(stage, [Sheet("s", ["番号", "名前"], iter([["1", "山田太郎"]]))], ctx)
    assert "氏名" in info.value.message_ja and "生年月日" in info.value.message_ja


def test_stage_does_not_apply_to_resources_without_subject_columns():
    assert stage_for({}, []).applies_to({"id": "r"}) is False
    assert stage_for({"name": "氏名"}, []).applies_to({"id": "r"}) is True
    assert SuppressionStage.order == 100 and SuppressionStage.name == "optout"
