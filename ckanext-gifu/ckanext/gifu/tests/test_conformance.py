"""The conformance check and the normaliser of the standard datasets (pure: no CKAN, no services).

Fixture files in ``standards_fixtures/`` are written as staff exports them: CP932 with a title
line, UTF-8 without BOM, Excel's UTF-16 「Unicode テキスト」, Shift_JIS with 〇/× flags, and bytes
no encoding reads.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from ckanext.gifu.standards import RowNormaliser, check, find_header, load, normalise, unnormalisable
from ckanext.gifu.standards.__main__ import main as cli

FIXTURES = Path(__file__).parent / "standards_fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rows_of(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def issue(report, code, column=None):
    found = [i for i in report.issues if i.code == code and (column is None or i.column == column)]
    assert found, f"no {code} for {column}: {report.codes()}"
    return found[0]


# --- checking ------------------------------------------------------------------------------------


def test_a_file_in_the_standard_form_conforms():
    report = check(fixture("aed_conformant.csv"), load("aed"))
    assert report.conforms and report.issues == []
    assert report.encoding == "utf-8-sig" and report.rows == 2


def test_cp932_aed_export_is_reported_in_japanese_and_english():
    report = check(fixture("aed_cp932.csv"), load("aed"))
    assert not report.conforms
    encoding = issue(report, "encoding")
    assert encoding.severity == "error" and encoding.fixable
    assert "Shift_JIS" in encoding.message_ja and "UTF-8" in encoding.message_en
    # A title line above the header: the header is found on row 2, data rows counted below it.
    assert report.header_row == 2 and issue(report, "title_rows").rows == (1,)
    name = issue(report, "misnamed_column", "施設名")
    assert name.suggestion == "名称" and "「名称」" in name.message_ja
    assert issue(report, "misnamed_column", "所在地").suggestion == "住所"
    # Row numbers as a spreadsheet shows them (header on row 2, a blank row 5).
    assert issue(report, "value_format", "開始時間").rows == (3, 4, 6)
    assert issue(report, "value_format", "小児対応設備の有無").rows == (3, 4)
    assert issue(report, "blank_rows").rows == (5,)
    # Swapped coordinates and a wrong check digit: wrong, and not for a program to guess.
    for column in ("緯度", "経度", "法人番号"):
        wrong = issue(report, "value_invalid", column)
        assert wrong.rows == (6,) and not wrong.fixable
    assert not report.fixable


def test_the_report_never_quotes_a_cell():
    data = fixture("aed_cp932.csv")
    text = str(check(data, load("aed")).to_dict())
    for cell in ("岐阜市役所", "ｷﾞﾌｼﾔｸｼｮ", "058(232)3410", "5835678256247", "136.7512"):
        assert cell not in text


def test_wareki_dates_and_excel_days_are_fixable_and_a_date_without_year_is_not():
    report = check(fixture("events_utf8_nobom.csv"), load("events"))
    assert issue(report, "encoding").severity == "warning"  # UTF-8 without BOM
    assert issue(report, "value_format", "開始日").rows == (2, 3, 4)
    assert issue(report, "value_invalid", "開始日").rows == (5,)
    assert issue(report, "missing_required_column", "住所").severity == "error"
    assert "column_order" in report.codes()


def test_utf16_tab_separated_export_and_pattern_columns():
    report = check(fixture("population_utf16.txt"), load("population_by_area_age"))
    assert report.encoding == "utf-16"
    assert "delimiter" in report.codes()
    # The full-width age column is one of the repeating ones, written in full width.
    assert issue(report, "misnamed_column", "０-４歳_男").suggestion == "0-4歳_男"
    assert issue(report, "value_format", "総数").rows == (2,)  # 11,066
    assert report.fixable


def test_two_columns_that_both_look_like_one_standard_column_are_not_renamed():
    report = check(fixture("evacuation_sjis.csv"), load("emergency_evacuation_sites"))
    ambiguous = [i for i in report.issues if i.code == "ambiguous_column"]
    assert {i.column for i in ambiguous} == {"避難場所名称", "施設名"}
    assert all(i.suggestion is None and not i.fixable for i in ambiguous)
    assert issue(report, "misnamed_column", "市区町村コード").suggestion == "全国地方公共団体コード"
    assert issue(report, "misnamed_column", "洪水").suggestion == "災害種別_洪水"
    assert issue(report, "missing_required_column", "名称")


def test_exactly_named_column_wins_over_a_lookalike():
    raw = "全国地方公共団体コード,ID,地方公共団体名,名称,施設名\r\n212016,1,岐阜市,a,b\r\n".encode(
        "utf-8-sig"
    )
    report = check(raw, load("public_facilities"))
    assert issue(report, "duplicate_column", "施設名").severity == "error"
    assert "misnamed_column" not in report.codes()


def test_rows_longer_than_the_header_are_errors_and_shorter_ones_warnings():
    spec = load("public_facilities")
    raw = (
        ",".join(spec.names) + "\r\n" + "212016,1\r\n" + ",".join(["x"] * (len(spec.names) + 2)) + "\r\n"
    ).encode("utf-8-sig")
    report = check(raw, spec)
    assert issue(report, "short_row").rows == (2,)
    long = issue(report, "long_row")
    assert long.rows == (3,) and long.severity == "error"


def test_undecodable_bytes_are_reported_with_their_position():
    report = check(fixture("undecodable.csv"), load("aed"))
    assert report.codes() == ["encoding"] and report.encoding is None
    assert "13" in report.issues[0].message_ja and not report.issues[0].fixable


def test_an_empty_file_does_not_conform():
    assert check(b"", load("aed")).codes() == ["empty"]
    assert check(b"\xef\xbb\xbf\r\n,,\r\n", load("aed")).codes() == ["empty"]


def test_many_bad_rows_list_twenty_and_count_all():
    spec = load("events")
    lines = [",".join(spec.names)] + [
        ",".join(["212016", str(i), "岐阜市", "x", "", "", "いつか"]) for i in range(50)
    ]
    report = check("\r\n".join(lines).encode("utf-8-sig"), spec)
    wrong = issue(report, "value_invalid", "開始日")
    assert wrong.count == 50 and len(wrong.rows) == 20 and wrong.rows[0] == 2
    assert "計 50 行" in wrong.message_ja and "50 rows in all" in wrong.message_en


# --- normalising ---------------------------------------------------------------------------------


def test_normalising_the_cp932_aed_export():
    data = fixture("aed_cp932.csv")
    original = bytes(data)
    result = normalise(data, load("aed"))
    assert data == original == fixture("aed_cp932.csv")  # the input is left as it was
    rows = rows_of(result.data)
    assert list(rows[0]) == load("aed").names  # the standard's names, in its order
    first, second = rows[0], rows[1]
    assert first["全国地方公共団体コード"] == "212016" and first["名称"] == "岐阜市役所"
    assert first["名称_カナ"] == "ギフシヤクショ" and second["名称_カナ"] == "ギフシリツチュウオウトショカン"
    assert first["緯度"] == "35.4232" and first["電話番号"] == "058-265-4141"
    assert (first["開始時間"], first["終了時間"], second["開始時間"]) == ("08:30", "17:15", "09:00")
    assert (first["小児対応設備の有無"], second["小児対応設備の有無"]) == ("有", "無")
    assert len(rows) == 3  # the blank row is gone, the title line too
    # What no program may decide stays as it was, and the check of the output says so.
    assert rows[2]["緯度"] == "136.7512" and rows[2]["法人番号"] == "5835678256247"
    assert sorted(i.column for i in result.report.issues) == ["法人番号", "経度", "緯度"]
    assert {i.code for i in result.fixed} >= {"encoding", "misnamed_column", "value_format", "title_rows"}


def test_normalising_what_can_be_fixed_yields_a_conformant_file():
    result = normalise(fixture("population_utf16.txt"), load("population_by_area_age"))
    assert result.report.conforms and result.report.issues == []
    row = rows_of(result.data)[0]
    assert (row["調査年月日"], row["総数"], row["0-4歳_男"]) == ("2025-04-01", "11066", "119")
    assert b"\r\n" in result.data and b"\t" not in result.data


def test_normalising_wareki_dates():
    rows = rows_of(normalise(fixture("events_utf8_nobom.csv"), load("events")).data)
    assert [r["開始日"] for r in rows] == ["2025-05-11", "2025-04-05", "2025-10-04", "4月5日"]
    assert [r["終了日"] for r in rows] == ["2025-10-15", "2025-04-06", "2025-10-05", ""]
    assert rows[2]["開始時間"] == "10:00"


def test_normalising_flags_codes_and_counts_keeps_ambiguous_columns():
    result = normalise(fixture("evacuation_sjis.csv"), load("emergency_evacuation_sites"))
    rows = rows_of(result.data)
    assert [r["全国地方公共団体コード"] for r in rows] == ["212016", "212016"]
    assert [(r["災害種別_洪水"], r["災害種別_地震"], r["災害種別_大規模な火事"]) for r in rows] == [
        ("1", "1", ""),
        ("", "1", "1"),
    ]
    assert [r["想定収容人数"] for r in rows] == ["500", "1200"]
    # Neither lookalike of 名称 was renamed: both kept, at the end, under their own names.
    assert list(rows[0])[-2:] == ["避難場所名称", "施設名"] and rows[0]["名称"] == ""
    assert not result.report.conforms


def test_normalising_is_idempotent_and_leaves_a_conformant_file_alone():
    once = normalise(fixture("aed_cp932.csv"), load("aed")).data
    assert normalise(once, load("aed")).data == once
    conformant = fixture("aed_conformant.csv")
    assert normalise(conformant, load("aed")).data == conformant


def test_an_undecodable_file_is_returned_unchanged():
    data = fixture("undecodable.csv")
    result = normalise(data, load("aed"))
    assert result.data == data and not result.report.conforms


# --- command line --------------------------------------------------------------------------------


def test_command_line_normalises_into_a_new_file(tmp_path, capsys):
    source = tmp_path / "aed.csv"
    source.write_bytes(fixture("population_utf16.txt"))
    out = tmp_path / "out.csv"
    assert cli(["normalise", "--spec", "population_by_area_age", str(source), str(out)]) == 0
    assert source.read_bytes() == fixture("population_utf16.txt")
    assert cli(["check", "--spec", "population_by_area_age", str(out)]) == 0
    assert '"conforms": true' in capsys.readouterr().out
    assert cli(["check", "--spec", "aed", str(FIXTURES / "aed_cp932.csv")]) == 1
    with pytest.raises(SystemExit):
        cli(["normalise", "--spec", "aed", str(source), str(source)])


# --- row by row (the publishing pipeline's stage) -----------------------------------------------


def test_row_by_row_gives_what_normalise_gives():
    data, spec = fixture("aed_cp932.csv"), load("aed")
    records = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))
    index = find_header(spec, records)
    assert index == 1  # the title line above the header
    normaliser = RowNormaliser(spec, records[index])
    streamed = [normaliser.header] + [
        normaliser.row(r) for r in records[index + 1 :] if any(c.strip() for c in r)
    ]
    whole = list(csv.reader(io.StringIO(normalise(data, spec).data.decode("utf-8-sig"), newline="")))
    assert streamed == whole
    assert normaliser.renamed == {"施設名": "名称", "所在地": "住所"}
    assert normaliser.changed["全国地方公共団体コード"] == 1 and normaliser.changed["開始時間"] == 3


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"a,b\r\n1,2\r\n", "項目名が一つも見つかりません"),
        ("名称\t緯度\n市役所\t35.4\n".encode("utf-16"), "カンマ区切り"),
        (b"\x82\xa0\x81\x7f", "文字コード"),
    ],
)
def test_what_cannot_be_normalised_is_said_in_japanese_and_english(data, why):
    ja, en = unnormalisable(data, load("aed"))
    assert why in ja and en and not any("\u3040" <= c <= "\u30ff" for c in en)
    assert unnormalisable(fixture("aed_cp932.csv"), load("aed")) is None
