#!/usr/bin/env bash
# CKAN core's action and auth tests with the suite loaded (gifu optout anonymize), in their own
# databases (TEST_SANDBOX=ckancore): the suite must leave core's behaviour unchanged.
#   make test-ckan-core [ARGS="-k package"]
# A core test may fail here for reasons of the configuration rather than of the suite; each one
# that fails is run again on stock CKAN with the same settings (dev/test-ckan-core-stock.ini).
# Only a test that passes on stock CKAN and fails with the suite loaded fails this check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CORE="$(.venv/bin/python -c 'import ckan, os; print(os.path.dirname(ckan.__file__))')/tests"
export TEST_SANDBOX="${TEST_SANDBOX:-ckancore}" TEST_REDIS_DB="${TEST_REDIS_DB:-6}"
export PYTHONPATH="$ROOT/dev${PYTHONPATH:+:$PYTHONPATH}"
OUT="$ROOT/artifacts/ckan-core"
mkdir -p "$OUT"
PYTEST=(-p pytest_suite_loaded -p no:randomly -q --rootdir "$ROOT" -o addopts="--strict-markers -p no:cacheprovider")

echo "[ckan-core] CKAN core's tests with gifu optout anonymize loaded"
GIFU_CORE_FAILED="$OUT/failed-with-suite.txt" TEST_INI=dev/test-ckan-core.ini bash dev/test.sh "${PYTEST[@]}" \
  "$CORE/logic/action/test_create.py" "$CORE/logic/action/test_update.py" \
  "$CORE/logic/action/test_patch.py" "$CORE/logic/action/test_delete.py" \
  "$CORE/logic/auth" "$@" >"$OUT/with-suite.log" 2>&1 || true
tail -n 1 "$OUT/with-suite.log"
if [ ! -s "$OUT/failed-with-suite.txt" ]; then
  grep -q " passed" "$OUT/with-suite.log" || { tail -n 30 "$OUT/with-suite.log"; exit 1; }
  echo "[ckan-core] every test passed with the suite loaded"
  exit 0
fi
echo "[ckan-core] $(wc -l <"$OUT/failed-with-suite.txt") failed with the suite; the same tests on stock CKAN"
mapfile -t failed <"$OUT/failed-with-suite.txt"
GIFU_CORE_STOCK=1 GIFU_CORE_FAILED="$OUT/failed-stock.txt" TEST_INI=dev/test-ckan-core-stock.ini \
  bash dev/test.sh "${PYTEST[@]}" "${failed[@]}" >"$OUT/stock.log" 2>&1 || true
tail -n 1 "$OUT/stock.log"
grep -q " passed\| failed" "$OUT/stock.log" || { tail -n 30 "$OUT/stock.log"; exit 1; }
# Ids from ckan/tests/ on (the venv's path differs between machines); the intended differences
# are listed with their reason in dev/ckan-core-differences.txt.
ids() { sed 's|^.*\(ckan/tests/\)|\1|' "$1" | sort -u; }
intended() { grep -v '^#' dev/ckan-core-differences.txt | awk 'NF {print $1}' | sort -u; }
changed="$(comm -23 <(ids "$OUT/failed-with-suite.txt") <(ids "$OUT/failed-stock.txt"))"
unexpected="$(comm -23 <(echo "$changed" | sed '/^$/d') <(intended))"
on_purpose="$(comm -12 <(echo "$changed" | sed '/^$/d') <(intended))"
if [ -n "$on_purpose" ]; then
  echo "[ckan-core] different from stock CKAN on purpose (dev/ckan-core-differences.txt):"
  echo "$on_purpose" | sed 's/^/  /'
fi
if [ -n "$unexpected" ]; then
  echo "[ckan-core] these pass on stock CKAN and fail with the suite loaded (logs in $OUT):"
  echo "$unexpected" | sed 's/^/  /'
  exit 1
fi
echo "[ckan-core] no other difference from stock CKAN: $(wc -l <"$OUT/failed-stock.txt") tests fail on stock CKAN too with these settings"
