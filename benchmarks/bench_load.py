"""Load: the public pages and the action API under bounded concurrent load on loopback, while
the jobs worker re-derives resources (opt-outs keep arriving): requests per second, p50/p95 per
page, errors. The portal runs in uWSGI as in the Docker image (two processes), with the demo
catalogue; the load comes from Locust in headless mode.

    make bench ARGS="load"
    .venv/bin/python benchmarks/bench_load.py --users 20 --seconds 60

Runs against the dev services with test.ini (the test databases: not while the tests run).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from real_parts import Worker, free_port  # noqa: E402

BIN = Path(sys.executable).parent

LOCUSTFILE = """
import random
from locust import HttpUser, between, task

class Resident(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        # uWSGI's HTTP router closes each connection after its response (no keep-alive; nginx
        # does that in the Docker image): a request sent on a pooled connection it closed would
        # fail on the client's side. One connection per request, as through nginx to uWSGI (the
        # server says "Connection: close" too: without it the client pooled the connection anyway
        # and 0.4 to 0.6 % of requests failed with a reset or RemoteDisconnected).
        self.client.headers["Connection"] = "close"
        self.datasets = self.client.get("/api/3/action/package_search?rows=50", name="api package_search").json()["result"]["results"]

    @task(4)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(4)
    def search(self):
        self.client.get("/dataset/?q=" + random.choice(["人口", "避難所", "AED", "子育て", "公園"]), name="/dataset/?q=")

    @task(4)
    def dataset(self):
        d = random.choice(self.datasets)
        self.client.get("/dataset/" + d["name"], name="/dataset/<name>")

    @task(2)
    def notices(self):
        self.client.get("/optout/notices", name="/optout/notices")

    @task(3)
    def api_search(self):
        self.client.get("/api/3/action/package_search?q=" + random.choice(["人口", "岐阜", "施設"]), name="api package_search")

    @task(1)
    def opt_out(self):
        # A resident on the public form (nobody in the catalogue: it re-derives nothing by itself).
        self.client.post("/api/3/action/optout_request_create", name="api optout_request_create",
                         json={"subject": {"name": "負荷 試験%05d" % random.randint(0, 99999),
                                           "birth_date": "平成%d年%d月%d日" % (random.randint(1, 30), random.randint(1, 12), random.randint(1, 28))}})

    @task(3)
    def api_show(self):
        d = random.choice(self.datasets)
        self.client.get("/api/3/action/package_show?id=" + d["id"], name="api package_show")
"""


def wait_http(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckan-ini", default=str(ROOT / "test.ini"))
    ap.add_argument("--out", default=str(ROOT / "artifacts" / "bench" / "load.json"))
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--spawn-rate", type=float, default=5)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--processes", type=int, default=2)
    # Locust has a virtualenv of its own: its gevent and setuptools pins must not move CKAN's.
    ap.add_argument("--locust", default=str(ROOT / ".dev" / "locust" / "bin" / "locust"))
    args = ap.parse_args(argv)
    for tool in (BIN / "uwsgi", Path(args.locust)):
        if not tool.exists():
            raise SystemExit(f"{tool} is missing (make bench ARGS=load installs uWSGI and Locust)")

    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    plugins = "gifu scheming_datasets dcat optout anonymize"
    ini = folder / "portal.ini"
    ini.write_text(
        "\n".join(
            [
                "[app:main]",
                f"use = config:{Path(args.ckan_ini).resolve()}",
                f"ckan.plugins = {plugins}",
                f"ckan.site_url = {site}",
                "ckanext.optout.rate_limit.request = 100000",
                "debug = false",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    ckan = [str(BIN / "ckan"), "-c", str(ini)]
    print("loading the demo catalogue …", flush=True)
    subprocess.run(ckan + ["gifu", "load-demo"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run(ckan + ["search-index", "rebuild"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wsgi = folder / "wsgi.py"
    wsgi.write_text(
        f"from ckan.config.middleware import make_app\nfrom ckan.cli import load_config\n"
        f"application = make_app(load_config({str(ini)!r}))\n",
        encoding="utf-8",
    )
    with open(folder / "uwsgi.log", "wb") as log:  # uWSGI keeps its own descriptor
        server = subprocess.Popen(
            [
                str(BIN / "uwsgi"),
                "--http",
                f"127.0.0.1:{port}",
                "--wsgi-file",
                str(wsgi),
                "--master",
                "--enable-threads",
                "--lazy-apps",
                "--processes",
                str(args.processes),
                "--buffer-size",
                "32768",
                "--disable-logging",
                "--die-on-term",
                # Say so in every response: a client that sees no "Connection: close" puts the
                # connection back in its pool, and the next request on it races the close.
                "--add-header",
                "Connection: close",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = Worker({"ckan.plugins": plugins, "ckan.site_url": site})
    stop = threading.Event()
    churn = {"rescrubs": 0}
    busy = None
    try:
        wait_http(site + "/api/3/action/status_show")

        # A sysadmin token and the demo's resources with personal records, before the load starts.
        quiet = {"cwd": ROOT, "capture_output": True, "text": True}
        subprocess.run(
            ckan + ["user", "add", "bench-admin", "email=bench@example.org", "password=bench-load-password"],
            **quiet,
        )
        subprocess.run(ckan + ["sysadmin", "add", "bench-admin"], **quiet)
        made = subprocess.run(ckan + ["user", "token", "add", "bench-admin", "bench-load"], **quiet)
        if made.returncode != 0:
            raise SystemExit(f"could not make an API token: {made.stderr[-500:]}")
        token = made.stdout.strip().splitlines()[-1].strip()
        ids = []
        for name in ("civic-award-recipients", "disaster-volunteer-register", "barber-beauty-shops-holders"):
            req = urllib.request.Request(
                f"{site}/api/3/action/package_show?id={name}", headers={"Authorization": token}
            )
            ids += [
                r["id"] for r in json.load(urllib.request.urlopen(req, timeout=60))["result"]["resources"]
            ]
        if not ids:
            raise SystemExit("the demo catalogue has no resources with personal records to re-derive")

        def keep_jobs_busy() -> None:
            """Re-derive the demo's resources with personal records again and again, as opt-outs
            arriving would (the worker is busy for the whole measurement)."""
            while not stop.wait(2.0):
                for rid in ids:
                    req = urllib.request.Request(
                        f"{site}/api/3/action/anonymize_resource_rescrub",
                        data=json.dumps({"id": rid, "background": True}).encode(),
                        headers={"Content-Type": "application/json", "Authorization": token},
                    )
                    try:
                        urllib.request.urlopen(req, timeout=60)
                        churn["rescrubs"] += 1
                    except Exception as err:  # noqa: BLE001 - counted and reported
                        churn["refused"] = churn.get("refused", 0) + 1
                        churn["last_error"] = repr(err)

        busy = threading.Thread(target=keep_jobs_busy, daemon=True)
        busy.start()
        (folder / "locustfile.py").write_text(LOCUSTFILE, encoding="utf-8")
        prefix = folder / "locust"
        subprocess.run(
            [
                args.locust,
                "-f",
                str(folder / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.seconds}s",
                "--host",
                site,
                "--csv",
                str(prefix),
                "--only-summary",
            ],
            check=False,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stop.set()
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
            rows = list(csv.DictReader(stats))
        with open(f"{prefix}_failures.csv", encoding="utf-8") as failures:
            failed = [
                {"page": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                for row in csv.DictReader(failures)
            ]
    finally:
        stop.set()
        if busy is not None:
            busy.join(timeout=120)  # no re-derivation asked of a server that is stopping
        worker.stop()
        server.terminate()
        server.wait(timeout=30)

    result = {
        "users": args.users,
        "seconds": args.seconds,
        "uwsgi_processes": args.processes,
        "rescrubs_during_load": churn["rescrubs"],
        "rescrubs_refused": churn.get("refused", 0),
        "failures": failed,
        "pages": {},
    }
    print(
        f"\n{args.users} users for {args.seconds} s against uWSGI ({args.processes} processes) while the worker "
        f"re-derived ({churn['rescrubs']} re-derivations asked)"
    )
    print(f"{'page':<26} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        name = row["Name"]
        entry = {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50_ms": int(float(row["50%"] or 0)),
            "p95_ms": int(float(row["95%"] or 0)),
        }
        result["pages"][name] = entry
        print(
            f"{name:<26} {entry['requests']:>9} {entry['errors']:>7} {entry['rps']:>7} {entry['p50_ms']:>7} "
            f"{entry['p95_ms']:>7}"
        )
    for failure in failed:
        print(f"error: {failure['page']}: {failure['error']} ×{failure['count']}")
    if churn.get("refused"):
        print(f"re-derivations refused: {churn['refused']} (last: {churn['last_error']})")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.copy(folder / "uwsgi.log", Path(args.out).with_suffix(".uwsgi.log"))  # why a request failed
    shutil.rmtree(folder, ignore_errors=True)
    total = result["pages"].get("Aggregated", {})
    return 0 if total and total["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
