#!/usr/bin/env bash
# Local services for development and CI: PostgreSQL 15, Redis and Apache Solr 9, on loopback only,
# with data and logs under $DEV_DIR (default: .dev/ in the repository, ignored by git).
#
#   dev/services.sh install   install what is missing (Debian packages, Solr jars from Maven Central)
#   dev/services.sh start     start all three (idempotent) and wait until each answers
#   dev/services.sh stop      stop all three (idempotent)
#   dev/services.sh status    say what runs where; exit 1 if anything is down
#
# Ports (override with the environment): DEV_PG_PORT=5433, DEV_REDIS_PORT=6380, DEV_SOLR_PORT=8983.
# PostgreSQL and Redis use ports beside their defaults so that a system instance (e.g. one started by
# the Debian package) never gets confused with ours.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEV_DIR="${DEV_DIR:-$ROOT/.dev}"
PG_PORT="${DEV_PG_PORT:-5433}"
REDIS_PORT="${DEV_REDIS_PORT:-6380}"
SOLR_PORT="${DEV_SOLR_PORT:-8983}"
PG_BIN="${DEV_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DATA="$DEV_DIR/postgres"
[ -L "$PG_DATA" ] && PG_DATA="$(readlink -f "$PG_DATA")"  # see pg_place
SOLR_HOME="$DEV_DIR/solr"
LOGS="$DEV_DIR/logs"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"

# Database names, roles and passwords of the local development cluster. They only ever listen on
# 127.0.0.1 and are not secrets; production takes its own from the environment (docker/).
CKAN_DB=ckan CKAN_DB_USER=ckan CKAN_DB_PASS=ckan
DS_DB=datastore DS_RW_USER=datastore_rw DS_RO_USER=datastore_ro DS_PASS=datastore

