#!/bin/bash
# Back up a running deployment into DIR (created, readable by its owner only):
#   ckan.dump, datastore.dump   pg_dump of the CKAN database (datasets, users, API tokens, the
#                               opt-out registry as keyed hashes, audit trails, scrub reports) and
#                               of the DataStore, in PostgreSQL's custom format
#   storage.tar.gz              the ckan_storage volume: uploaded originals (closed data, personal
#                               records: keep the backup encrypted), published derivatives
#   SHA256SUMS
# The databases are dumped first, then the files: a file uploaded in between is in the storage
# backup without its database row, which is harmless. Keep docker/.env (the secrets) apart from
# the backup: without CKANEXT__OPTOUT__SECRET no registered opt-out matches any more.
#   cd docker && ./backup.sh /srv/backup/gifu-$(date +%F)
# GIFU_COMPOSE: the compose command (default `docker compose`), e.g. with -p and --env-file.
set -euo pipefail
dir="${1:?usage: $0 DIR}"
read -r -a compose <<< "${GIFU_COMPOSE:-docker compose}"
umask 077
mkdir -p "$dir"
# shellcheck disable=SC2016  # expanded inside the db container
"${compose[@]}" exec -T db sh -c 'pg_dump -U "$POSTGRES_USER" -Fc "$CKAN_DB"' > "$dir/ckan.dump"
# shellcheck disable=SC2016
"${compose[@]}" exec -T db sh -c 'pg_dump -U "$POSTGRES_USER" -Fc "$DATASTORE_DB"' > "$dir/datastore.dump"
"${compose[@]}" exec -T ckan tar -C /var/lib/ckan -czf - . > "$dir/storage.tar.gz"
(cd "$dir" && sha256sum ckan.dump datastore.dump storage.tar.gz > SHA256SUMS)
echo "backup in $dir: $(du -sh "$dir" | cut -f1)"
