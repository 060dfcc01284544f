"""Files as office systems and Excel users really export them: every cell is read, whatever the
layout. Each test names the way a naive scrubber published personal data (fictitious people)."""

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest

from ckanext.anonymize.engine import InputError


def scrub_csv(engine, write, tmp_path, text, name="x.csv", encoding="utf-8"):
    src = write(name, text, encoding)
    dst = tmp_path / ("out-" + name)
    report = engine.scrub_file(src, str(dst), filename=name).to_dict()
    return list(csv.reader(io.StringIO(dst.read_text("utf-8")))), report


def test_a_ledger_without_header_row_is_scrubbed_from_its_first_row(engine, write, tmp_path):
    text = (
        "R0600001,20240412,転入,長良 美咲,ﾅｶﾞﾗ ﾐｻｷ,S58.7.14,090-3141-5926,岐阜市鷺山1769番地\r\n"
        "R0600002,20240415,転居,川島 健太,ｶﾜｼﾏ ｹﾝﾀ,19620301,080-2718-2818,岐阜市加納1丁目2番3号\r\n"
        "R0600003,20240419,転出,森本 由紀,ﾓﾘﾓﾄ ﾕｷ,H3.4.5,070-1414-2135,岐阜市則武4-5-6\r\n"
    )
    rows, report = scrub_csv(engine, write, tmp_path, text, "ledger.csv", "cp932")
    assert report["sheets"][0]["structure"]["header_rows"] == 0
    for row in rows:
        assert row[0].startswith("R06") and row[1].startswith("202404") and row[2] in ("転入", "転居", "転出")
        assert row[3:] == ["〈氏名〉", "〈氏名〉", "〈生年月日〉", "〈電話番号〉", "〈住所〉"]


def test_owner_columns_of_a_facility_list_are_personal_unless_the_owner_is_a_company(engine, write, tmp_path):
    text = (
        "施設名,所在地,電話番号,開設者,開設者住所,開設者電話番号\n"
        "理容ナガラ,岐阜市金町3丁目5番地,058-262-1111,長良 一夫,岐阜市長良福光1234番地,090-1111-2222\n"
        "ヘアーサロン川島,岐阜市湊町12番地,058-263-2222,有限会社カワシマ,岐阜市湊町12番地,058-263-2222\n"
        "美容室ルナ,岐阜市則武中2丁目3番4号,058-294-3333,森本 さやか,同上,080-3333-4444\n"
    )
    rows, _ = scrub_csv(engine, write, tmp_path, text, "owners.csv")
    assert rows[1] == [
        "理容ナガラ",
        "岐阜市金町3丁目5番地",
        "058-262-1111",
        "〈氏名〉",
        "〈住所〉",
        "〈電話番号〉",
    ]
    assert rows[2] == text.splitlines()[2].split(",")
    assert rows[3][:4] == ["美容室ルナ", "岐阜市則武中2丁目3番4号", "058-294-3333", "〈氏名〉"]
    assert rows[3][5] == "〈電話番号〉"


def test_title_blank_line_and_a_two_row_header_with_merged_categories(engine, write, tmp_path):
    text = (
        "令和6年度 敬老祝金 支給名簿,,,,\n"
        ",,,,\n"
        "No.,基本情報,,連絡先,\n"
        ",氏名,生年月日,住所,電話番号\n"
        "1,川島 とし子,1936/3/23,岐阜市日野南2039-5,058-280-2027\n"
        "2,長良 正,S9.11.2,岐阜市本荘3456番地,058-271-1111\n"
    )
    rows, report = scrub_csv(engine, write, tmp_path, text, "meibo.csv")
    assert rows[:4] == [r.split(",") for r in text.splitlines()[:4]]
    assert rows[4] == ["1", "〈氏名〉", "〈生年月日〉", "〈住所〉", "〈電話番号〉"]
    assert rows[5] == ["2", "〈氏名〉", "〈生年月日〉", "〈住所〉", "〈電話番号〉"]
    assert report["sheets"][0]["structure"]["header_rows"] == 2