say() { printf '[services] %s\n' "$*"; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

wait_for() {  # wait_for NAME SECONDS COMMAND...: poll until COMMAND succeeds
  local name=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$name did not become ready within ${seconds}s (logs: $LOGS)"
    sleep 0.5
  done
}

# --------------------------------------------------------------------------------------------- install
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

solr_classpath_file="$DEV_DIR/solr-classpath.txt"
solr_classes="$DEV_DIR/solr-launcher"

install_solr() {
  local src="$ROOT/dev/solr"
  if [ -f "$solr_classpath_file" ] && [ "$solr_classpath_file" -nt "$src/pom.xml" ] \
     && [ -f "$solr_classes/jp/gifu/opendata/devsolr/DevSolr.class" ] \
     && [ "$solr_classes/jp/gifu/opendata/devsolr/DevSolr.class" -nt "$src/src/main/java/jp/gifu/opendata/devsolr/DevSolr.java" ]; then
    return 0
  fi
  say "fetching Apache Solr jars from Maven Central (cached in ~/.m2)"
  mkdir -p "$DEV_DIR"
  mvn -q -B -Dstyle.color=never -f "$src/pom.xml" dependency:build-classpath -Dmdep.outputFile="$solr_classpath_file" \
    || die "maven could not fetch the Solr jars"
  rm -rf "$solr_classes"; mkdir -p "$solr_classes"
  javac -encoding UTF-8 -d "$solr_classes" -cp "$(cat "$solr_classpath_file")" \
    "$src/src/main/java/jp/gifu/opendata/devsolr/DevSolr.java"
}

cmd_install() {
  # chromium + chromium-driver serve the browser tests (headless, driven by selenium).
  apt_install postgresql-15 postgresql-client-15 redis-server libpq-dev gcc maven openjdk-17-jdk-headless \
    chromium chromium-driver fonts-noto-cjk
  install_solr
}

# -------------------------------------------------------------------------------------------- postgres
pg_running() { as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
pg_ready() { "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; }
psql_super() { as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# PostgreSQL runs as the postgres user, which must reach its data folder. When the repository
# sits somewhere it cannot (e.g. under /root), the cluster lives in /var/lib/gifu-ckan-dev/ and
# .dev/postgres is a link to it.
pg_place() {
  mkdir -p "$DEV_DIR"
  [ "$(id -u)" = 0 ] || return 0
  [ -e "$PG_DATA" ] && return 0
  if runuser -u postgres -- test -x "$DEV_DIR" 2>/dev/null; then
    return 0
  fi
  local elsewhere
  elsewhere="/var/lib/gifu-ckan-dev/$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)/postgres"
  say "postgres cannot reach $DEV_DIR; keeping the cluster in $elsewhere"
  mkdir -p "$(dirname "$elsewhere")"
  ln -sfn "$elsewhere" "$PG_DATA"
  PG_DATA="$elsewhere"
}

pg_start() {
  mkdir -p "$LOGS"
  pg_place
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "creating PostgreSQL cluster in $PG_DATA"
    mkdir -p "$(readlink -f "$PG_DATA")"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$(readlink -f "$PG_DATA")"
    chmod 700 "$(readlink -f "$PG_DATA")"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 || die "initdb failed (see $LOGS/initdb.log)"
  fi
  local pg_log="$LOGS/postgres.log"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -w "$LOGS" 2>/dev/null; then
    chown postgres:postgres "$LOGS" 2>/dev/null || true
    runuser -u postgres -- test -w "$LOGS" 2>/dev/null || pg_log="$PG_DATA/postgres.log"
  fi
  if ! pg_running; then
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$pg_log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA" start >/dev/null \
      || die "PostgreSQL did not start (see $LOGS/postgres.log)"
  fi
  wait_for PostgreSQL 60 pg_ready
  pg_provision
}

pg_role() {  # pg_role NAME PASSWORD
  psql_super -d postgres -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$1') THEN
      CREATE ROLE $1 LOGIN PASSWORD '$2';
    END IF; END \$\$;"
}

pg_database() {  # pg_database NAME OWNER
  if [ -z "$(psql_super -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" ]; then
    psql_super -d postgres -c "CREATE DATABASE $1 OWNER $2 ENCODING 'UTF8' TEMPLATE template0"
  fi
}

pg_provision() {
  pg_role "$CKAN_DB_USER" "$CKAN_DB_PASS"
  pg_role "$DS_RW_USER" "$DS_PASS"
  pg_role "$DS_RO_USER" "$DS_PASS"
  pg_database "$CKAN_DB" "$CKAN_DB_USER"
  pg_database "${CKAN_DB}_test" "$CKAN_DB_USER"
  pg_database "$DS_DB" "$DS_RW_USER"
  pg_database "${DS_DB}_test" "$DS_RW_USER"
  # Read-only role of the DataStore (what `ckan datastore set-permissions` sets up, in short).
  for db in "$DS_DB" "${DS_DB}_test"; do
    psql_super -d "$db" -c "
      REVOKE CREATE ON SCHEMA public FROM PUBLIC;
      GRANT CREATE ON SCHEMA public TO $DS_RW_USER;
      GRANT CONNECT ON DATABASE $db TO $DS_RO_USER;
      GRANT USAGE ON SCHEMA public TO $DS_RO_USER;
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO $DS_RO_USER;
      ALTER DEFAULT PRIVILEGES FOR USER $DS_RW_USER IN SCHEMA public GRANT SELECT ON TABLES TO $DS_RO_USER;"
  done
}

pg_stop() {
  if [ -f "$PG_DATA/PG_VERSION" ] && pg_running; then
    say "stopping PostgreSQL"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  fi
}

# ----------------------------------------------------------------------------------------------- redis
redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG; }

redis_start() {
  mkdir -p "$DEV_DIR/redis" "$LOGS"
  if ! redis_ready 2>/dev/null; then
    say "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DEV_DIR/redis" --daemonize yes \
      --pidfile "$DEV_DIR/redis/redis.pid" --logfile "$LOGS/redis.log" --save "" --appendonly no \
      --protected-mode yes
  fi
  wait_for Redis 30 redis_ready
}

redis_stop() {
  if redis_ready 2>/dev/null; then
    say "stopping Redis"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
}

# ------------------------------------------------------------------------------------------------ solr
SOLR_URL="http://127.0.0.1:$SOLR_PORT/solr"
solr_ready() { curl -fsS "$SOLR_URL/ckan/admin/ping?wt=json" | grep -q '"OK"'; }
solr_pidfile="$DEV_DIR/solr.pid"

# The schema the dev Solr serves: the gifu plugin's Japanese schema when it ships one, else the schema
# of the installed CKAN package. Keep this the one place that decides it (docker/ copies the same file).
solr_schema() {
  local ours="$ROOT/ckanext-gifu/ckanext/gifu/solr/schema.xml"
  if [ -f "$ours" ]; then
    echo "$ours"
  else
    "$PYTHON" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))'
  fi
}

solr_layout() {
  local core="$SOLR_HOME/ckan" schema
  schema="$(solr_schema)"
  [ -f "$schema" ] || die "no Solr schema found ($schema)"
  mkdir -p "$core/conf" "$LOGS"
  cp "$ROOT/dev/solr/solr.xml" "$SOLR_HOME/solr.xml"
  cp "$ROOT/dev/solr/solrconfig.xml" "$core/conf/solrconfig.xml"
  # Files of Solr's _default configset that schemas reference (the ckan/ckan-solr image has them):
  # empty English word lists, and the Japanese stop words / stop tags that ship in Lucene's kuromoji jar.
  for f in stopwords.txt protwords.txt synonyms.txt; do [ -f "$core/conf/$f" ] || : > "$core/conf/$f"; done
  mkdir -p "$core/conf/lang"
  python3 - "$(tr ':' '\n' < "$solr_classpath_file" | grep lucene-analysis-kuromoji)" "$core/conf/lang" <<'PY'
import sys, zipfile
jar, dest = sys.argv[1:]
with zipfile.ZipFile(jar) as z:
    for name, target in (("stopwords.txt", "stopwords_ja.txt"), ("stoptags.txt", "stoptags_ja.txt")):
        with open(f"{dest}/{target}", "wb") as out:
            out.write(z.read(f"org/apache/lucene/analysis/ja/{name}"))
PY
  for extra in "$(dirname "$schema")"/*.txt; do [ -f "$extra" ] && cp "$extra" "$core/conf/"; done
  printf 'name=ckan\n' > "$core/core.properties"
  if ! cmp -s "$schema" "$core/conf/schema.xml"; then
    cp "$schema" "$core/conf/schema.xml"
    echo "$schema" > "$core/conf/SCHEMA_SOURCE"
    return 1  # schema changed: a running Solr must restart to load it
  fi
}

solr_start() {
  install_solr
  local changed=0
  solr_layout || changed=1
  if [ $changed = 1 ] && solr_ready 2>/dev/null; then
    say "Solr schema changed: restarting Solr"
    solr_stop
  fi
  if ! solr_ready 2>/dev/null; then
    say "starting Apache Solr on 127.0.0.1:$SOLR_PORT (schema: $(cat "$SOLR_HOME/ckan/conf/SCHEMA_SOURCE" 2>/dev/null || solr_schema))"
    nohup java -Xms256m -Xmx1g -Djava.awt.headless=true -Dsolr.log.dir="$LOGS" \
      -Dsolr.install.dir="$SOLR_HOME" -Dsolr.data.home="$SOLR_HOME/data" \
      -Dlog4j2.configurationFile="$ROOT/dev/solr/log4j2.xml" -Ddev.log.dir="$LOGS" \
      -cp "$solr_classes:$(cat "$solr_classpath_file")" jp.gifu.opendata.devsolr.DevSolr \
      "$SOLR_HOME" "$SOLR_PORT" >"$LOGS/solr-console.log" 2>&1 &
    echo $! > "$solr_pidfile"
  fi
  wait_for Solr 120 solr_ready
}

solr_pid() {  # the pid of our Solr: from the pid file, else by its command line (same home and port)
  if [ -f "$solr_pidfile" ] && kill -0 "$(cat "$solr_pidfile")" 2>/dev/null; then
    cat "$solr_pidfile"
  else
    pgrep -f "jp.gifu.opendata.devsolr.DevSolr $SOLR_HOME $SOLR_PORT" | head -n 1
  fi
}

solr_stop() {
  local pid; pid="$(solr_pid)"
  if [ -n "$pid" ]; then
    say "stopping Solr"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$solr_pidfile"
}

# ---------------------------------------------------------------------------------------------- status
cmd_status() {
  local down=0
  if pg_ready 2>/dev/null; then say "PostgreSQL  up    127.0.0.1:$PG_PORT  data $PG_DATA"; else say "PostgreSQL  down"; down=1; fi
  if redis_ready 2>/dev/null; then say "Redis       up    127.0.0.1:$REDIS_PORT"; else say "Redis       down"; down=1; fi
  if solr_ready 2>/dev/null; then say "Solr        up    $SOLR_URL/ckan  schema $(cat "$SOLR_HOME/ckan/conf/SCHEMA_SOURCE" 2>/dev/null)"; else say "Solr        down"; down=1; fi
  return $down
}

# A separate pair of test databases, so that several test runs can share the services at once
# (dev/test.sh uses it when TEST_SANDBOX is set).
cmd_sandbox() {
  local name=$1
  [[ "$name" =~ ^[a-z0-9_]+$ ]] || die "sandbox names are lower-case letters, digits and _"
  pg_database "${CKAN_DB}_test_$name" "$CKAN_DB_USER"
  pg_database "${DS_DB}_test_$name" "$DS_RW_USER"
  psql_super -d "${DS_DB}_test_$name" -c "
    GRANT CONNECT ON DATABASE ${DS_DB}_test_$name TO $DS_RO_USER;
    GRANT USAGE ON SCHEMA public TO $DS_RO_USER;
    ALTER DEFAULT PRIVILEGES FOR USER $DS_RW_USER IN SCHEMA public GRANT SELECT ON TABLES TO $DS_RO_USER;"
}

# The DataStore's permissions and its _table_metadata view, as CKAN generates them for the
# databases of an ini file (CKAN_DATASTORE_* in the environment win). Needs a superuser: ours.
cmd_datastore_permissions() {
  local ini=$1
  "$ROOT/.venv/bin/ckan" -c "$ini" datastore set-permissions 2>/dev/null \
    | psql_super -d postgres >/dev/null
}

case "${1:-}" in
  datastore-permissions) cmd_datastore_permissions "${2:?usage: $0 datastore-permissions INI}" ;;
  sandbox) cmd_sandbox "${2:?usage: $0 sandbox NAME}" ;;
  install) cmd_install ;;
  start) cmd_install; pg_start; redis_start; solr_start; cmd_status ;;
  stop) solr_stop; redis_stop; pg_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
