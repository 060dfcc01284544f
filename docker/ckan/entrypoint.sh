#!/bin/bash
# Entrypoint of the Gifu City CKAN image.
#   web        init (migrations, DataStore permissions, search index; see init.py), then uWSGI on :5000
#   worker     `ckan jobs worker` on $GIFU_WORKER_QUEUES (scrubbing, re-derivation; its RQ
#              scheduler runs the anonymize sweep every ckanext.anonymize.sweep_interval seconds)
#   scheduler  the periodic tasks (one container per deployment):
#              daily at $GIFU_DAILY_AT (container time, TZ): `ckan optout release-due`, which opens
#              the datasets whose notice period ended without a hold and erases residents' contacts
#              kept longer than ckanext.optout.contact_retention_days, and `ckan roundtable
#              purge-contacts` (requesters' contacts past ckanext.roundtable.contact_retention_days);
#              every $GIFU_SWEEP_MINUTES minutes: `ckan anonymize sweep` (lost jobs, stale public
#              copies; a backstop for the workers' sweep, which stops when no worker runs) and
#              `ckan roundtable recheck` (personal-data checks of public text lost with a job)
#   other      run that command with the same configuration, e.g. `ckan sysadmin add NAME`
# Secrets are read from the environment only; this script never writes one to a file.
set -euo pipefail

say() { printf '[gifu-entrypoint] %s\n' "$*"; }
die() { printf '[gifu-entrypoint] error: %s\n' "$*" >&2; exit 1; }

: "${CKAN_INI:=/srv/app/ckan.ini}"
export CKAN_INI

# Fail early and clearly instead of starting a portal that cannot hash an opt-out or sign a session.
require_env() {
  local missing=()
  for var in CKAN_SITE_URL CKAN_SQLALCHEMY_URL CKAN_SOLR_URL CKAN_REDIS_URL \
             CKAN___SECRET_KEY CKANEXT__OPTOUT__SECRET; do
    [ -n "${!var:-}" ] || missing+=("$var")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing environment: ${missing[*]} (see docker/.env.example)"
}

# ckan.plugins must be in ckan.ini before CKAN starts: ckanext-envvars applies CKAN__* variables only
# after the plugins are loaded. envvars has to be last so that its values win.
set_plugins() {
  local plugins="${CKAN__PLUGINS:-}"
  [ -n "$plugins" ] || return 0
  local last="${plugins##* }"
  [ "$last" = "envvars" ] || die "CKAN__PLUGINS must end with envvars (got: $plugins)"
  ckan config-tool "$CKAN_INI" "ckan.plugins = $plugins" >/dev/null
  say "plugins: $plugins"
}

run_entrypoint_d() {  # the ckan-base convention: extra start-up scripts of derived images
  [ -d /docker-entrypoint.d ] || return 0
  local f
  for f in /docker-entrypoint.d/*; do
    case "$f" in
      *.sh) say "running $f"; bash "$f" ;;
      *.py) say "running $f"; python3 "$f" ;;
      *) ;;
    esac
  done
}

role="${1:-web}"
case "$role" in
  web)
    require_env
    set_plugins
    if [ "${GIFU_INIT:-run}" = "run" ]; then
      python3 /srv/app/gifu/init.py
    else
      say "GIFU_INIT=${GIFU_INIT}: skipping migrations and indexing"
    fi
    run_entrypoint_d
    say "starting uWSGI on :5000 (${UWSGI_PROCESSES:-2} processes)"
    exec uwsgi --http "0.0.0.0:5000" \
      --wsgi-file /srv/app/gifu/wsgi.py \
      --master --enable-threads --lazy-apps --die-on-term --need-app --single-interpreter \
      --processes "${UWSGI_PROCESSES:-2}" \
      --harakiri "${UWSGI_HARAKIRI:-300}" \
      --buffer-size 32768 --post-buffering 65536 \
      --disable-logging --vacuum
    ;;
  worker)
    require_env
    set_plugins
    python3 /srv/app/gifu/init.py --wait-only
    read -r -a queues <<< "${GIFU_WORKER_QUEUES:-default}"
    say "starting the jobs worker on queue(s): ${queues[*]}"
    exec ckan -c "$CKAN_INI" jobs worker "${queues[@]}"
    ;;
  scheduler)
    require_env
    set_plugins
    python3 /srv/app/gifu/init.py --wait-only
    at="${GIFU_DAILY_AT:-04:00}"
    sweep_every=$(( ${GIFU_SWEEP_MINUTES:-15} * 60 ))
    state="${GIFU_SCHEDULER_STATE:-/tmp/gifu-scheduler-next}"
    date -d "today $at" +%s >/dev/null 2>&1 || die "GIFU_DAILY_AT must be HH:MM (got: $at)"
    [ "$sweep_every" -gt 0 ] || die "GIFU_SWEEP_MINUTES must be a positive number of minutes"
    plugins=" ${CKAN__PLUGINS:-} "
    next_daily() {
      local today; today=$(date -d "today $at" +%s)
      if [ "$today" -gt "$(date +%s)" ]; then echo "$today"; else date -d "tomorrow $at" +%s; fi
    }
    daily=$(next_daily)
    sweep=$(( $(date +%s) + 60 ))  # the first sweep a minute after start
    say "daily run at $at ($(date -d "@$daily" '+%F %T %Z')); sweep every $((sweep_every / 60)) min"
    while true; do
      printf 'daily=%s sweep=%s\n' "$daily" "$sweep" > "$state"  # read by the health check
      now=$(date +%s)
      wake=$(( daily < sweep ? daily : sweep ))
      [ "$wake" -le "$now" ] || sleep $((wake - now))
      now=$(date +%s)
      [ "$now" -ge "$wake" ] || now=$wake  # slept until the time that was due
      if [ "$sweep" -le "$now" ]; then
        case "$plugins" in
          *" anonymize "*) ckan -c "$CKAN_INI" anonymize sweep || say "anonymize sweep failed (exit $?)" ;;
          *) ;;
        esac
        case "$plugins" in
          *" roundtable "*) ckan -c "$CKAN_INI" roundtable recheck || say "roundtable recheck failed (exit $?)" ;;
          *) ;;
        esac
        sweep=$(( $(date +%s) + sweep_every ))
      fi
      if [ "$daily" -le "$now" ]; then
        case "$plugins" in
          *" optout "*) ckan -c "$CKAN_INI" optout release-due || say "optout release-due failed (exit $?)" ;;
          *) say "optout is not enabled: nothing to release" ;;
        esac
        case "$plugins" in
          *" roundtable "*) ckan -c "$CKAN_INI" roundtable purge-contacts || say "roundtable purge-contacts failed (exit $?)" ;;
          *) ;;
        esac
        daily=$(next_daily)
        say "next daily run: $(date -d "@$daily" '+%F %T %Z')"
      fi
    done
    ;;
  *)
    set_plugins
    exec "$@"
    ;;
esac