def test_private_contacts_in_the_notes_of_a_public_list_go_and_the_office_stays(engine, write, tmp_path):
    text = (
        "イベント名,開催日,会場,会場住所,問合せ\n"
        "長良川清掃,2024-06-02,長良川河川敷,岐阜市長良,岐阜市 市民協働推進課 058-265-4141\n"
        "夏祭り,2024-08-10,鷺山公民館,岐阜市鷺山1769番地の2,当日は実行委員 川島 健太（携帯 090-1234-5678）まで\n"
    )
    rows, report = scrub_csv(engine, write, tmp_path, text, "events.csv")
    assert report["layout"] == "施設一覧"
    assert rows[1] == text.splitlines()[1].split(",")
    assert rows[2][:4] == text.splitlines()[2].split(",")[:4]
    assert "川島" not in rows[2][4] and "090" not in rows[2][4] and "実行委員" in rows[2][4]


def test_ascii_headers_and_half_width_kana_names(engine, write, tmp_path):
    text = (
        "name,name_kana,birthday,mobile,zip,addr2\n"
        "長良 美咲,ﾅｶﾞﾗ ﾐｻｷ,1980/03/01,09031415926,500-8701,5-19-1 ハイツ金町 305号室\n"
        "川島 健太,ｶﾜｼﾏ ｹﾝﾀ,1975/11/20,08027182818,502-0001,2-3 コーポ長良 101\n"
    )
    rows, _ = scrub_csv(engine, write, tmp_path, text, "export.csv")
    for row in rows[1:]:
        assert row == ["〈氏名〉", "〈氏名〉", "〈生年月日〉", "〈電話番号〉", "〈郵便番号〉", "〈住所〉"]


@pytest.mark.parametrize(
    "written",
    [
        "昭和五十五年三月一日生",
        "平成元年十二月三十一日生まれ",
        "㍼55年3月1日生",
        "昭和二〇年八月十九日生",
        "S55.3.1生",
    ],
)
def test_birth_dates_in_running_text_however_written(engine, written):
    out = engine.analyze_text(f"訪問記録：{written}の方、独居。")["anonymized"]
    assert out.startswith("訪問記録：〈生年月日〉") and out.endswith("の方、独居。")
    assert not any(part in out for part in ("五十", "55", "八月", "元年", "3月"))


def test_half_width_kana_name_with_honorific_in_text(engine):
    assert engine.analyze_text("ｶﾜｼﾏ ｹﾝﾀ様から電話")["anonymized"] == "〈氏名〉様から電話"


def test_json_keyed_by_residents_names_keeps_its_shape_without_the_names(engine, write, tmp_path):
    doc = {
        "長良美咲": {"生年月日": "1980-03-01", "電話": "090-3141-5926", "地区": "鷺山"},
        "川島健太": {"生年月日": "1975-11-20", "電話": "080-2718-2818", "地区": "本荘"},
    }
    src = write("by_name.json", json.dumps(doc, ensure_ascii=False))
    dst = tmp_path / "out.json"
    engine.scrub_file(src, str(dst))
    text = dst.read_text("utf-8")
    out = json.loads(text)
    assert "長良" not in text and "川島" not in text and "1980" not in text and "090" not in text
    assert len(out) == 2 and all(set(v) == {"生年月日", "電話", "地区"} for v in out.values())
    assert sorted(v["地区"] for v in out.values()) == ["本荘", "鷺山"]


def test_json_arrays_of_arrays_without_a_header(engine, write, tmp_path):
    doc = [
        ["長良 美咲", "1980-03-01", "090-3141-5926"],
        ["川島 健太", 19751120, "080-2718-2818"],
        ["森本 由紀", "1991-04-05", "070-1414-2135"],
    ]
    src = write("lists.json", json.dumps(doc, ensure_ascii=False))
    dst = tmp_path / "out.json"
    engine.scrub_file(src, str(dst))
    out = json.loads(dst.read_text("utf-8"))
    assert out == [["〈氏名〉", "〈生年月日〉", "〈電話番号〉"]] * 3


