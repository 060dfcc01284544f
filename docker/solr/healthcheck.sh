#!/bin/bash
# Healthy when the `ckan` core answers its ping (bash's /dev/tcp: the image has no HTTP client).
set -euo pipefail
exec 3<>/dev/tcp/127.0.0.1/8983
printf 'GET /solr/ckan/admin/ping?wt=json HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
grep -q '"status":"OK"' <&3
