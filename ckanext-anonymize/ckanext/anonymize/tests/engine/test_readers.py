"""Readers and writers: encodings, delimiters, XLSX sheets, JSON shapes; bad input fails closed."""

import json
import zipfile

import openpyxl
import pytest

from ckanext.anonymize.engine import EngineConfig, InputError, open_table, write_table

TABLE = "氏名,住所,備考\n山田 太郎,岐阜市司町40番地1,①㈱テスト\n長良 花子,岐阜市今沢町18,なし\n"


def rows_of(table):
    return [(s.name, s.header, list(s.rows)) for s in table.sheets]


@pytest.mark.parametrize(
    "encoding,expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932"), ("euc_jp", "euc_jp")],
)
def test_csv_encodings_are_detected_and_decoded(write, encoding, expected):
    text = TABLE if encoding != "euc_jp" else TABLE.replace("①㈱", "")  # EUC-JP has no ①㈱
    table = open_table(write("x.csv", text, encoding))
    assert (table.format, table.encoding) == ("csv", expected)
    [(_, header, rows)] = rows_of(table)
    assert header == ["氏名", "住所", "備考"]
    assert rows[0][0] == "山田 太郎" and len(rows) == 2


def test_tsv_by_extension_and_by_content(write):
    data = TABLE.replace(",", "\t")
    assert open_table(write("x.tsv", data)).format == "tsv"
    table = open_table(write("upload", data))
    assert table.format == "tsv" and rows_of(table)[0][2][1][1] == "岐阜市今沢町18"


def test_csv_round_trip_keeps_shape_and_writes_utf8(write, tmp_path):
    src = write("x.csv", 'a,b\n"line1\nline2","q""uote"\n,\n', "cp932")
    table = open_table(src)
    dst = tmp_path / "out.csv"
    write_table(str(dst), table.format, table.sheets)
    assert dst.read_bytes().decode("utf-8") == 'a,b\r\n"line1\nline2","q""uote"\r\n,\r\n'


