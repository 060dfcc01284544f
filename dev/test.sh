#!/usr/bin/env bash
# Run the whole test suite (or pytest ARGS) against the local services with test.ini.
# Called by `make test`, after the Python environment and the services are up.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p .dev/storage-test artifacts
if [ -n "${TEST_SANDBOX:-}" ]; then
  # Own databases, Solr documents (by site id), Redis database and storage for this run.
  bash dev/services.sh sandbox "$TEST_SANDBOX"
  pg="postgresql://%s@127.0.0.1:${DEV_PG_PORT:-5433}/%s_test_$TEST_SANDBOX"
  export CKAN_SQLALCHEMY_URL="$(printf "$pg" ckan:ckan ckan)"
  export CKAN_DATASTORE_WRITE_URL="$(printf "$pg" datastore_rw:datastore datastore)"
  export CKAN_DATASTORE_READ_URL="$(printf "$pg" datastore_ro:datastore datastore)"
  export CKAN_SITE_ID="gifu-test-$TEST_SANDBOX"
  export CKAN_REDIS_URL="redis://127.0.0.1:${DEV_REDIS_PORT:-6380}/${TEST_REDIS_DB:-2}"
  export CKAN_STORAGE_PATH="$ROOT/.dev/storage-test-$TEST_SANDBOX"
  mkdir -p "$CKAN_STORAGE_PATH"
fi
CKAN=(.venv/bin/ckan -c test.ini)
# CKAN's pytest plugin builds the app at session start: the schema must exist before it does.
"${CKAN[@]}" db init >/dev/null
"${CKAN[@]}" db upgrade >/dev/null
exec .venv/bin/python -m pytest --ckan-ini=test.ini "$@"
