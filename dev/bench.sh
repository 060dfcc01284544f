#!/usr/bin/env bash
# Run every benchmark (benchmarks/bench_*.py) or the ones named: make bench ARGS="anonymize".
# Benchmarks print their tables on stdout and keep their raw results in artifacts/bench/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p artifacts/bench
shopt -s nullglob
selected=("$@")
status=0
for script in benchmarks/bench_*.py; do
  name="$(basename "$script" .py)"; name="${name#bench_}"
  if [ ${#selected[@]} -gt 0 ] && [[ ! " ${selected[*]} " =~ " $name " ]]; then continue; fi
  if [ "$name" = load ]; then
    if ! [ -x .venv/bin/uwsgi ]; then
      echo "[bench] installing uWSGI for the load benchmark (.[load])"
      .venv/bin/python -m pip --disable-pip-version-check -q install -e ".[load]"
    fi
    if ! [ -x .dev/locust/bin/locust ]; then
      echo "[bench] installing Locust in a virtualenv of its own (.dev/locust)"
      .venv/bin/python -m venv .dev/locust
      .dev/locust/bin/python -m pip --disable-pip-version-check -q install "locust==2.32.4"
    fi
  fi
  echo "=== benchmark: $name"
  .venv/bin/python "$script" --ckan-ini test.ini --out "artifacts/bench/$name.json" || status=$?
done
exit $status
