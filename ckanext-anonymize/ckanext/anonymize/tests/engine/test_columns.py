"""Column policies: standard public lists pass unchanged; personal columns are transformed."""

import csv
import io

import pytest

from ckanext.anonymize.engine.columns import ANALYZE, KEEP, TRANSFORM, decide
from ckanext.anonymize.engine.layouts import GENERIC, detect

AED_NEW = """全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,名称_英字,住所,方書,緯度,経度,設置位置,電話番号,内線番号,法人番号,団体名,利用可能曜日,開始時間,終了時間,利用可能日時特記事項,小児対応設備の有無,URL,備考
212016,0001,岐阜県岐阜市,岐阜市役所,ギフシヤクショ,Gifu City Hall,岐阜県岐阜市司町40番地1,,35.4231,136.7606,1階総合案内横,058-265-4141,1234,8000020212016,岐阜市,月火水木金,08:45,17:30,土日祝日は閉庁,有,https://www.city.gifu.lg.jp/,正面玄関から入って右手
212016,0002,岐阜県岐阜市,長良川国際会議場,ナガラガワコクサイカイギジョウ,Nagaragawa Convention Center,岐阜県岐阜市長良福光2695-2,,35.4401,136.7657,1階受付,058-296-1200,,,岐阜市,月火水木金土日,09:00,21:00,年末年始休館,無,,問い合わせは058-296-1200へ
212016,0003,岐阜県岐阜市,岐阜市民病院,ギフシミンビョウイン,Gifu Municipal Hospital,岐阜県岐阜市鹿島町7丁目1番地,東館,35.4298,136.7424,救急外来,０５８－２５１－１１０１,,,岐阜市,月火水木金土日,00:00,23:59,24時間,有,,-
"""
AED_OLD = """都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,名称_カナ,住所,方書,緯度,経度,設置位置,電話番号,内線番号,法人番号,団体名,利用可能曜日,開始時間,終了時間,利用可能日時特記事項,小児対応設備の有無,写真データ,写真のライセンス,備考
212016,1,岐阜県,岐阜市,岐阜市役所,ギフシヤクショ,岐阜県岐阜市司町40番地1,,35.4231,136.7606,1階総合案内横,058-265-4141,,8000020212016,岐阜市,月火水木金,08:45,17:30,,有,,,
212016,2,岐阜県,岐阜市,岐阜市中央図書館,ギフシチュウオウトショカン,岐阜県岐阜市司町40番地5,みんなの森 ぎふメディアコスモス,35.4227,136.7600,1階,058-262-2924,,,岐阜市,火水木金土日,09:00,20:00,月曜休館,有,,,
"""


def run(engine, text, name="aed.csv", write=None, columns=None):
    path = write(name, text)
    from ckanext.anonymize.engine import open_table

    table = open_table(path)
    sheets, report = engine.scrub_sheets(table.sheets, columns=columns)
    out = [(s.header, list(s.rows)) for s in sheets]
    return out, report.to_dict()


@pytest.mark.parametrize("text,layout", [(AED_NEW, "自治体標準ODS:AED"), (AED_OLD, "自治体標準ODS:AED")])
def test_standard_aed_list_passes_unchanged(engine, write, text, layout):
    [(header, rows)], report = run(engine, text, write=write)
    original = list(csv.reader(io.StringIO(text)))
    assert [header] + rows == original
    assert report["layout"] == layout
    assert report["totals"] == {} and report["high_risk"] == []


def test_name_column_is_transformed_and_codes_dates_coordinates_kept(engine, write):
    text = (
        "ID,氏名,フリガナ,生年月日,受付日,緯度,経度,町丁目,年齢\n"
        "0001,山田 太郎,ヤマダ タロウ,S55.3.1,2024-04-01,35.4231,136.7606,長良福光,44\n"
        "0002,長良 花子,ナガラ ハナコ,1990/12/24,2024-04-02,35.4401,136.7657,長良福光,33\n"
    )
    [(_header, rows)], report = run(engine, text, name="list.csv", write=write)
    assert rows[0] == [
        "0001",
        "〈氏名〉",
        "〈氏名〉",
        "〈生年月日〉",
        "2024-04-01",
        "35.4231",
        "136.7606",
        "長良福光",
        "44",
    ]
    policies = {c["name"]: c["policy"] for c in report["sheets"][0]["columns"]}
    assert policies == {
        "ID": KEEP,
        "氏名": TRANSFORM,
        "フリガナ": TRANSFORM,
        "生年月日": TRANSFORM,
        "受付日": KEEP,
        "緯度": KEEP,
        "経度": KEEP,
        "町丁目": KEEP,
        "年齢": KEEP,
    }
    assert report["k_anonymity"]["quasi_identifiers"] == ["町丁目", "年齢"]
    assert report["k_anonymity"]["k"] == 1 and report["k_anonymity"]["warning"]


def test_override_keeps_a_column(engine, write):
    text = "氏名,備考\n山田 太郎,なし\n"
    [(_, rows)], report = run(engine, text, name="o.csv", write=write, columns={"氏名": "keep"})
    assert rows == [["山田 太郎", "なし"]]
    assert report["sheets"][0]["columns"][0]["reason"].startswith("利用者の指定")


def test_unknown_header_with_names_is_transformed(engine):
    names = ["山田 太郎", "長良 花子", "鈴木 一郎", "佐藤 美咲", "高橋 健一"]
    policy = decide("列1", names, GENERIC, engine.analyzer)
    assert (policy.policy, policy.entity) == (TRANSFORM, "PERSON")


def test_my_numbers_under_an_id_header_are_caught(engine):
    policy = decide("ID", ["123456789018", "１２３４５６７８９０１８", "123456789018"], GENERIC)
    assert (policy.policy, policy.entity) == (TRANSFORM, "MY_NUMBER")


def test_free_text_is_analyzed_and_facility_list_keeps_contacts():
    assert decide("備考", ["山田さんから電話", "特になし"], GENERIC).policy == ANALYZE
    layout = detect(["施設名", "所在地", "電話番号", "緯度", "経度"])
    assert layout.name == "施設一覧"
    assert decide("電話番号", ["058-265-4141"], layout).policy == KEEP
    assert decide("所在地", ["岐阜市司町40番地1"], layout).policy == KEEP


def test_title_row_above_the_header_is_found(engine, write):
    width = AED_NEW.splitlines()[0].count(",")
    titled = "岐阜市AED設置一覧" + "," * width + "\n" + "," * width + "\n" + AED_NEW
    [(header, rows)], report = run(engine, titled, name="titled.csv", write=write)
    assert [header] + rows == list(csv.reader(io.StringIO(titled)))
    assert report["layout"] == "自治体標準ODS:AED"
    assert report["sheets"][0]["header_row"] == 3 and report["totals"] == {}


def test_title_row_of_a_personal_list_is_checked_too(engine, write):
    text = "担当：山田太郎,,\n氏名,年齢,性別\n長良 花子,33,女\n"
    [(header, rows)], report = run(engine, text, name="t.csv", write=write)
    assert header == ["担当：〈氏名〉", "", ""]
    assert rows == [["氏名", "年齢", "性別"], ["〈氏名〉", "33", "女"]]
    assert report["totals"]["PERSON"] == 2