def test_xlsx_every_sheet_is_read_and_written(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名簿"
    ws.append(["氏名", "年齢", "緯度"])
    ws.append(["山田 太郎", 34, 35.4231])
    other = wb.create_sheet("施設")
    other.append(["名称", "電話番号"])
    other.append(["岐阜市役所", "058-265-4141"])
    src = tmp_path / "book.xlsx"
    wb.save(src)
    table = open_table(str(src))
    assert table.format == "xlsx"
    sheets = rows_of(table)
    assert [s[0] for s in sheets] == ["名簿", "施設"]
    assert sheets[0][2] == [["山田 太郎", "34", "35.4231"]]
    table = open_table(str(src))
    dst = tmp_path / "out.xlsx"
    write_table(str(dst), "xlsx", table.sheets)
    out = openpyxl.load_workbook(dst)
    assert out.sheetnames == ["名簿", "施設"]
    assert [c.value for c in out["名簿"][2]] == ["山田 太郎", 34, 35.4231]
    assert out["施設"]["B2"].value == "058-265-4141"


def test_json_records_keep_their_types(write, tmp_path):
    data = [
        {"氏名": "山田 太郎", "年齢": 34, "会員": True, "メモ": None},
        {"氏名": "長良 花子", "年齢": 35, "会員": False, "メモ": "x"},
    ]
    table = open_table(write("x.json", json.dumps(data, ensure_ascii=False)))
    assert table.format == "json"
    dst = tmp_path / "out.json"
    write_table(str(dst), "json", table.sheets)
    assert json.loads(dst.read_text("utf-8")) == data


def test_json_object_with_record_arrays_and_json_lines(write, tmp_path):
    doc = {"title": "名簿", "items": [{"name": "a", "n": 1}, {"name": "b", "n": 2}]}
    table = open_table(write("x.json", json.dumps(doc)))
    sheets = rows_of(open_table(write("y.json", json.dumps(doc))))
    assert [s[0] for s in sheets] == ["$", "items"]
    dst = tmp_path / "o.json"
    write_table(str(dst), "json", table.sheets)
    assert json.loads(dst.read_text("utf-8")) == doc
    lines = '{"a": "x", "b": 1}\n{"a": "y", "b": 2}\n'
    table = open_table(write("z.jsonl", lines))
    dst = tmp_path / "o.jsonl"
    write_table(str(dst), "json", table.sheets)
    assert dst.read_text("utf-8") == lines


def test_text_file_lines_are_rows(write):
    table = open_table(write("memo.txt", "一行目\n二行目\n", "cp932"))
    assert (table.format, table.encoding) == ("txt", "cp932")
    assert rows_of(table)[0][2] == [["一行目"], ["二行目"]]


def _error(fn) -> InputError:
    with pytest.raises(InputError) as info:
        fn()
    return info.value


def test_empty_file(write):
    assert _error(lambda: open_table(write("e.csv", b""))).code == "empty"
    assert _error(lambda: open_table(write("e2.csv", "\ufeff\n"))).code == "empty"


def test_binary_disguised_as_csv(write, tmp_path):
    assert _error(lambda: open_table(write("b.csv", b"\x00\x01\x02binary\x00"))).code == "binary"
    wb = openpyxl.Workbook()
    path = tmp_path / "real.xlsx"
    wb.save(path)
    assert _error(lambda: open_table(write("fake.csv", path.read_bytes()))).code == "binary"


def test_undecodable_bytes(write):
    assert _error(lambda: open_table(write("u.csv", b"a,b\n\x81\x20x,1\n"))).code == "encoding"


def test_undecodable_bytes_after_the_sample_fail_while_streaming(write):
    body = ("氏名,備考\n" + "山田,ok\n" * 40000).encode("cp932") + b"\x85\x40\xff,x\n"
    table = open_table(write("late.csv", body))
    assert table.encoding == "cp932"
    err = _error(lambda: [list(s.rows) for s in table.sheets])
    assert err.code == "encoding"


def test_rows_of_another_width_are_read_in_full(write):
    # Footnotes and totals under a table have fewer fields; a stray comma gives one more.
    table = open_table(write("r.csv", "a,b\n1,2\n1,2,3\n※注記\n"))
    assert rows_of(table)[0][2] == [["1", "2"], ["1", "2", "3"], ["※注記"]]


def test_too_large(write):
    cfg = EngineConfig(max_bytes=10)
    assert _error(lambda: open_table(write("big.csv", "a,b\n1,2\n3,4\n"), config=cfg)).code == "too_large"


def test_xlsx_zip_bomb(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", "0" * (8 << 20))  # ratio about 1000
    assert _error(lambda: open_table(str(path))).code == "zip_bomb"


def test_failed_write_leaves_no_output(write, tmp_path):
    body = ("氏名,備考\n" + "山田,ok\n" * 40000).encode("cp932") + b"\x85\x40\xff,x\n"
    table = open_table(write("r.csv", body))
    dst = tmp_path / "out.csv"
    _error(lambda: write_table(str(dst), table.format, table.sheets))
    assert list(tmp_path.iterdir()) == [tmp_path / "r.csv"]


def test_xlsx_title_row_does_not_narrow_the_table(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["岐阜市AED設置場所一覧"])
    ws.append([])
    ws.append(["名称", "住所", "緯度"])
    ws.append(["岐阜市役所", "岐阜県岐阜市司町40番地1", 35.4231])
    path = tmp_path / "titled.xlsx"
    wb.save(path)
    [(_, header, rows)] = rows_of(open_table(str(path)))
    assert header == ["岐阜市AED設置場所一覧", "", ""]
    assert rows == [
        ["", "", ""],
        ["名称", "住所", "緯度"],
        ["岐阜市役所", "岐阜県岐阜市司町40番地1", "35.4231"],
    ]