def test_a_workbook_with_one_sheet_per_resident(engine, tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, born in (
        ("長良美咲様", dt.datetime(1980, 3, 1)),
        ("川島 健太", dt.datetime(1975, 11, 20)),
        ("長良美咲様 (2)", dt.datetime(1990, 1, 2)),
    ):
        ws = wb.create_sheet(name)
        for row in (
            ["項目", "内容"],
            ["氏名", name.rstrip("様 (2)")],
            ["生年月日", born],
            ["住所", "岐阜市長良福光1234番地"],
            ["相談内容", "介護保険の申請について"],
        ):
            ws.append(row)
    src = tmp_path / "cards.xlsx"
    wb.save(src)
    dst = tmp_path / "out.xlsx"
    engine.scrub_file(str(src), str(dst))
    out = openpyxl.load_workbook(dst)
    assert out.sheetnames[0] == "〈氏名〉様" and len(set(out.sheetnames)) == 3
    assert not any("長良" in n or "川島" in n for n in out.sheetnames)
    for ws in out.worksheets:
        values = [list(row) for row in ws.iter_rows(values_only=True)]
        assert values[1:4] == [["氏名", "〈氏名〉"], ["生年月日", "〈生年月日〉"], ["住所", "〈住所〉"]]
        assert values[4] == ["相談内容", "介護保険の申請について"]


def test_a_form_keeps_a_contractors_office_phone_but_not_the_applicants(engine, write, tmp_path):
    text = (
        "岐阜市 住宅改修費補助金交付申請書,,,\n,,,\n"
        "氏名,長良 美咲,フリガナ,ナガラ ミサキ\n生年月日,昭和41年10月31日,年齢,58\n"
        "電話番号,058(281)9807,携帯電話,080-7279-5797\n"
        "施工業者,株式会社川島工務店,電話,058-261-5329\n"
    )
    rows, _ = scrub_csv(engine, write, tmp_path, text, "form.csv")
    assert rows[2] == ["氏名", "〈氏名〉", "フリガナ", "〈氏名〉"]
    assert rows[3][:2] == ["生年月日", "〈生年月日〉"]
    assert rows[4] == ["電話番号", "〈電話番号〉", "携帯電話", "〈電話番号〉"]
    assert rows[5] == ["施工業者", "株式会社川島工務店", "電話", "058-261-5329"]


def test_names_inside_organisations_and_places_are_not_persons(engine):
    for text in (
        "株式会社木村工務店",
        "伊藤病院前バス停の移設",
        "医療法人社団恵愛会",
        "月火水木金土日",
        "茜部本郷コミュニティセンター",
        "みんなの森 ぎふメディアコスモス",
    ):
        assert engine.analyze_text(text)["anonymized"] == text


def test_footnotes_under_a_table_are_read_and_an_office_contact_stays(engine, write, tmp_path):
    text = (
        "班,氏名,当番日\n1,長良 美咲,4/7\n2,川島 健太,4/14\n合計,2名\n"
        "※問合せ：岐阜市 ごみ減量推進課 058-214-2172\n※当番表 作成 長良 美咲 090-3141-5926\n"
    )
    rows, _ = scrub_csv(engine, write, tmp_path, text, "touban.csv")
    assert rows[3] == ["合計", "2名"]
    assert rows[4] == ["※問合せ：岐阜市 ごみ減量推進課 058-214-2172"]
    assert "長良" not in rows[5][0] and "090" not in rows[5][0]


@pytest.mark.parametrize(
    "name,data",
    [
        ("chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><text>\xe5\xb1\xb1\xe7\x94\xb0</text></svg>'),
        ("list.csv", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("page.html", b"<p>name</p>"),
        ("report.pdf", b"%PDF-1.7 ..."),
    ],
)
def test_files_that_cannot_be_scrubbed_are_refused_with_what_to_do(engine, write, tmp_path, name, data):
    with pytest.raises(InputError) as info:
        engine.scrub_file(write(name, data), str(tmp_path / "out"), filename=name)
    err = info.value
    assert err.code == "unsafe_type"
    assert "CSV" in err.message_ja and "添付ファイルとして公開" in err.message_ja
    assert "attachment" in err.message_en
    assert not (tmp_path / "out").exists()
