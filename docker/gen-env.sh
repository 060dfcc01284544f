#!/bin/bash
# Write the deployment's .env from .env.example: every secret a fresh random value (64 hex digits
# from /dev/urandom), every other value the example's unless given as KEY=VALUE.
#   ./gen-env.sh CKAN_SITE_URL=https://opendata.example.jp NGINX_SERVER_NAME=opendata.example.jp
#   ./gen-env.sh --output /path/to/test.env KEY=VALUE ...     (another file, e.g. for a test stack)
# Refuses to overwrite an existing file (its secrets key the opt-out registry: see README.md);
# --force replaces it. The file is created readable by its owner only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
output="$here/.env" force=0
overrides=()
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --output) output="$2"; shift ;;
    *=*) overrides+=("$1") ;;
    *) echo "usage: $0 [--force] [--output FILE] [KEY=VALUE ...]" >&2; exit 2 ;;
  esac
  shift
done
if [ -e "$output" ] && [ "$force" != 1 ]; then
  echo "$output exists: its secrets are in use (keep it; --force replaces it)" >&2
  exit 1
fi
random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
secret_names=" $(sed -n 's/^\([A-Z0-9_]*\(PASSWORD\|SECRET\|SECRET_KEY\)\)=$/\1/p' "$here/.env.example" | tr '\n' ' ') "
tmp="$(mktemp "$(dirname "$output")/.env.XXXXXX")"
chmod 600 "$tmp"
while IFS= read -r line || [ -n "$line" ]; do
  key="${line%%=*}"
  if [ "$key" != "$line" ] && [[ "$key" =~ ^[A-Z][A-Z0-9_]*$ ]]; then
    for override in "${overrides[@]}"; do
      [ "${override%%=*}" = "$key" ] && line="$override"
    done
    if [ "$line" = "$key=" ] && [[ "$secret_names" == *" $key "* ]]; then
      line="$key=$(random)"
    fi
  fi
  printf '%s\n' "$line"
done < "$here/.env.example" > "$tmp"
for override in "${overrides[@]}"; do
  grep -q "^${override%%=*}=" "$tmp" || { rm -f "$tmp"; echo "unknown setting: ${override%%=*}" >&2; exit 2; }
done
mv "$tmp" "$output"
echo "wrote $output (secrets: $(echo "$secret_names" | wc -w), fresh and random)"
