"""The command line: scan prints a JSON report; scrub writes the file; bad input exits non-zero
with a Japanese and English message and writes nothing."""

import json
import os
import subprocess
import sys

import pytest

from ckanext.anonymize import __main__ as cli

PEOPLE = "氏名,電話番号,備考\n山田 太郎,090-1234-5678,特になし\n長良 花子,058-265-4141,鈴木さんの紹介\n"


@pytest.fixture
def shared_engine(engine, monkeypatch):
    """Run the CLI in-process with the session's engine (one GiNZA load per session)."""
    monkeypatch.setattr(cli, "Engine", lambda config: engine)


def test_scan_prints_the_json_report(shared_engine, write, capsys):
    src = write("people.csv", PEOPLE, "cp932")
    assert cli.main(["scan", src]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["encoding"] == "cp932" and report["totals"]["PERSON"] == 3
    assert "山田" not in json.dumps(report, ensure_ascii=False)


def test_scrub_writes_output_and_report(shared_engine, write, tmp_path):
    src = write("people.csv", PEOPLE, "cp932")
    out, rep = tmp_path / "out.csv", tmp_path / "report.json"
    assert cli.main(["scrub", src, "-o", str(out), "--report", str(rep)]) == 0
    text = out.read_text("utf-8")
    assert "山田" not in text and "鈴木" not in text and "特になし" in text
    assert json.loads(rep.read_text("utf-8"))["sheets"][0]["rows"] == 2


@pytest.mark.parametrize(
    "name,data,code",
    [
        ("empty.csv", b"", "空"),
        ("page.csv", b"<!DOCTYPE html><script>alert(1)</script>", "匿名化できない"),
        ("binary.csv", b"PK\x03\x04\x00\x00binary", "バイナリ"),
        ("bad.csv", b"a,b\n\x81\x20,1\n", "文字コード"),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(write, tmp_path, name, data, code):
    src = write(name, data)
    out = tmp_path / "out" / "o.csv"
    out.parent.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "ckanext.anonymize", "scrub", src, "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert code in proc.stderr and "Error:" in proc.stderr
    assert os.listdir(out.parent) == []


def test_size_limit_from_config(write, tmp_path):
    cfg = write("cfg.json", json.dumps({"max_bytes": 8}))
    proc = subprocess.run(
        [sys.executable, "-m", "ckanext.anonymize", "scan", write("x.csv", PEOPLE), "--config", cfg],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "大きすぎます" in proc.stderr and "too large" in proc.stderr


def test_yaml_config_and_bad_config(write, tmp_path):
    src = write("x.csv", PEOPLE)
    bad = write("bad.yaml", "operators:\n  PERSON: {type: shred}\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ckanext.anonymize",
            "scrub",
            src,
            "-o",
            str(tmp_path / "o.csv"),
            "--config",
            bad,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "shred" in proc.stderr and not (tmp_path / "o.csv").exists()
