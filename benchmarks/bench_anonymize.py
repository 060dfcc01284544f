"""Benchmark of the anonymize engine (make bench): quality and speed against plain Presidio and
presidio-structured on the same synthetic Japanese corpus, plus a large-file speed run.

    .venv/bin/python benchmarks/bench_anonymize.py --out artifacts/bench/anonymize.json
    .venv/bin/python benchmarks/bench_anonymize.py --rows 100000     # size of the speed run
    .venv/bin/python benchmarks/bench_anonymize.py --only-irregular  # the irregular files only
    .venv/bin/python benchmarks/bench_anonymize.py --only-heldout    # the blind held-out corpus only

Irregular section (anonymize/irregular.py, on by default, --no-irregular to skip): a held-out
corpus of files as offices really export them (no header, title lines and two-row headers,
owner columns, private contacts in public remarks, JSON keyed by names, one sheet per
resident, ...), scrubbed by one engine and scored per layout against exact ground truth.

Held-out section (anonymize/heldout.py, on by default, --no-heldout to skip, --only-heldout to run
it alone): a second, BLIND corpus written without looking at the engine and frozen before its
first run (住基-like fixed-width exports, care and welfare case lists, school and 自治会 rosters,
minutes and complaint logs in free text, multi-sheet XLSX with hidden columns, web-form JSON,
reservation TSV, public operator lists, CP932 legacy files), scored the same way.

Quality: "PII removed" = share of planted PII values of which no part (full value, surname,
given name, town + block) survives in its output cell; "must-stay altered" = share of cells that
must come out unchanged (public facility tables, codes, dates, plain remarks) but did not.
The baselines process every cell through GiNZA at ~100 cells/s, so they run on a seeded subset
of rows of every file (the output says how many cells); ours is also scored on that subset.
Our cells/s include building the engine and loading GiNZA.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from anonymize import corpus, irregular  # noqa: E402


def score(table, out_rows, subset=None):
    """(removed, total PII, altered, total must-stay, misses) of one output against the truth."""
    keep = set(subset) if subset is not None else None
    pos = {r: i for i, r in enumerate(subset)} if subset is not None else None

    def cell(r, c):
        row = out_rows[pos[r] if pos is not None else r]
        return row[c] if c < len(row) else ""

    removed = total = altered = stay = 0
    misses = []
    for r, c, keys in table.pii:
        if keep is not None and r not in keep:
            continue
        total += 1
        out = cell(r, c)
        if any(k and k in out for k in keys):
            misses.append(keys[0])
        else:
            removed += 1
    for r, c in table.stay:
        if keep is not None and r not in keep:
            continue
        stay += 1
        if cell(r, c) != table.rows[r][c]:
            altered += 1
    return removed, total, altered, stay, misses


def summarize(tables, outputs, subsets=None):
    agg = {"removed": 0, "pii": 0, "altered": 0, "stay": 0, "cells": 0}
    misses, per_file = [], {}
    for t in tables:
        subset = subsets[t.name] if subsets else None
        removed, total, altered, stay, miss = score(t, outputs[t.name], subset)
        cells = sum(len(t.rows[r]) for r in subset) if subset else t.cells
        per_file[t.name] = {
            "pii_removed": removed,
            "pii": total,
            "must_stay_altered": altered,
            "must_stay": stay,
            "cells": cells,
        }
        for k, v in zip(
            ("removed", "pii", "altered", "stay", "cells"), (removed, total, altered, stay, cells)
        ):
            agg[k] += v
        misses += [f"{t.name}: {m}" for m in miss]
    agg["recall"] = agg["removed"] / agg["pii"] if agg["pii"] else 1.0
    agg["damage"] = agg["altered"] / agg["stay"] if agg["stay"] else 0.0
    return agg, per_file, misses


def read_rows(path, filename):
    from ckanext.anonymize.engine import open_table

    table = open_table(path, filename=filename)
    rows = []
    for sheet in table.sheets:
        rows += [list(r) for r in sheet.rows]
    return rows


def run_ours(tables, folder):
    from ckanext.anonymize.engine import Engine
    from ckanext.anonymize.engine.nlp import _models

    _models.clear()  # load time counts
    t0 = time.perf_counter()
    engine = Engine()
    outputs, reports = {}, {}
    for t in tables:
        src = os.path.join(folder, t.name)
        dst = os.path.join(folder, "ours-" + t.name)
        reports[t.name] = engine.scrub_file(src, dst).to_dict()
    seconds = time.perf_counter() - t0
    for t in tables:
        outputs[t.name] = read_rows(os.path.join(folder, "ours-" + t.name), t.name)
    return outputs, seconds, reports, engine.analyzer.stats


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    from the parent across exec, so a child would report the benchmark parent's peak."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed_run(rows: int, folder: str) -> dict:
    """Child process: write an N-row × 10-column CSV, then time scrubbing it (model load included)."""
    import csv

    src = os.path.join(folder, f"speed-{rows}.csv")
    with open(src, "w", encoding="cp932", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(corpus.big_rows(7, rows))
    size = os.path.getsize(src)
    from ckanext.anonymize.engine import Engine

    t0 = time.perf_counter()
    dst = os.path.join(folder, f"speed-{rows}-out.csv")
    report = Engine().scrub_file(src, dst)
    seconds = time.perf_counter() - t0
    peak_mb = peak_rss_mb()
    os.unlink(src)
    os.unlink(dst)
    return {
        "rows": rows,
        "columns": 10,
        "cells": rows * 10,
        "bytes": size,
        "seconds": seconds,
        "cells_per_s": rows * 10 / seconds,
        "peak_rss_mb": peak_mb,
        "policies": {c["name"]: c["policy"] for c in report.to_dict()["sheets"][0]["columns"]},
        "totals": report.to_dict()["totals"],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckan-ini", help="ignored (the engine needs no CKAN)")
    ap.add_argument(
        "--out",
        default=None,
        help="results JSON (default artifacts/bench/anonymize.json; "
        "anonymize-irregular.json with --only-irregular, anonymize-heldout.json "
        "with --only-heldout)",
    )
    ap.add_argument("--rows", type=int, default=100_000, help="rows of the speed-run CSV (0: skip)")
    ap.add_argument("--scale", type=float, default=1.0, help="size of the quality corpus")
    ap.add_argument("--baseline-rows", type=int, default=30, help="rows per file for the baselines")
    ap.add_argument("--skip-baselines", action="store_true")
    ap.add_argument("--workdir", default=os.path.join(ROOT, "artifacts", "bench", "anonymize-corpus"))
    ap.add_argument(
        "--irregular",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="score the held-out corpus of irregular files (default on)",
    )
    ap.add_argument("--only-irregular", action="store_true", help="run the irregular section only")
    ap.add_argument("--irregular-scale", type=float, default=1.0, help="size of the irregular corpus")
    ap.add_argument(
        "--heldout",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="score the blind held-out corpus (anonymize/heldout.py; default on)",
    )
    ap.add_argument(
        "--only-heldout",
        action="store_true",
        help="run the held-out section only (with --only-irregular: both, nothing else)",
    )
    ap.add_argument("--heldout-scale", type=float, default=1.0, help="size of the held-out corpus")
    ap.add_argument("--speed-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.out is None:
        name = {
            (True, False): "anonymize-irregular.json",
            (False, True): "anonymize-heldout.json",
            (True, True): "anonymize-irregular-heldout.json",
        }.get((args.only_irregular, args.only_heldout), "anonymize.json")
        args.out = os.path.join(ROOT, "artifacts", "bench", name)
    os.makedirs(args.workdir, exist_ok=True)
    if args.speed_child:
        print(json.dumps(speed_run(args.rows, args.workdir)))
        return 0
    if args.only_irregular or args.only_heldout:
        results = {}
        if args.only_irregular:
            results["irregular"] = run_irregular(args)
        if args.only_heldout:
            results["heldout"] = run_heldout(args)
        save(results, args.out)
        return 0

    tables = corpus.build(scale=args.scale)
    for t in tables:
        t.write(os.path.join(args.workdir, t.name))
    rnd = random.Random(11)
    subsets = {
        t.name: sorted(rnd.sample(range(len(t.rows)), min(args.baseline_rows, len(t.rows)))) for t in tables
    }
    results = {}

    ours_out, ours_s, reports, stats = run_ours(tables, args.workdir)
    full, per_file, misses = summarize(tables, ours_out)
    full["cells_per_s"] = full["cells"] / ours_s
    full["seconds"] = ours_s
    sub, _, _ = summarize(
        tables, {t.name: [ours_out[t.name][r] for r in subsets[t.name]] for t in tables}, subsets
    )
    results["ours"] = {
        "full": full,
        "subset": sub,
        "per_file": per_file,
        "misses": misses[:50],
        "layouts": {n: r["layout"] for n, r in reports.items()},
        "stats": stats,
    }

    if not args.skip_baselines:
        from anonymize import baselines

        analyzer, load_s = baselines.build_analyzer()
        rows = {t.name: [t.rows[r] for r in subsets[t.name]] for t in tables}
        headers = {t.name: t.header for t in tables}
        out, secs = baselines.plain_presidio(analyzer, rows)
        agg, pf, miss = summarize(tables, out, subsets)
        agg.update(cells_per_s=agg["cells"] / secs, seconds=secs, load_seconds=load_s)
        results["plain_presidio"] = {"subset": agg, "per_file": pf, "misses": miss[:20]}
        out, secs = baselines.presidio_structured(analyzer, headers, rows)
        agg, pf, miss = summarize(tables, out, subsets)
        agg.update(cells_per_s=agg["cells"] / secs, seconds=secs)
        results["presidio_structured"] = {"subset": agg, "per_file": pf, "misses": miss[:20]}

    if args.rows:
        proc = subprocess.run(
            [
                sys.executable,
                os.path.abspath(__file__),
                "--speed-child",
                "--rows",
                str(args.rows),
                "--workdir",
                args.workdir,
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return proc.returncode
        results["speed_run"] = json.loads(proc.stdout.strip().splitlines()[-1])

    print_table(results, args)
    if args.irregular:
        results["irregular"] = run_irregular(args)
    if args.heldout:
        results["heldout"] = run_heldout(args)
    save(results, args.out)
    return 0


def save(results, path) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)


def run_irregular(args) -> dict:
    """One engine over every irregular file, scored per layout; prints the table."""
    return _run_corpus(
        irregular,
        "irregular",
        f"irregular files (held-out corpus, scale {args.irregular_scale})",
        args.irregular_scale,
        args,
    )


def run_heldout(args) -> dict:
    """One engine over every file of the blind held-out corpus, scored per layout; prints the table."""
    from anonymize import heldout

    return _run_corpus(
        heldout,
        "heldout",
        f"blind held-out corpus (heldout.py, scale {args.heldout_scale})",
        args.heldout_scale,
        args,
    )


def _run_corpus(module, folder, title, scale, args) -> dict:
    """Generate the module's corpus under workdir/folder, scrub it with one engine, score, print."""
    from ckanext.anonymize.engine import Engine

    t0 = time.perf_counter()
    result = module.evaluate(Engine(), os.path.join(args.workdir, folder), scale=scale)
    result["wall_seconds"] = time.perf_counter() - t0
    print()
    print(
        f"{title}: one engine, "
        f"{result['seconds']:.1f} s scrubbing (GiNZA load included unless an earlier section loaded it), "
        f"{result['wall_seconds']:.1f} s with generation and scoring"
    )
    print(irregular.format_table(result))
    # Keep the JSON readable: the first misses and alterations only (all synthetic values).
    result["misses"], result["alterations"] = result["misses"][:100], result["alterations"][:100]
    return result


