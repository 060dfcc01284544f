#!/usr/bin/env bash
# Run the whole test suite (or pytest ARGS) against the local services with test.ini.
# Called by `make test`, after the Python environment and the services are up.
#   TEST_SANDBOX=name  own databases, Solr site id, Redis database (TEST_REDIS_DB) and storage,
#                      so several runs can share the services at once.
#   TEST_INI=file      another configuration (default test.ini; make test-ckan-core uses its own).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p artifacts

# Point CKAN at the dev services (the URLs in test.ini are the same for the default ports); an
# operator's own CKAN_* variables win.
suffix="" storage=".dev/storage-test"
if [ -n "${TEST_SANDBOX:-}" ]; then
  bash dev/services.sh sandbox "$TEST_SANDBOX"
  suffix="_$TEST_SANDBOX" storage=".dev/storage-test-$TEST_SANDBOX"
  export CKAN_SITE_ID="${CKAN_SITE_ID:-gifu-test-$TEST_SANDBOX}"
fi
pg="postgresql://%s@127.0.0.1:${DEV_PG_PORT:-5433}/%s_test$suffix"
export CKAN_SQLALCHEMY_URL="${CKAN_SQLALCHEMY_URL:-$(printf "$pg" ckan:ckan ckan)}"
export CKAN_DATASTORE_WRITE_URL="${CKAN_DATASTORE_WRITE_URL:-$(printf "$pg" datastore_rw:datastore datastore)}"
export CKAN_DATASTORE_READ_URL="${CKAN_DATASTORE_READ_URL:-$(printf "$pg" datastore_ro:datastore datastore)}"
export CKAN_REDIS_URL="${CKAN_REDIS_URL:-redis://127.0.0.1:${DEV_REDIS_PORT:-6380}/${TEST_REDIS_DB:-1}}"
export CKAN_SOLR_URL="${CKAN_SOLR_URL:-http://127.0.0.1:${DEV_SOLR_PORT:-8983}/solr/ckan}"
export CKAN_STORAGE_PATH="${CKAN_STORAGE_PATH:-$ROOT/$storage}"
mkdir -p "$CKAN_STORAGE_PATH"

INI="${TEST_INI:-test.ini}"
CKAN=(.venv/bin/ckan -c "$INI")
# CKAN's pytest plugin builds the app at session start: the schema must exist before it does.
"${CKAN[@]}" db init >/dev/null
"${CKAN[@]}" db upgrade >/dev/null
bash dev/services.sh datastore-permissions "$INI"
exec .venv/bin/python -m pytest --ckan-ini="$INI" "$@"
