"""Benchmark of the optout suppression stage and of re-derivation scoping.

    .venv/bin/python benchmarks/bench_optout.py --ckan-ini test.ini --out artifacts/bench/optout.json

1. Registry: 100,000 opt-outs (氏名 + 生年月日, a third with フリガナ and 住所) hashed as the registry
   stores them, and arranged for a resource keyed by 氏名 + 生年月日.
2. Suppression: a 1,000,000-row CSV (written to a temporary file, 1% of rows belong to opted-out
   residents, written in other notations: full-width spaces, 和暦) streamed through the stage and
   written back out. Reports rows/s and the resident memory at points through the file (flat
   memory = streaming).
3. Database (the PostgreSQL of the ini, inside one transaction that is rolled back, so nothing is
   left behind): loading the opt-outs in scope of a resource from the registry tables, and which
   resources one new opt-out would re-derive (scope all vs one dataset of 200).

Sizes can be lowered for a quick look: ``--rows 100000 --optouts 10000``.
"""

from __future__ import annotations

import argparse
import configparser
import csv
import dataclasses
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from ckanext.optout.keys import KeyedHasher
from ckanext.optout.stage import SuppressionStage
from ckanext.optout.suppress import SuppressionIndex

FAMILY = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
]
GIVEN = [
    "太郎",
    "花子",
    "一郎",
    "次郎",
    "美咲",
    "陽子",
    "健",
    "翔太",
    "さくら",
    "大輔",
    "直子",
    "誠",
    "愛",
    "拓也",
    "裕子",
    "浩",
    "真由美",
    "学",
    "恵",
    "隆",
]
KANA_FAMILY = "サトウ"
ERAS = [("昭和", 1926), ("平成", 1989)]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def person(rng: random.Random, i: int) -> tuple[str, dt.date]:
    name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}{i % 97:02d}"  # distinct enough
    born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 75))
    return name, born


def wareki(date: dt.date) -> str:
    era, first = ERAS[1] if date >= dt.date(1989, 1, 8) else ERAS[0]
    return f"{era}{date.year - first + 1}年{date.month}月{date.day}日"


@dataclasses.dataclass
class Sheet:
    name: str
    header: list
    rows: object

    def with_rows(self, rows):
        return dataclasses.replace(self, rows=rows)


@dataclasses.dataclass
class Ctx:
    resource: dict
    dataset: dict
    report: dict = dataclasses.field(default_factory=dict)


def ini_settings(path: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(path)
    section = parser["app:main"]
    return {
        "secret": section.get("ckanext.optout.secret", "bench-secret"),
        "sqlalchemy.url": os.environ.get("CKAN_SQLALCHEMY_URL") or section.get("sqlalchemy.url"),
    }


def bench_registry(hasher: KeyedHasher, optouts: int, seed: int):
    rng = random.Random(seed)
    started = time.perf_counter()
    people, entries = [], []
    for i in range(optouts):
        name, born = person(rng, i)
        subject = {"name": name, "birth_date": born.isoformat()}
        if i % 3 == 0:
            subject.update(name_kana=f"{KANA_FAMILY} タロウ{i}", address=f"岐阜市今沢町{i % 50 + 1}")
        people.append((name, born))
        entries.append((sorted(subject), hasher.subject_keys(subject)))
    hashed = time.perf_counter() - started
    before = rss_mb()
    started = time.perf_counter()
    index = SuppressionIndex(["name", "birth_date"], entries)
    built = time.perf_counter() - started
    return (
        people,
        entries,
        index,
        {
            "optouts": optouts,
            "hash_seconds": round(hashed, 2),
            "index_seconds": round(built, 2),
            "index_mb": round(rss_mb() - before, 1),
        },
    )


def write_csv(path: str, rows: int, people: list, seed: int) -> int:
    rng = random.Random(seed + 1)
    expected = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["番号", "氏名", "生年月日", "住所", "受賞名"])
        for i in range(rows):
            if i % 100 == 0:  # 1%: an opted-out resident, another notation
                name, born = people[rng.randrange(len(people))]
                writer.writerow([i, name.replace(" ", "\u3000"), wareki(born), "岐阜市", "市民栄誉賞"])
                expected += 1
            else:
                name, born = person(rng, i + 7)
                born = (
                    born.replace(year=born.year + 75)
                    if born.month * 100 + born.day != 229
                    else dt.date(2006, 3, 1)
                )  # born after 2004: never an opt-out's key
                writer.writerow([i, name, born.isoformat(), "岐阜市", "文化賞"])
    return expected


