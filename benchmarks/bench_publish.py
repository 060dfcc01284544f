"""Upload to published derivative: how long a 10 MB CP932 CSV of synthetic residents takes through
the real CKAN stack (resource_create → closed original → background job → review → publish).

    make bench ARGS="publish"          (.venv/bin/python benchmarks/bench_publish.py --mb 10)

Runs in-process against the dev services with test.ini (databases ckan_test / Redis db 1, so do
not run it while the tests run), with CKAN's own job worker in burst mode (SimpleWorker, no fork).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))


def make_csv(megabytes: float) -> bytes:
    from anonymize.corpus import big_rows

    # Just under the size, so it also fits CKAN's default upload limit (ckan.max_resource_size 10).
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    target = int(megabytes * 1024 * 1024) - 64 * 1024
    size = 0
    for row in big_rows(20261126, 10_000_000):
        writer.writerow(row)
        size += len(",".join(row).encode("cp932", "replace")) + 2
        if size >= target:
            break
    return out.getvalue().encode("cp932", "replace")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ckan-ini", default="test.ini")
    ap.add_argument("--out", default="artifacts/bench/publish.json")
    ap.add_argument("--mb", type=float, default=10.0)
    args = ap.parse_args()

    data = make_csv(args.mb)
    rows = data.count(b"\r\n") - 1

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(args.ckan_ini)
    conf["ckan.plugins"] = "anonymize"
    app = make_app(conf)
    flask_app = app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app
    with flask_app.test_request_context():
        import ckan.lib.jobs as jobs
        import ckan.model as model
        import ckan.plugins.toolkit as tk
        from werkzeug.datastructures import FileStorage

        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        ctx = lambda: {"user": site, "ignore_auth": True}  # noqa: E731
        stamp = str(int(time.time()))
        org = tk.get_action("organization_create")(ctx(), {"name": f"bench-org-{stamp}"})
        ds = tk.get_action("package_create")(
            ctx(), {"name": f"bench-publish-{stamp}", "owner_org": org["id"]}
        )
        queue = jobs.get_queue()
        queue.empty()

        t0 = time.perf_counter()
        res = tk.get_action("resource_create")(
            ctx(),
            {
                "package_id": ds["id"],
                "name": "residents.csv",
                "upload": FileStorage(io.BytesIO(data), "residents.csv"),
            },
        )
        t_upload = time.perf_counter() - t0
        status = tk.get_action("anonymize_resource_status_show")(ctx(), {"id": res["id"]})["status"]
        worker = jobs.Worker()
        import rq

        rq.Worker.main_work_horse = rq.SimpleWorker.main_work_horse  # run the job in-process
        rq.Worker.execute_job = rq.SimpleWorker.execute_job
        worker.work(burst=True)
        model.Session.remove()
        t_derived = time.perf_counter() - t0
        status = tk.get_action("anonymize_resource_status_show")(ctx(), {"id": res["id"]})
        report = tk.get_action("anonymize_report_show")(ctx(), {"id": res["id"]})["report"]
        # The corpus holds My Numbers in free text, so the derivative is blocked until an editor
        # confirms: the benchmark confirms as that editor would.
        tk.get_action("anonymize_resource_publish")(
            ctx(), {"id": res["id"], "override_block": status["status"] == "blocked"}
        )
        t_published = time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "file_mb": round(len(data) / 1024 / 1024, 2),
        "rows": rows,
        "encoding": report.get("encoding"),
        "status_after_derivation": status["status"],
        "upload_s": round(t_upload, 2),
        "upload_to_derivative_s": round(t_derived, 2),
        "upload_to_published_s": round(t_published, 2),
        "peak_rss_mb": round(peak_mb),
        "totals": (report.get("stages", {}).get("scrub", {}) or {}).get("totals"),
    }
    print(f"{'file':<28}{result['file_mb']} MB CP932, {rows:,} rows x 10 columns")
    print(f"{'upload (closed original)':<28}{result['upload_s']} s")
    print(f"{'upload → derivative (job)':<28}{result['upload_to_derivative_s']} s  ({status['status']})")
    print(f"{'upload → published':<28}{result['upload_to_published_s']} s")
    print(f"{'peak RSS (whole process)':<28}{result['peak_rss_mb']} MB")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if status["status"] in ("review", "blocked") else 1


if __name__ == "__main__":
    sys.exit(main())
