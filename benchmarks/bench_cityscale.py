"""City scale: 200 resources with subject columns, 100 opt-outs filed within a minute (scope
"all"), two real jobs workers. How long until every public copy is correct, how many
derivations each resource went through, how much memory a worker needs — for the design in use
(an opt-out filters the scrubbed cache again) and for the design it replaced (every
re-derivation scans the original again), side by side in one run.

    make bench ARGS="cityscale"
    .venv/bin/python benchmarks/bench_cityscale.py --resources 200 --mb 1 --optouts 100

Runs against the dev services with test.ini (the test databases: do not run it while the tests
run). Setup (uploading and scrubbing every resource once, then approving it) is not timed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from real_parts import Worker, _marked  # noqa: E402

PER_DATASET = 5
FAMILY = ["長良", "金華", "鵜飼", "岐阜", "加納", "本荘", "則武", "芥見", "日野", "黒野"]
GIVEN = ["花子", "一郎", "三郎", "美咲", "健太", "由紀", "翔太", "陽子", "大輔", "千代", "直樹", "真綾"]


def people(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = set()
    while len(out) < n:
        name = f"{rng.choice(FAMILY)}{rng.choice(GIVEN)}{rng.randint(1, 99_999):05d}"
        out.add((name, f"19{rng.randint(30, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
    return sorted(out)


def resource_csv(pool: list, optouts: list, mb: float, seed: int) -> bytes:
    """An award list of ``mb`` MB: residents from the pool, a few of the opt-out residents."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["氏名", "生年月日", "住所", "電話番号", "受賞名", "備考"])
    size, n = 0, 0
    target = int(mb * 1024 * 1024)
    while size < target:
        name, born = rng.choice(optouts) if n % 50 == 7 else rng.choice(pool)
        row = [
            name,
            born,
            f"岐阜市司町{rng.randint(1, 3000)}番地",
            f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            rng.choice(["市民文化賞", "スポーツ功労賞", "善行賞"]),
            rng.choice(["", "表彰式に出席", f"{name}様より電話あり"]),
        ]
        writer.writerow(row)
        size += len(",".join(row).encode("utf-8")) + 2
        n += 1
    return out.getvalue().encode("utf-8")


# The replaced design, in the benchmark's workers only: no scrubbed cache, so every derivation
# (an opt-out's included) reads and scans the original again.
RESCAN = "import ckanext.anonymize.storage as s\ns.has_cache = lambda resource_id: False"


def start_workers(n: int, rescan: bool = False) -> list[Worker]:
    return [Worker({"ckan.plugins": "optout anonymize"}, prelude=RESCAN if rescan else "") for _ in range(n)]


class Memory:
    """Peak resident memory of each worker's processes (the worker and the horses it forks)."""

    def __init__(self, workers: list[Worker]):
        self.workers, self.peak = workers, dict.fromkeys(range(len(workers)), 0.0)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            for i, worker in enumerate(self.workers):
                for pid in [worker.proc.pid] + _marked(worker.folder):
                    try:
                        status = Path(f"/proc/{pid}/status").read_text()
                        for line in status.splitlines():
                            if line.startswith("VmRSS:"):
                                self.peak[i] = max(self.peak[i], int(line.split()[1]) / 1024)
                    except OSError:
                        pass


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckan-ini", default=str(ROOT / "test.ini"))
    ap.add_argument("--out", default=str(ROOT / "artifacts" / "bench" / "cityscale.json"))
    ap.add_argument("--resources", type=int, default=200)
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--optouts", type=int, default=100)
    ap.add_argument("--window", type=float, default=60.0, help="seconds over which the opt-outs arrive")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--designs", default="filter,rescan")
    args = ap.parse_args(argv)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(args.ckan_ini)
    conf["ckan.plugins"] = "optout anonymize"
    conf["ckanext.anonymize.sync_max_bytes"] = "0"  # every derivation in a job
    conf["ckanext.optout.rate_limit.request"] = "100000"
    app = make_app(conf)
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    with flask_app.test_request_context():
        return run(args)


