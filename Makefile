# Anxin (安薪). `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
N ?= 100000
ONLY ?=

# `make run` is the embedded default: SQLite, in-memory channel layer, console SMS.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: help run test lint format bench messages clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@python=$$(bin/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	@rm -rf build *.egg-info
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP) ## Serve Anxin with demo data on http://127.0.0.1:8000 (SQLite, no services needed)
	@$(RUN_ENV) $(MANAGE) migrate --noinput -v0
	@$(RUN_ENV) $(MANAGE) compilemessages --ignore '.venv' --ignore 'var' -v0
	@mkdir -p var/static  # ServeStatic serves from the finders when debugging: no collectstatic
	@$(RUN_ENV) $(MANAGE) signing_setup
	@$(RUN_ENV) $(MANAGE) seed_demo
	@echo "Serving Anxin on http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	@$(RUN_ENV) $(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) \
		--workers 1 --no-server-header --no-access-log --log-level warning

test: $(STAMP) ## Lint, then run every test (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@DJANGO_SETTINGS_MODULE=config.settings_test $(MANAGE) compilemessages --ignore '.venv' --ignore 'var' -v0
	$(VENV)/bin/pytest
	@# Once more at two awkward moments, for the tests that do not set the clock (tests/clock.py):
	@# Saturday 14 February 2026, a make-up workday before the Spring Festival, and 00:30 on
	@# 1 January 2027 in Beijing (still 31 December in UTC, and a year without an official calendar).
	$(VENV)/bin/pytest --pretend-now=2026-02-14T10:00+08:00
	$(VENV)/bin/pytest --pretend-now=2027-01-01T00:30+08:00

lint: $(STAMP) ## ruff check and format check, import layers (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(STAMP) ## Update the translation catalogues after changing strings
	$(MANAGE) makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --ignore 'tests/*' --no-obsolete

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/anxin_bench

bench: $(STAMP) ## Benchmarks on PostgreSQL (N cases, default 100000; ONLY=pages,http,...; BENCH_DATABASE_URL)
	@db=$${BENCH_DATABASE_URL:-$(BENCH_DATABASE_URL)}; name=$${db##*/}; \
	psql "$${db%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$$name'" | grep -q 1 \
	  || psql "$${db%/*}/postgres" -qc "CREATE DATABASE $$name"; \
	DATABASE_URL=$$db REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(PY) -m bench --cases $(N) $(if $(ONLY),--only $(ONLY))

clean: ## Remove the virtual environment and local data under var/
	rm -rf $(VENV) var build *.egg-info
