"""Command line of the PII engine, usable without CKAN.

    python -m ckanext.anonymize scan FILE [--config CONFIG.json|.yaml] [--filename NAME]
    python -m ckanext.anonymize scrub FILE -o OUT [--report REPORT.json] [--config CONFIG.json]

``scan`` prints the JSON report on stdout. ``scrub`` writes the scrubbed file (same format and
shape; text formats in UTF-8) and the report. Bad input prints a Japanese and English message on
stderr, exits with status 2 and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from .engine import Engine, EngineConfig, InputError


def _load_config(path: str | None) -> EngineConfig:
    if not path:
        return EngineConfig()
    try:
        with open(path, encoding="utf-8") as f:
            if path.endswith((".yaml", ".yml")):
                import yaml  # comes with CKAN

                return EngineConfig.from_dict(yaml.safe_load(f))
            return EngineConfig.from_dict(json.load(f))
    except InputError:
        raise
    except Exception as exc:  # unreadable file, bad JSON or YAML
        raise InputError(
            "config", f"設定ファイルを読めません: {exc}", f"Cannot read the configuration file: {exc}"
        ) from exc


def _columns(values: list[str] | None) -> dict[str, str]:
    out = {}
    for item in values or []:
        name, _, policy = item.rpartition("=")
        if not name or policy not in ("keep", "transform", "analyze"):
            raise InputError(
                "usage",
                f"--column は 列名=keep|transform|analyze の形です: {item}",
                f"--column takes NAME=keep|transform|analyze: {item}",
            )
        out[name] = policy
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ckanext.anonymize",
        description="日本語の個人情報を検出・匿名化します / Find and scrub Japanese personal data.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("scan", "scrub"):
        p = sub.add_parser(name)
        p.add_argument("file")
        p.add_argument("--config", help="JSON の設定ファイル / JSON configuration file")
        p.add_argument("--filename", help="形式判定に使う元のファイル名 / original file name")
        p.add_argument(
            "--column",
            action="append",
            metavar="NAME=POLICY",
            help="列の方針を指定 / set a column policy (keep|transform|analyze)",
        )
        if name == "scrub":
            p.add_argument("-o", "--output", required=True)
            p.add_argument("--report", help="報告書(JSON)の出力先 / where to write the JSON report")
    args = parser.parse_args(argv)
    try:
        engine = Engine(_load_config(args.config))
        columns = _columns(args.column)
        if args.command == "scan":
            report = engine.scan_file(args.file, filename=args.filename, columns=columns)
        else:
            report = engine.scrub_file(args.file, args.output, filename=args.filename, columns=columns)
    except InputError as exc:
        print(f"エラー: {exc.message_ja}\nError: {exc.message_en}", file=sys.stderr)
        return 2
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    if args.command == "scrub" and args.report:
        tmp = args.report + ".part"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        os.replace(tmp, args.report)
    elif args.command == "scan" or not args.report:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