def print_table(results, args) -> None:
    def line(name, r, note):
        print(
            f"{name:<28} {r['recall']:>10.4f} {r['damage'] * 100:>13.2f}% "
            f"{r.get('cells_per_s', float('nan')):>11.0f}  {note}"
        )

    print()
    print(f"{'system':<28} {'PII removed':>10} {'must-stay altered':>14} {'cells/s':>11}  measured on")
    ours = results["ours"]
    line(
        "ours (whole corpus)",
        ours["full"],
        f"{ours['full']['cells']:,} cells, {ours['full']['pii']:,} PII values, GiNZA load included",
    )
    sub = dict(ours["subset"], cells_per_s=ours["full"]["cells_per_s"])
    line("ours (baseline subset)", sub, f"{sub['cells']:,} cells (same rows as the baselines)")
    for key, name in (
        ("plain_presidio", "plain Presidio, per cell"),
        ("presidio_structured", "presidio-structured"),
    ):
        if key in results:
            r = results[key]["subset"]
            line(name, r, f"{r['cells']:,} cells ({args.baseline_rows} rows per file), model load excluded")
    if "plain_presidio" in results:
        ratio = ours["full"]["cells_per_s"] / results["plain_presidio"]["subset"]["cells_per_s"]
        print(f"\nspeed: ours / plain Presidio = {ratio:.1f}x (target >= 20x)")
    if "speed_run" in results:
        s = results["speed_run"]
        print(
            f"speed run: {s['rows']:,} rows x {s['columns']} columns ({s['bytes'] / 1e6:.1f} MB, CP932) "
            f"in {s['seconds']:.1f} s = {s['cells_per_s']:,.0f} cells/s (target < 120 s); "
            f"peak RSS {s['peak_rss_mb']:.0f} MB (target < 1024 MB)"
        )
    print(f"layouts: {ours['layouts']}")
    for name, pf in ours["per_file"].items():
        print(
            f"  {name:<20} PII {pf['pii_removed']}/{pf['pii']}  must-stay altered {pf['must_stay_altered']}/{pf['must_stay']}"
        )
    if ours["misses"]:
        print("ours, first misses (synthetic values):", "; ".join(ours["misses"][:10]))


if __name__ == "__main__":
    sys.exit(main())
