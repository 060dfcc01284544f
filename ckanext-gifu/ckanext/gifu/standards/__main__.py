"""``python -m ckanext.gifu.standards``: check or normalise a CSV file against a standard dataset.

    python -m ckanext.gifu.standards list
    python -m ckanext.gifu.standards check --spec aed aed.csv          # the report as JSON
    python -m ckanext.gifu.standards normalise --spec aed aed.csv out.csv

``normalise`` never writes over its input. Exit status: 0 conformant (after normalising, for
``normalise``), 1 not conformant, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ckanext.gifu.standards import check, ids, load, normalise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckanext.gifu.standards")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the standard datasets with a spec")
    for name in ("check", "normalise"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--spec", required=True, choices=ids())
        cmd.add_argument("file", type=Path)
        if name == "normalise":
            cmd.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "list":
        for spec_id in ids():
            spec = load(spec_id)
            print(f"{spec_id}\t{spec.title}\t{spec.title_en}")
        return 0
    spec = load(args.spec)
    data = args.file.read_bytes()
    if args.command == "check":
        report = check(data, spec)
    else:
        if args.out.exists() and args.out.resolve() == args.file.resolve():
            parser.error("normalise writes a new file: OUT must differ from FILE")
        result = normalise(data, spec)
        args.out.write_bytes(result.data)
        report = result.report
    json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0 if report.conforms else 1


if __name__ == "__main__":
    sys.exit(main())
