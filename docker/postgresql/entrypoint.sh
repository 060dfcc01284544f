#!/bin/bash
# Start PostgreSQL 15 on $PGDATA. First start of an empty volume: initdb (superuser
# POSTGRES_USER with POSTGRES_PASSWORD, scram-sha-256 over TCP, the local socket trusted: only
# processes inside this container reach it), then every /docker-entrypoint-initdb.d/*.sh and *.sql
# against a server that listens on its socket only. The password is handed to initdb in a file
# that is removed at once; it is never written anywhere else.
set -euo pipefail
say() { printf '[gifu-db] %s\n' "$*"; }

: "${PGDATA:=/var/lib/postgresql/data}" "${POSTGRES_USER:=postgres}"
export PGDATA POSTGRES_USER

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "[gifu-db] error: POSTGRES_PASSWORD is empty" >&2; exit 1; }
  say "initialising a new cluster in $PGDATA"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  read -r -a initdb_args <<< "${POSTGRES_INITDB_ARGS:-}"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    "${initdb_args[@]}" >/dev/null
  rm -f "$pwfile"
  {
    echo "listen_addresses = '*'"
    echo "password_encryption = 'scram-sha-256'"
  } >> "$PGDATA/postgresql.auto.conf"
  printf 'host all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) say "running $f"; bash "$f" ;;
      *.sql) say "running $f"; psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -f "$f" ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  say "cluster ready"
fi
exec postgres -D "$PGDATA"
