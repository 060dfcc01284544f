"""The two-phase pipeline, pure (no CKAN): a filter's key, taken from a row as it was uploaded,
lines up with the same row after the scrub — whatever the file's shape — and filtering the
scrubbed cache again gives the same file as the whole pipeline."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from ckanext.anonymize import pipeline


class DropByOriginal:
    """Drops the rows whose original first cell is in ``drop`` (the key is that cell as held)."""

    name, order, filter = "drop", 100, True

    def __init__(self, drop):
        self.drop = set(drop)
        self.seen = []

    def applies_to(self, resource):
        return True

    def tap_version(self, resource, dataset):
        return "v1"

    def keyer(self, resource, dataset):
        class Keyer:
            def sheet(self, name):
                return lambda row: row[0] if row else None

        return Keyer()

    def select(self, sheet, rows, ctx):
        for row, keys in rows:
            self.seen.append((keys["drop"], row[0] if row else None))
            if keys["drop"] in self.drop:
                ctx.report["dropped"] = ctx.report.get("dropped", 0) + 1
                continue
            yield row, keys


@pytest.fixture
def scrub(engine):
    return pipeline.ScrubStage(engine)


CSV = (
    "岐阜市 受付簿,,\n,,\n番号,氏名,生年月日\n"
    "A,長良 花子,1980-03-01\nB,金華 一郎,1955-03-01\nC,鵜飼 三郎,1975-12-24\n"
)


def test_keys_from_the_original_line_up_with_the_scrubbed_rows(write, tmp_path, scrub):
    src = write("list.csv", CSV)
    drop = DropByOriginal({"B"})
    report = pipeline.run(src, "list.csv", str(tmp_path / "out.csv"), [scrub, drop], {"id": "r"}, {})
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text("utf-8"))))
    assert rows[:3] == [["岐阜市 受付簿", "", ""], ["", "", ""], ["番号", "氏名", "生年月日"]]
    assert rows[3:] == [["A", "〈氏名〉", "〈生年月日〉"], ["C", "〈氏名〉", "〈生年月日〉"]]
    # Every key was taken from the very row it travels with.
    assert all(key == shown for key, shown in drop.seen)
    assert report["stages"]["drop"] == {"dropped": 1} and "scrub" in report["stages"]


def test_filtering_the_cache_again_gives_what_the_whole_pipeline_gives(write, tmp_path, scrub):
    src = write("list.csv", CSV)
    cache = str(tmp_path / "scrubbed.jsonl")
    pipeline.transform(src, "list.csv", cache, [scrub, DropByOriginal({"A"})], {"id": "r"}, {})
    pipeline.filter_cache(cache, str(tmp_path / "again.csv"), [scrub, DropByOriginal({"A"})], {"id": "r"}, {})
    pipeline.run(
        src, "list.csv", str(tmp_path / "whole.csv"), [scrub, DropByOriginal({"A"})], {"id": "r"}, {}
    )
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    # The cache is as closed as the original: scrubbed cells, keys and nothing else.
    text = Path(cache).read_text(encoding="utf-8")
    assert "長良" not in text and "1980" not in text


def test_every_sheet_of_a_workbook_and_every_shape_of_json(write, tmp_path, scrub):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名簿"
    for row in (["番号", "氏名"], ["A", "長良 花子"], ["B", "金華 一郎"]):
        ws.append(row)
    other = wb.create_sheet("集計")
    for row in (["区分", "人数"], ["A", 3], ["B", 4]):
        other.append(row)
    wb.save(tmp_path / "book.xlsx")
    pipeline.run(
        str(tmp_path / "book.xlsx"),
        "book.xlsx",
        str(tmp_path / "out.xlsx"),
        [scrub, DropByOriginal({"B"})],
        {"id": "r"},
        {},
    )
    out = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert [list(r) for r in out["名簿"].iter_rows(values_only=True)] == [
        ["番号", "氏名"],
        ["A", "〈氏名〉"],
    ]
    assert [list(r) for r in out["集計"].iter_rows(values_only=True)] == [["区分", "人数"], ["A", 3]]

    records = [{"id": "A", "氏名": "長良 花子", "年齢": 44}, {"id": "B", "氏名": "金華 一郎", "年齢": 69}]
    src = write("r.json", json.dumps(records, ensure_ascii=False))
    pipeline.run(src, "r.json", str(tmp_path / "out.json"), [scrub, DropByOriginal({"B"})], {"id": "r"}, {})
    assert json.loads((tmp_path / "out.json").read_text("utf-8")) == [
        {"id": "A", "氏名": "〈氏名〉", "年齢": 44}
    ]
