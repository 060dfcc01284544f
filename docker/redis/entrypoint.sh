#!/bin/bash
# Start Redis with its configuration on standard input, so that the password from the environment
# is neither on the command line (visible in the process list) nor in a file.
set -euo pipefail
[ -n "${REDIS_PASSWORD:-}" ] || { echo "[gifu-redis] error: REDIS_PASSWORD is empty" >&2; exit 1; }
exec redis-server - <<CONF
bind * -::*
port 6379
dir /data
appendonly yes
appendfsync everysec
protected-mode no
logfile ""
requirepass ${REDIS_PASSWORD}
CONF
