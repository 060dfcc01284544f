#!/bin/bash
# Start nginx: the TLS certificate (the site's from /etc/nginx/certs, else a self-signed one), the
# site rendered from its template with the environment, then nginx, watched:
#   NGINX_SERVER_NAME  NGINX_CLIENT_MAX_BODY_SIZE  CKAN_SITE_URL (where HTTP redirects to)
#   NGINX_UPSTREAM     the CKAN web service, host:port (default ckan:5000)
# nginx resolves the upstream's name when it loads its configuration and balances over every
# address (every replica of `ckan`). This script looks the name up again every 10 s and reloads
# nginx when the set of addresses changed, so `docker compose up -d --scale ckan=N` (or a replica
# restarted with a new address) is picked up without dropping a request.
set -euo pipefail
say() { printf '[gifu-nginx] %s\n' "$*"; }
state=/var/lib/gifu-nginx
certs=/etc/nginx/certs
tls="$state/tls"

if [ -s "$certs/fullchain.pem" ] && [ -s "$certs/privkey.pem" ]; then
  cp "$certs/fullchain.pem" "$tls/fullchain.pem"
  cp "$certs/privkey.pem" "$tls/privkey.pem"
  say "TLS certificate from $certs"
elif [ ! -s "$tls/fullchain.pem" ] || ! openssl x509 -checkend 86400 -noout -in "$tls/fullchain.pem" >/dev/null; then
  say "WARNING no certificate in $certs (fullchain.pem, privkey.pem): using a self-signed one"
  name="${NGINX_SERVER_NAME:-localhost}"
  [ "$name" = "_" ] && name=localhost
  (umask 077; openssl req -x509 -nodes -newkey rsa:2048 -days 30 -subj "/CN=$name" \
     -addext "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" \
     -keyout "$tls/privkey.pem" -out "$tls/fullchain.pem" 2>/dev/null)
fi
chmod 600 "$tls/privkey.pem"

export NGINX_UPSTREAM="${NGINX_UPSTREAM:-ckan:5000}"
export NGINX_SERVER_NAME="${NGINX_SERVER_NAME:-_}"
export NGINX_CLIENT_MAX_BODY_SIZE="${NGINX_CLIENT_MAX_BODY_SIZE:-100m}"
export CKAN_SITE_URL="${CKAN_SITE_URL:?CKAN_SITE_URL is empty}"
# shellcheck disable=SC2016  # the variable names are for envsubst, not for this shell
envsubst '${NGINX_SERVER_NAME} ${NGINX_CLIENT_MAX_BODY_SIZE} ${NGINX_UPSTREAM} ${CKAN_SITE_URL}' \
  < /etc/nginx/templates/ckan.conf.template > "$state/ckan.conf"

host="${NGINX_UPSTREAM%:*}"
addresses() { getent ahostsv4 "$host" | awk '{ print $1 }' | sort -u | tr '\n' ' '; }
for _ in $(seq 120); do [ -n "$(addresses)" ] && break; sleep 1; done
current="$(addresses)"
[ -n "$current" ] || { echo "[gifu-nginx] error: $host does not resolve" >&2; exit 1; }
nginx -t -q
say "proxying to $NGINX_UPSTREAM: $current"
nginx -g 'daemon off;' &
nginx_pid=$!
trap 'kill -QUIT "$nginx_pid" 2>/dev/null' QUIT TERM INT
while kill -0 "$nginx_pid" 2>/dev/null; do
  sleep 10 & wait $! || true
  kill -0 "$nginx_pid" 2>/dev/null || break
  now="$(addresses)"
  if [ -n "$now" ] && [ "$now" != "$current" ]; then
    say "$host is now $now: reloading"
    current="$now"
    nginx -s reload || say "reload failed: keeping the previous configuration"
  fi
done
wait "$nginx_pid"
