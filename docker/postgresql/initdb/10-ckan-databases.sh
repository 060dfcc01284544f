#!/bin/bash
# First start of an empty cluster only (the postgres image runs this once, as the superuser).
#   CKAN_DB (owner CKAN_DB_USER)         CKAN's database: datasets, users, opt-out registry, audit
#   DATASTORE_DB (owner CKAN_DB_USER)    the DataStore, written by CKAN (and XLoader)
#   DATASTORE_READONLY_USER              the DataStore's read-only role (datastore_search_sql)
# CKAN_DB_USER owns both databases so that `ckan datastore set-permissions`, which the CKAN
# container runs at every start, can be executed as that role without a superuser.
set -euo pipefail

: "${CKAN_DB_USER:?}" "${CKAN_DB_PASSWORD:?}" "${CKAN_DB:?}"
: "${DATASTORE_READONLY_USER:?}" "${DATASTORE_READONLY_PASSWORD:?}" "${DATASTORE_DB:?}"

# psql variables (:"name" for identifiers, :'name' for literals) quote the values safely.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v ckan_user="$CKAN_DB_USER" -v ckan_password="$CKAN_DB_PASSWORD" -v ckan_db="$CKAN_DB" \
  -v ro_user="$DATASTORE_READONLY_USER" -v ro_password="$DATASTORE_READONLY_PASSWORD" \
  -v ds_db="$DATASTORE_DB" <<'SQL'
CREATE ROLE :"ckan_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'ckan_password';
CREATE ROLE :"ro_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'ro_password';
CREATE DATABASE :"ckan_db" OWNER :"ckan_user" ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE :"ds_db" OWNER :"ckan_user" ENCODING 'UTF8' TEMPLATE template0;
-- Nobody but CKAN connects to CKAN's database; the read-only role only to the DataStore.
REVOKE CONNECT ON DATABASE :"ckan_db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"ckan_db" TO :"ckan_user";
REVOKE CONNECT ON DATABASE :"ds_db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"ds_db" TO :"ckan_user", :"ro_user";
SQL
echo "[gifu-db] created databases $CKAN_DB and $DATASTORE_DB, roles $CKAN_DB_USER and $DATASTORE_READONLY_USER"
