#!/usr/bin/env bash
# CKAN core's action and auth tests with the suite loaded (gifu optout anonymize), in their own
# databases (TEST_SANDBOX=ckancore): the suite must leave core's behaviour unchanged.
#   make test-ckan-core [ARGS="-k package"]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CORE="$(.venv/bin/python -c 'import ckan, os; print(os.path.dirname(ckan.__file__))')/tests"
export TEST_SANDBOX="${TEST_SANDBOX:-ckancore}" TEST_REDIS_DB="${TEST_REDIS_DB:-6}"
export PYTHONPATH="$ROOT/dev${PYTHONPATH:+:$PYTHONPATH}"
exec bash dev/test.sh -p pytest_suite_loaded -p no:randomly -q --rootdir "$ROOT" \
  -o addopts="--strict-markers -p no:cacheprovider" \
  "$CORE/logic/action/test_create.py" "$CORE/logic/action/test_update.py" \
  "$CORE/logic/action/test_patch.py" "$CORE/logic/action/test_delete.py" \
  "$CORE/logic/auth" "$@"