def run(args) -> int:
    import ckan.lib.jobs as jobs
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa
    from werkzeug.datastructures import FileStorage

    from ckanext.anonymize import public
    from ckanext.anonymize.model import AuditEntry, ResourceState

    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    ctx = lambda: {"user": site, "ignore_auth": True}  # noqa: E731
    stamp = str(int(time.time()))
    pool = people(5000, 1)
    optout_people = people(args.optouts * 2, 2)[: args.optouts * 2]
    jobs.get_queue().empty()
    # An earlier run's resources would be re-derived too (opt-outs with scope "all"): purge them.
    for (name,) in model.Session.query(model.Package.name).filter(model.Package.name.like("city-%")).all():
        tk.get_action("dataset_purge")(ctx(), {"id": name})
    org = tk.get_action("organization_create")(ctx(), {"name": f"city-{stamp}"})
    print(f"setup: {args.resources} resources of {args.mb} MB …", flush=True)
    resources = []
    t0 = time.perf_counter()
    for n in range(args.resources):
        if n % PER_DATASET == 0:  # a city's registers: a few resources per dataset
            dataset = tk.get_action("package_create")(
                ctx(), {"name": f"city-{stamp}-{n // PER_DATASET}", "owner_org": org["id"]}
            )
        data = resource_csv(pool, optout_people, args.mb, seed=n)
        res = tk.get_action("resource_create")(
            ctx(),
            {
                "package_id": dataset["id"],
                "name": f"r{n}",
                "upload": FileStorage(io.BytesIO(data), f"r{n}.csv"),
            },
        )
        tk.get_action("optout_resource_configure")(
            ctx(), {"resource_id": res["id"], "subject_columns": {"name": "氏名", "birth_date": "生年月日"}}
        )
        state = ResourceState.get(res["id"])
        state.columns = {"氏名": "keep"}  # names are public: pending opt-outs match them
        model.Session.commit()
        resources.append(res["id"])
        if (n + 1) % 50 == 0:
            print(f"  {n + 1} uploaded ({time.perf_counter() - t0:.0f} s)", flush=True)
    workers = start_workers(args.workers)
    try:

        def settled(statuses) -> bool:
            model.Session.remove()
            rows = (
                model.Session.query(ResourceState.status)
                .filter(ResourceState.resource_id.in_(resources))
                .all()
            )
            return all(s in statuses for (s,) in rows)

        def wait(statuses, timeout=7200) -> None:
            deadline = time.monotonic() + timeout
            while not settled(statuses):
                if time.monotonic() > deadline:
                    raise SystemExit("setup did not settle")
                time.sleep(1)

        wait(("review", "blocked", "published", "failed"))
        failed = (
            model.Session.query(ResourceState)
            .filter(ResourceState.resource_id.in_(resources), ResourceState.status == "failed")
            .count()
        )
        if failed:
            raise SystemExit(f"{failed} resources failed to derive in the setup")
        for rid in resources:
            state = ResourceState.get(rid)
            if state.status in ("review", "blocked"):
                tk.get_action("anonymize_resource_publish")(ctx(), {"id": rid, "override_block": True})
        setup_s = time.perf_counter() - t0
        print(f"setup done in {setup_s:.0f} s", flush=True)

        results = {
            "resources": args.resources,
            "mb": args.mb,
            "optouts": args.optouts,
            "workers": args.workers,
            "setup_seconds": round(setup_s),
            "designs": {},
        }
        designs = args.designs.split(",")
        for d, design in enumerate(designs):
            batch = optout_people[d * args.optouts : (d + 1) * args.optouts]
            for worker in workers:
                worker.stop()
            workers = start_workers(args.workers, rescan=design == "rescan")
            memory = Memory(workers)
            since = model.Session.query(sa.func.max(AuditEntry.id)).scalar() or 0
            start = time.perf_counter()
            for i, (name, born) in enumerate(batch):
                due = start + args.window * i / max(len(batch), 1)
                time.sleep(max(0.0, due - time.perf_counter()))
                tk.get_action("optout_request_create")(
                    {"user": "", "ignore_auth": True}, {"subject": {"name": name, "birth_date": born}}
                )
            filed_s = time.perf_counter() - start
            gone = {name for name, _ in optout_people[: (d + 1) * args.optouts]}

            def correct(gone: set[str] = gone) -> bool:
                tk.get_action("anonymize_sweep")(ctx(), {})
                if not settled(("published",)):
                    return False
                upload = public.next_uploader({"url": ""})
                for rid in resources:
                    with open(upload.get_path(rid), encoding="utf-8") as f:
                        if any(name in f.read() for name in gone):
                            return False
                return True

            while not correct():
                time.sleep(2)
            total = time.perf_counter() - start
            memory.stop.set()
            derived = dict(
                model.Session.query(AuditEntry.resource_id, sa.func.count())
                .filter(AuditEntry.id > since, AuditEntry.action == "derived")
                .group_by(AuditEntry.resource_id)
                .all()
            )
            counts = [derived.get(rid, 0) for rid in resources]
            results["designs"][design] = {
                "filing_seconds": round(filed_s, 1),
                "seconds_to_correct": round(total, 1),
                "derivations_per_resource": {
                    "mean": round(statistics.mean(counts), 2),
                    "max": max(counts),
                    "min": min(counts),
                },
                "peak_rss_mb_per_worker": {str(i): round(v) for i, v in memory.peak.items()},
            }
            print(json.dumps({design: results["designs"][design]}, ensure_ascii=False), flush=True)
    finally:
        for worker in workers:
            worker.stop()

    print()
    print(
        f"{args.resources} resources × {args.mb} MB, {args.optouts} opt-outs in {args.window:.0f} s, "
        f"{args.workers} workers"
    )
    print(f"{'design':<10} {'to correct':>11} {'derivations/resource':>22} {'peak RSS/worker':>16}")
    for design, r in results["designs"].items():
        print(
            f"{design:<10} {r['seconds_to_correct']:>10.0f}s {r['derivations_per_resource']['mean']:>14.2f} "
            f"(max {r['derivations_per_resource']['max']}) {max(r['peak_rss_mb_per_worker'].values()):>12} MB"
        )
    if {"filter", "rescan"} <= set(results["designs"]):
        ratio = (
            results["designs"]["rescan"]["seconds_to_correct"]
            / results["designs"]["filter"]["seconds_to_correct"]
        )
        results["rescan_over_filter"] = round(ratio, 1)
        print(f"re-scan / filter = {ratio:.1f}x")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