def bench_suppression(hasher, index, path: str, rows: int, expected: int):
    stage = SuppressionStage(
        load_columns=lambda rid: {"name": "氏名", "birth_date": "生年月日"},
        load_index=lambda pid, attrs: index,
        hasher=hasher,
    )
    ctx = Ctx({"id": "bench", "package_id": "bench"}, {"id": "bench"})
    memory = []
    started = time.perf_counter()
    with (
        open(path, newline="", encoding="utf-8") as source,
        open(os.devnull, "w", newline="", encoding="utf-8") as sink,
    ):
        reader = csv.reader(source)
        header = next(reader)
        writer = csv.writer(sink)
        writer.writerow(header)
        for sheet in stage.process([Sheet("bench", header, reader)], ctx):
            for n, row in enumerate(sheet.rows, 1):
                writer.writerow(row)
                if n % (rows // 10 or 1) == 0:
                    memory.append(round(rss_mb(), 1))
    seconds = time.perf_counter() - started
    report = ctx.report
    assert report["rows_in"] == rows, report
    assert report["rows_dropped"] == expected, (report, expected)
    return {
        "rows": rows,
        "rows_dropped": report["rows_dropped"],
        "seconds": round(seconds, 2),
        "rows_per_second": int(rows / seconds),
        "rss_mb_through_file": memory,
        "rss_growth_mb": round(max(memory) - min(memory), 1) if memory else None,
    }


def bench_database(url: str, entries: list, seed: int, hasher: KeyedHasher, secret: str):
    """Registry load and re-derivation scope on PostgreSQL, rolled back at the end."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.common import config

    from ckanext.optout import jobs, registry
    from ckanext.optout import model as m

    config["ckanext.optout.secret"] = secret
    engine = sa.create_engine(url)
    model.init_model(engine)
    if not sa.inspect(engine).has_table("optout_request"):
        return {"skipped": "optout tables missing (run: ckan -c INI db upgrade -p optout)"}
    session = model.Session
    try:
        now = dt.datetime.utcnow()
        started = time.perf_counter()
        requests, keys = [], []
        for i, (attrs, digests) in enumerate(entries):
            rid = f"bench-{seed}-{i}"
            requests.append(
                {
                    "id": rid,
                    "reference": f"BENCH-{seed}-{i}",
                    "token_hash": "x" * 64,
                    "key_id": hasher.key_id,
                    "status": "pending",
                    "package_id": None,
                    "attributes": "+".join(attrs),
                    "created": now,
                    "modified": now,
                }
            )
            keys.extend({"request_id": rid, "combination": c, "digest": d} for c, d in digests.items())
        session.execute(sa.insert(m.OptoutRequest.__table__), requests)
        session.execute(sa.insert(m.OptoutSubjectKey.__table__), keys)
        session.flush()
        # What autovacuum does for a live registry; without statistics the planner guesses.
        session.execute(sa.text("ANALYZE optout_request; ANALYZE optout_subject_key"))
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        index = registry.load_index("bench-dataset", ["name", "birth_date"])
        loaded = time.perf_counter() - started
        # 200 datasets with 2 keyed resources each: what one new opt-out would re-derive.
        session.execute(
            sa.insert(m.OptoutResource.__table__),
            [
                {
                    "resource_id": f"bench-res-{d}-{r}",
                    "package_id": f"bench-pkg-{d}",
                    "subject_columns": {"name": "氏名"},
                    "modified": now,
                }
                for d in range(200)
                for r in range(2)
            ],
        )
        session.flush()
        all_scope = len([r for r in jobs.affected_resources(None) if r.startswith("bench-res-")])
        one_scope = len(jobs.affected_resources("bench-pkg-7"))
        return {
            "insert_seconds": round(inserted, 2),
            "subject_key_rows": len(keys),
            "load_index_seconds": round(loaded, 2),
            "opt_outs_loaded": len(index),
            "rederive_resources_scope_all": all_scope,
            "rederive_resources_scope_one_dataset": one_scope,
        }
    finally:
        session.rollback()
        session.remove()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ckan-ini", default="test.ini")
    parser.add_argument("--out", default="artifacts/bench/optout.json")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--optouts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=212016)
    parser.add_argument("--no-db", action="store_true", help="skip the PostgreSQL part")
    args = parser.parse_args(argv)

    settings = ini_settings(args.ckan_ini)
    hasher = KeyedHasher(settings["secret"])
    results = {
        "started": dt.datetime.utcnow().isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
    }

    people, entries, index, results["registry"] = bench_registry(hasher, args.optouts, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-optout-") as tmp:
        path = os.path.join(tmp, "records.csv")
        started = time.perf_counter()
        expected = write_csv(path, args.rows, people, args.seed)
        results["csv"] = {
            "rows": args.rows,
            "mb": round(os.path.getsize(path) / 2**20, 1),
            "write_seconds": round(time.perf_counter() - started, 2),
        }
        results["suppression"] = bench_suppression(hasher, index, path, args.rows, expected)
    del index
    if args.no_db:
        results["database"] = {"skipped": "--no-db"}
    else:
        try:
            results["database"] = bench_database(
                settings["sqlalchemy.url"], entries, args.seed, hasher, settings["secret"]
            )
        except Exception as exc:  # noqa: BLE001 - report, do not hide
            results["database"] = {"error": f"{type(exc).__name__}: {exc}"}

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")

    reg, sup, db = results["registry"], results["suppression"], results["database"]
    lines = [
        ("opt-outs hashed (registry)", f"{reg['optouts']:,}", f"{reg['hash_seconds']} s"),
        ("index for 氏名+生年月日", f"{reg['index_mb']} MB", f"{reg['index_seconds']} s"),
        ("CSV rows streamed", f"{sup['rows']:,} ({results['csv']['mb']} MB)", f"{sup['seconds']} s"),
        ("suppression throughput", f"{sup['rows_per_second']:,} rows/s", ""),
        ("rows dropped (expected 1%)", f"{sup['rows_dropped']:,}", ""),
        (
            "RSS through the file",
            f"{sup['rss_mb_through_file'][0] if sup['rss_mb_through_file'] else '-'}"
            f" → {sup['rss_mb_through_file'][-1] if sup['rss_mb_through_file'] else '-'} MB",
            f"growth {sup['rss_growth_mb']} MB",
        ),
    ]
    if "load_index_seconds" in db:
        lines += [
            (
                "registry load from PostgreSQL",
                f"{db['opt_outs_loaded']:,} opt-outs",
                f"{db['load_index_seconds']} s",
            ),
            ("re-derive after 1 opt-out, scope all", f"{db['rederive_resources_scope_all']} resources", ""),
            (
                "re-derive after 1 opt-out, one dataset",
                f"{db['rederive_resources_scope_one_dataset']} resources",
                "",
            ),
        ]
    else:
        lines.append(("database part", json.dumps(db, ensure_ascii=False), ""))
    width = max(len(a) for a, _, _ in lines)
    print(f"{'measure'.ljust(width)}  {'value':<28} time")
    for a, b, c in lines:
        print(f"{a.ljust(width)}  {b:<28} {c}")
    print(f"(raw results: {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
