#!/bin/bash
# Healthy when nginx answers its health location (bash's /dev/tcp: the image has no HTTP client).
set -euo pipefail
exec 3<>/dev/tcp/127.0.0.1/8080
printf 'GET /nginx-health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
grep -q '^ok' <&3
