# The README's commands. Everything runs on loopback; data and logs live in .dev/ (ignored by git).
#   make run    set up and serve the portal with demo data on http://127.0.0.1:5000
#   make test   set up and run the whole test suite  (make test ARGS="tests/test_x.py -k y")
#   make bench  run the benchmarks under benchmarks/
#   make lint   ruff, mypy and the module boundaries;  make test-unit  the pure tests, no services
#   make stop   stop the portal's worker and the services
#   make test-docker  build the Docker deployment (docker/) and test it live (root; see docker/README.md)
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PYTHON ?= python3
ARGS ?=
STAMP := $(VENV)/.installed

help:
	@sed -n '2,7p' Makefile | sed 's/^# *//'

# The Python environment: CKAN 2.12 from PyPI and the suite (editable) with all extras.
$(STAMP): setup.py
	@bash dev/python.sh "$(PYTHON)" "$(VENV)"
	@touch $(STAMP)

venv: $(STAMP)

# The gifu theme's CSS, built from the Digital Agency design tokens (npm, at install time only).
THEME_DIR := ckanext-gifu/ckanext/gifu/assets
THEME_CSS := $(THEME_DIR)/build/gifu.css
$(THEME_CSS): $(THEME_DIR)/package-lock.json $(THEME_DIR)/build.mjs $(THEME_DIR)/src/gifu.css
	@bash dev/theme.sh build

theme: $(THEME_CSS)

services: venv theme
	@bash dev/services.sh start

status:
	@bash dev/services.sh status

run: services
	@bash dev/portal.sh run

test: services
	@bash dev/test.sh $(ARGS)

bench: services
	@bash dev/bench.sh $(ARGS)

# The pure code's tests and docstring examples (PII engine, text core, key normalisation, row
# filtering, lifecycle table, municipality codes, module boundaries): no services, no CKAN database.
UNIT := ckanext-jatext/ckanext/jatext ckanext-anonymize/ckanext/anonymize/engine \
	ckanext-anonymize/ckanext/anonymize/pipeline.py ckanext-anonymize/ckanext/anonymize/tests/engine \
	ckanext-optout/ckanext/optout/keys.py ckanext-optout/ckanext/optout/suppress.py \
	ckanext-optout/ckanext/optout/lifecycle.py ckanext-optout/ckanext/optout/personal_records.py \
	ckanext-optout/ckanext/optout/tests/test_keys.py ckanext-optout/ckanext/optout/tests/test_suppress.py \
	ckanext-optout/ckanext/optout/tests/test_lifecycle_table.py \
	ckanext-gifu/ckanext/gifu/municipality.py ckanext-gifu/ckanext/gifu/tests/test_municipality.py \
	ckanext-gifu/ckanext/gifu/standards ckanext-gifu/ckanext/gifu/tests/test_standards_specs.py \
	ckanext-gifu/ckanext/gifu/tests/test_conformance.py \
	ckanext-roundtable/ckanext/roundtable/terms.py ckanext-roundtable/ckanext/roundtable/tests/test_i18n.py \
	tests/test_boundaries.py tests/test_text_core_agreement.py tests/test_demo_tables_survive_the_scrub.py
test-unit: venv
	@$(VENV)/bin/python -m pytest -p no:ckan -q $(UNIT) $(ARGS)

# CKAN core's action and auth tests with the suite loaded: core's behaviour must not change.
test-ckan-core: services
	@bash dev/test-ckan-core.sh $(ARGS)

# ruff (lint + format check) over the repository, mypy over the pure code, the module boundaries.
lint: venv
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy
	@$(VENV)/bin/python -m pytest -p no:ckan -q tests/test_boundaries.py

# The production deployment built from debian:bookworm-slim and tested over HTTPS (installs docker.io
# and debootstrap when missing; make test-docker ARGS="-k scale" passes arguments to pytest).
test-docker: venv
	@bash dev/docker.sh test $(ARGS)

stop:
	@bash dev/portal.sh stop || true
	@bash dev/services.sh stop

.PHONY: help venv theme services status run test test-unit test-ckan-core test-docker lint bench stop
