"""A new opt-out with scope "all" withdraws every resource holding personal records while the
resident waits for the answer. The time of that withdrawal for N resources, side by side in one
run: one ``anonymize_resource_rescrub`` call and commit per resource (the design replaced) and
one ``anonymize_bulk_rescrub`` call; then ``optout_request_create`` end to end.

    make bench ARGS="withdraw"
    .venv/bin/python benchmarks/bench_withdraw.py --resources 200 --rounds 3

Runs against the dev services with test.ini (the test databases: do not run it while the tests
run). Setup (small uploads derived at once, no worker) is not timed; no job runs, the queue is
emptied before each round so that every round enqueues the same jobs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSV = "氏名,生年月日,受賞名\r\n長良花子,1950-01-02,市民文化賞\r\n金華一郎,1961-07-15,善行賞\r\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckan-ini", default=str(ROOT / "test.ini"))
    ap.add_argument("--out", default=str(ROOT / "artifacts" / "bench" / "withdraw.json"))
    ap.add_argument("--resources", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(args.ckan_ini)
    conf["ckan.plugins"] = "optout anonymize"
    conf["ckanext.optout.rate_limit.request"] = "100000"
    app = make_app(conf)
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    with flask_app.test_request_context():
        return run(args)


def run(args) -> int:
    import ckan.lib.jobs as jobs
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from werkzeug.datastructures import FileStorage

    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    ctx = lambda: {"user": site, "ignore_auth": True}  # noqa: E731
    for prefix in ("withdraw-", "city-"):  # earlier runs' resources would be withdrawn too
        for (name,) in model.Session.query(model.Package.name).filter(model.Package.name.like(f"{prefix}%")):
            tk.get_action("dataset_purge")(ctx(), {"id": name})
    stamp = str(int(time.time()))
    org = tk.get_action("organization_create")(ctx(), {"name": f"withdraw-{stamp}"})
    print(f"setup: {args.resources} resources …", flush=True)
    ids = []
    for n in range(args.resources):
        if n % 5 == 0:
            dataset = tk.get_action("package_create")(
                ctx(), {"name": f"withdraw-{stamp}-{n // 5}", "owner_org": org["id"]}
            )
        res = tk.get_action("resource_create")(
            ctx(),
            {
                "package_id": dataset["id"],
                "name": f"r{n}",
                "upload": FileStorage(io.BytesIO(CSV.encode()), f"r{n}.csv"),
            },
        )
        tk.get_action("optout_resource_configure")(
            ctx(), {"resource_id": res["id"], "subject_columns": {"name": "氏名", "birth_date": "生年月日"}}
        )
        ids.append(res["id"])

    def one_by_one() -> None:
        for rid in ids:
            tk.get_action("anonymize_resource_rescrub")(ctx(), {"id": rid, "background": True})

    def bulk() -> None:
        tk.get_action("anonymize_bulk_rescrub")(ctx(), {"ids": ids})

    def filing() -> None:
        tk.get_action("optout_request_create")(
            {"user": "", "ignore_auth": True}, {"subject": {"name": "岐阜太郎", "birth_date": "1960-01-01"}}
        )

    designs = {"one call per resource": one_by_one, "bulk": bulk, "optout_request_create": filing}
    times: dict[str, list[float]] = {name: [] for name in designs}
    for _ in range(args.rounds):
        for name, fn in designs.items():  # interleaved: the machine's load falls on every design
            jobs.get_queue().empty()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    jobs.get_queue().empty()

    results = {
        "resources": args.resources,
        "rounds": args.rounds,
        "seconds_median": {name: round(statistics.median(t), 3) for name, t in times.items()},
        "seconds_all": {name: [round(x, 3) for x in t] for name, t in times.items()},
    }
    med = results["seconds_median"]
    results["one_by_one_over_bulk"] = round(med["one call per resource"] / med["bulk"], 1)
    print(f"\nwithdrawing {args.resources} resources (median of {args.rounds} rounds)")
    for name, seconds in med.items():
        print(f"  {name:<24} {seconds:>7.2f} s  ({1000 * seconds / args.resources:.1f} ms per resource)")
    print(f"  one by one / bulk = {results['one_by_one_over_bulk']}x")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
