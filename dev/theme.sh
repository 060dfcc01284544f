#!/usr/bin/env bash
# The gifu theme's install-time step and the publication of its accessibility results.
#   dev/theme.sh build          npm ci (design tokens + axe-core, pinned in package-lock.json) and
#                               build assets/build/gifu.css; run at install time, never at run time
#   dev/theme.sh publish-a11y   copy the axe-core results of the last browser test run
#                               (artifacts/a11y/axe-*.json) into theme/a11y-results.json, the data
#                               the /accessibility page shows (commit it with the date it carries)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSETS="$ROOT/ckanext-gifu/ckanext/gifu/assets"
THEME="$ROOT/ckanext-gifu/ckanext/gifu/theme"

case "${1:-}" in
  build)
    if ! command -v npm >/dev/null; then
      echo "[theme] installing Node.js and npm (Debian packages)"
      sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
      $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm
    fi
    echo "[theme] building the theme CSS from the design tokens"
    npm ci --prefix "$ASSETS" --no-audit --no-fund --loglevel=error
    node "$ASSETS/build.mjs"
    ;;
  publish-a11y)
    "$ROOT/.venv/bin/python" - "$ROOT/artifacts/a11y" "$THEME/a11y-results.json" <<'PY'
import json, sys
from pathlib import Path
source, target = Path(sys.argv[1]), Path(sys.argv[2])
files = sorted(source.glob("axe-*.json"), key=lambda p: -int(p.stem.split("-")[1]))
if not files:
    sys.exit(f"no results in {source}: run the browser tests first (test_browser_theme.py)")
runs = [json.loads(p.read_text(encoding="utf-8")) for p in files]
merged = {k: runs[0][k] for k in ("axe_version", "standard", "browser")}
merged["measured_at"] = max(r["measured_at"] for r in runs)
merged["runs"] = [{k: v for k, v in run.items() if k != "details"} for r in runs for run in r["runs"]]
target.write_text(json.dumps(merged, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"[theme] {target}: {len(merged['runs'])} page checks measured {merged['measured_at']}")
PY
    ;;
  *) echo "usage: $0 build|publish-a11y" >&2; exit 2 ;;
esac
