#!/usr/bin/env bash
# Create or update the Python environment in .venv/: stock CKAN 2.12 from PyPI with its
# requirements and its pytest plugin's needs, and this suite (editable) with every extra.
#   dev/python.sh PYTHON VENV
set -euo pipefail
PYTHON="${1:-python3}" VENV="${2:-.venv}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
  || { echo "Python 3.10 or newer is needed (found: $("$PYTHON" --version 2>&1))" >&2; exit 1; }
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "[python] installing python3-venv"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
echo "[python] installing CKAN 2.12 and the suite into $VENV (first time: several minutes)"
"${PIP[@]}" install "pip<26" "setuptools<82" wheel
# ckan[dev] brings pytest, pytest-factoryboy and Faker, which CKAN's own pytest plugin imports.
# Never install the PyPI package pytest-ckan: it is an obsolete CKAN 2.8 backport.
"${PIP[@]}" install "ckan[requirements,dev]==2.12.0"
"${PIP[@]}" install -e ".[all,test]"
# XLoader (the DataStore path is tested with it on). Its metadata asks for newer certifi, idna and
# urllib3 than CKAN 2.12 pins, so pip cannot resolve both at once: install it without its
# declared dependencies, then the ones it really imports.
"${PIP[@]}" install --no-deps "ckanext-xloader==2.6.0"
"${PIP[@]}" install -r requirements/xloader.txt
"$VENV/bin/python" -c "import ckan, ckanext.gifu, ckanext.optout, ckanext.anonymize, ckanext.roundtable"
