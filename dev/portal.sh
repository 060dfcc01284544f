#!/usr/bin/env bash
# The portal for `make run`: a ckan.ini of its own in .dev/ (secrets generated on first run, never
# in git), the database, a sysadmin, the demo catalogue, a jobs worker, and the web server on
# http://127.0.0.1:5000.
#   dev/portal.sh run | stop
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DEV=.dev
INI="$DEV/ckan.ini"
CKAN=(.venv/bin/ckan -c "$INI")
HOST="${CKAN_HOST:-127.0.0.1}" PORT="${CKAN_PORT:-5000}"
PG_PORT="${DEV_PG_PORT:-5433}" REDIS_PORT="${DEV_REDIS_PORT:-6380}" SOLR_PORT="${DEV_SOLR_PORT:-8983}"
WORKER_PID="$DEV/worker.pid"
# gifu before dcat (its DCAT profile); datastore + xloader load published derivatives only.
PLUGINS="${CKAN_PLUGINS:-gifu scheming_datasets dcat optout anonymize roundtable datastore xloader}"

say() { printf '[portal] %s\n' "$*"; }

make_ini() {
  if [ ! -f "$INI" ]; then
    say "writing $INI (random secrets)"
    .venv/bin/ckan generate config "$INI" >/dev/null
    echo "ckanext.optout.secret = $(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
      > "$DEV/optout-secret.ini"
    .venv/bin/ckan config-tool "$INI" -f "$DEV/optout-secret.ini"
    rm -f "$DEV/optout-secret.ini"
  fi
  # Settings that follow the repository (re-applied on every run; secrets are left alone).
  .venv/bin/ckan config-tool "$INI" \
    "ckan.site_url = http://$HOST:$PORT" \
    "ckan.site_title = 岐阜市オープンデータ" \
    "sqlalchemy.url = postgresql://ckan:ckan@127.0.0.1:$PG_PORT/ckan" \
    "ckan.datastore.write_url = postgresql://datastore_rw:datastore@127.0.0.1:$PG_PORT/datastore" \
    "ckan.datastore.read_url = postgresql://datastore_ro:datastore@127.0.0.1:$PG_PORT/datastore" \
    "solr_url = http://127.0.0.1:$SOLR_PORT/solr/ckan" \
    "ckan.redis.url = redis://127.0.0.1:$REDIS_PORT/0" \
    "ckan.storage_path = $ROOT/$DEV/storage" \
    "ckan.plugins = $PLUGINS" \
    "ckan.locale_default = ja" \
    "ckan.locales_offered = ja en" \
    "ckan.auth.create_user_via_web = false" \
    "ckanext.xloader.unidecode_headers = false" >/dev/null
  mkdir -p "$DEV/storage"
}

# XLoader downloads published files with an API token of the sysadmin (made once, kept in the ini).
xloader_token() {
  case " $PLUGINS " in *" xloader "*) ;; *) return 0 ;; esac
  if ! grep -q "^ckanext.xloader.api_token" "$INI"; then
    local token
    token="$("${CKAN[@]}" user token add admin xloader 2>/dev/null | tail -n 1 | tr -d '[:space:]')"
    .venv/bin/ckan config-tool "$INI" "ckanext.xloader.api_token = $token" >/dev/null
  fi
}

sysadmin() {
  local pwfile="$DEV/admin-password.txt"
  if ! "${CKAN[@]}" user show admin 2>/dev/null | grep -q "name=admin"; then
    local pw; pw="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')"
    "${CKAN[@]}" user add admin email=admin@localhost password="$pw" >/dev/null
    "${CKAN[@]}" sysadmin add admin >/dev/null
    (umask 077; echo "$pw" > "$pwfile")
  fi
}

start_worker() {
  stop_worker
  nohup "${CKAN[@]}" jobs worker >"$DEV/logs/worker.log" 2>&1 &
  echo $! > "$WORKER_PID"
}

stop_worker() {
  if [ -f "$WORKER_PID" ] && kill -0 "$(cat "$WORKER_PID")" 2>/dev/null; then
    kill "$(cat "$WORKER_PID")" 2>/dev/null || true
  fi
  rm -f "$WORKER_PID"
}

case "${1:-}" in
  run)
    mkdir -p "$DEV/logs"
    make_ini
    say "database: ckan db init / upgrade"
    "${CKAN[@]}" db init >/dev/null
    "${CKAN[@]}" db upgrade >/dev/null
    bash dev/services.sh datastore-permissions "$INI"
    sysadmin
    xloader_token
    if "${CKAN[@]}" gifu --help >/dev/null 2>&1; then
      say "loading the demo catalogue (ckan gifu load-demo)"
      "${CKAN[@]}" gifu load-demo
    fi
    if "${CKAN[@]}" roundtable --help >/dev/null 2>&1; then
      say "loading the demo data requests and feedback (ckan roundtable load-demo)"
      "${CKAN[@]}" roundtable load-demo >/dev/null
    fi
    "${CKAN[@]}" search-index rebuild -r >/dev/null 2>&1 || "${CKAN[@]}" search-index rebuild >/dev/null
    start_worker
    trap stop_worker EXIT
    cat <<MSG

  岐阜市オープンデータ (CKAN 2.12) — http://$HOST:$PORT
  Log in as sysadmin:  user "admin", password in $DEV/admin-password.txt ($(cat "$DEV/admin-password.txt" 2>/dev/null))
  Jobs worker log:     $DEV/logs/worker.log      Stop everything: make stop

MSG
    "${CKAN[@]}" run -H "$HOST" -p "$PORT" --disable-reloader
    ;;
  stop) stop_worker ;;
  *) echo "usage: $0 run|stop" >&2; exit 2 ;;
esac
