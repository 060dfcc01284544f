#!/bin/bash
# Restore a backup of ./backup.sh into a fresh deployment: the same docker/.env (the secrets of
# the backed-up portal), no data yet (`docker compose down -v` or a new host). Starts db alone,
# restores both databases and the file storage, and leaves the rest to `docker compose up -d`
# (the search index is rebuilt from the database on that first start, because Solr is empty).
#   cd docker && ./restore.sh /srv/backup/gifu-2026-11-30 && docker compose up -d
# GIFU_COMPOSE: the compose command (default `docker compose`), e.g. with -p and --env-file.
set -euo pipefail
dir="${1:?usage: $0 DIR}"
read -r -a compose <<< "${GIFU_COMPOSE:-docker compose}"
die() { printf 'restore: %s\n' "$*" >&2; exit 1; }
(cd "$dir" && sha256sum --quiet -c SHA256SUMS) || die "$dir: the files do not match SHA256SUMS"

"${compose[@]}" up -d --wait db
# shellcheck disable=SC2016  # expanded inside the db container
tables="$("${compose[@]}" exec -T db sh -c \
  'psql -U "$POSTGRES_USER" -d "$CKAN_DB" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = '\''public'\''"')"
[ "$tables" = 0 ] || die "the CKAN database is not empty ($tables tables): restore into a fresh deployment"
for db in CKAN_DB DATASTORE_DB; do
  dump=ckan.dump; [ "$db" = DATASTORE_DB ] && dump=datastore.dump
  echo "restoring $dump"
  # Owned by the CKAN role, as the init script made them; the read-only role keeps its grants.
  # shellcheck disable=SC2016
  "${compose[@]}" exec -T db sh -c \
    "pg_restore -U \"\$POSTGRES_USER\" -d \"\$$db\" --no-owner --role=\"\$CKAN_DB_USER\" --exit-on-error" \
    < "$dir/$dump"
done
echo "restoring the file storage"
"${compose[@]}" run --rm --no-deps -T --entrypoint tar ckan -C /var/lib/ckan -xzf - < "$dir/storage.tar.gz"
echo "restored: now start everything with 'docker compose up -d'"
