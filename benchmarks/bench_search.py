"""Japanese search relevance and latency: CKAN's stock Solr schema vs the gifu schema, same Solr.

    .venv/bin/python benchmarks/bench_search.py --ckan-ini test.ini --out artifacts/bench/search.json

Loads the demo catalogue plus distractors (benchmarks/search/relevance.yaml) into a benchmark
database of its own (sandbox ``gifubench``, site id ``gifu-bench``), indexes the same datasets into
core ``ckan`` (gifu schema, as CKAN indexes them) and into a core ``ckan_stock`` (CKAN's stock
schema, created beside it), then runs every query through ``package_search`` on each: the stock
side with stock CKAN's query parameters, ours with the gifu plugin's. Reports recall@10 and MRR@10
per kind of query, and package_search latency p50/p95.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
SANDBOX = "gifubench"
PLUGINS = "gifu scheming_datasets dcat"
ROUNDS = 5  # timed passes over all queries (after one warm-up pass)


def bench_environment(ini: str) -> None:
    """Own databases, site id, Redis db and storage, as dev/test.sh does for a sandbox."""
    subprocess.run(
        ["bash", str(ROOT / "dev" / "services.sh"), "sandbox", SANDBOX], check=True, stdout=subprocess.DEVNULL
    )
    pg = "postgresql://{}@127.0.0.1:" + os.environ.get("DEV_PG_PORT", "5433") + "/{}_test_" + SANDBOX
    os.environ.update(
        {
            "CKAN_SQLALCHEMY_URL": pg.format("ckan:ckan", "ckan"),
            "CKAN_DATASTORE_WRITE_URL": pg.format("datastore_rw:datastore", "datastore"),
            "CKAN_DATASTORE_READ_URL": pg.format("datastore_ro:datastore", "datastore"),
            "CKAN_SITE_ID": "gifu-bench",
            "CKAN_REDIS_URL": f"redis://127.0.0.1:{os.environ.get('DEV_REDIS_PORT', '6380')}/4",
            "CKAN_STORAGE_PATH": str(ROOT / ".dev" / "storage-bench"),
        }
    )
    os.makedirs(os.environ["CKAN_STORAGE_PATH"], exist_ok=True)
    ckan = [str(ROOT / ".venv" / "bin" / "ckan"), "-c", ini]
    subprocess.run(ckan + ["db", "init"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_ckan_app(ini: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(ini)
    conf["ckan.plugins"] = PLUGINS
    return make_app(conf)


def load_corpus(spec: dict) -> int:
    import ckan.plugins.toolkit as tk

    from ckanext.gifu.demo import catalogue, loader, places

    loader.load_demo()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    org = tk.get_action("organization_show")(
        {"user": site_user}, {"id": tk.config["ckanext.gifu.demo.organization"]}
    )
    distractors = spec["distractors"]
    count = 0
    for district in places.DISTRICTS[: distractors["districts"]]:
        for topic in distractors["topics"]:
            name = f"bench-{topic['name']}-{count:03d}"
            count += 1
            try:
                tk.get_action("package_show")({"user": site_user}, {"id": name})
                continue
            except tk.ObjectNotFound:
                pass
            tk.get_action("package_create")(
                {"user": site_user},
                {
                    "name": name,
                    "title": f"{district}地区 {topic['title']}",
                    "owner_org": org["id"],
                    "notes": f"{district}地区の{topic['notes']}",
                    "license_id": "CC-BY-4.0",
                    "frequency": "annual",
                    "contact_name": "岐阜市 市民協働推進部",
                    "tags": [{"name": "地区別"}],
                },
            )
    return len(catalogue.DATASETS) + count


def index_into(solr_url: str) -> None:
    import ckan.lib.search as search
    import ckan.plugins.toolkit as tk

    tk.config["solr_url"] = solr_url
    search.rebuild(force=True, clear=True, quiet=True, defer_commit=True)
    search.commit()


def run_queries(queries: list[dict], solr_url: str, tuned: bool) -> dict:
    import ckan.plugins.toolkit as tk

    tk.config["solr_url"] = solr_url
    # Off: exactly stock CKAN's query (its qf/mm on its schema). On: the gifu plugin's query tuning.
    tk.config["ckanext.gifu.search.tune_query"] = tuned
    search = tk.get_action("package_search")

    def ask(q):
        result = search({"ignore_auth": True}, {"q": q, "rows": 10})
        return [d["name"] for d in result["results"]], result["count"]

    for query in queries:  # warm-up: caches, JIT
        ask(query["q"])
    latencies, per_query = [], []
    for round_ in range(ROUNDS):
        for query in queries:
            start = time.perf_counter()
            names, count = ask(query["q"])
            latencies.append((time.perf_counter() - start) * 1000)
            if round_ == 0:
                relevant = set(query["relevant"])
                hits = [i for i, name in enumerate(names, 1) if name in relevant]
                per_query.append(
                    {
                        "q": query["q"],
                        "kind": query["kind"],
                        "top10": names,
                        "hits": count,
                        "recall_at_10": len(relevant & set(names)) / len(relevant),
                        "reciprocal_rank": 1 / hits[0] if hits else 0.0,
                    }
                )
    latencies.sort()
    return {
        "queries": per_query,
        "latency_ms": {
            "p50": statistics.median(latencies),
            "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)],
            "samples": len(latencies),
        },
    }


def summarise(result: dict) -> dict:
    by_kind: dict[str, list[dict]] = {}
    for q in result["queries"]:
        by_kind.setdefault(q["kind"], []).append(q)
    by_kind["all"] = result["queries"]
    return {
        kind: {
            "n": len(qs),
            "recall_at_10": statistics.mean(q["recall_at_10"] for q in qs),
            "mrr": statistics.mean(q["reciprocal_rank"] for q in qs),
            "mean_hits": statistics.mean(q["hits"] for q in qs),
        }
        for kind, qs in by_kind.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ckan-ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "bench" / "search.json"))
    parser.add_argument("--solr", default=None, help="Solr base URL (default: solr_url's base from the ini)")
    args = parser.parse_args()

    spec = yaml.safe_load((HERE / "search" / "relevance.yaml").read_text(encoding="utf-8"))
    bench_environment(args.ckan_ini)
    app = make_ckan_app(args.ckan_ini)

    import ckan.plugins.toolkit as tk

    sys.path.insert(0, str(HERE))
    from search.stock_core import ensure_stock_core

    with app._wsgi_app.test_request_context():
        ours_url = tk.config["solr_url"].rstrip("/")
        solr_base = args.solr or ours_url.rsplit("/", 1)[0]
        stock_url = ensure_stock_core(solr_base)
        t0 = time.perf_counter()
        tk.config["solr_url"] = ours_url
        size = load_corpus(spec)
        t1 = time.perf_counter()
        index_into(ours_url)
        index_into(stock_url)
        print(
            f"corpus: {size} datasets (loaded in {t1 - t0:.1f}s), "
            f"indexed into both cores in {time.perf_counter() - t1:.1f}s"
        )
        results = {
            "stock": run_queries(spec["queries"], stock_url, tuned=False),
            "gifu": run_queries(spec["queries"], ours_url, tuned=True),
        }
        tk.config["solr_url"] = ours_url

    summary = {side: summarise(r) for side, r in results.items()}
    kinds = list(summary["gifu"])
    print("\n            recall@10        MRR@10      mean hits")
    print(
        f"{'kind':<10}{'n':>3}  {'stock':>6} {'gifu':>6}  {'stock':>6} {'gifu':>6}  {'stock':>6} {'gifu':>6}"
    )
    for kind in kinds:
        s, g = summary["stock"][kind], summary["gifu"][kind]
        print(
            f"{kind:<10}{g['n']:>3}  {s['recall_at_10']:>6.3f} {g['recall_at_10']:>6.3f}  {s['mrr']:>6.3f} {g['mrr']:>6.3f}"
            f"  {s['mean_hits']:>6.1f} {g['mean_hits']:>6.1f}"
        )
    print(f"\n{'latency (package_search, ms)':<30}{'p50':>8}{'p95':>8}")
    for side in ("stock", "gifu"):
        lat = results[side]["latency_ms"]
        print(f"{side:<30}{lat['p50']:>8.1f}{lat['p95']:>8.1f}")
    missed = [q for q in results["gifu"]["queries"] if q["recall_at_10"] < 1]
    for q in missed:
        print(f"gifu misses: {q['q']!r} recall {q['recall_at_10']:.2f} top: {q['top10'][:5]}")

    goal = summary["gifu"]["all"]["recall_at_10"] >= 0.95
    print(f"\ngoal recall@10 >= 0.95 with the gifu schema: {'met' if goal else 'NOT met'}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "corpus_size": size,
                "rounds": ROUNDS,
                "summary": summary,
                "results": results,
                "goal_recall_at_10": 0.95,
                "goal_met": goal,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0 if goal else 1


if __name__ == "__main__":
    sys.exit(main())
