# The two commands of the README: `make run` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-scale lint install lock migrate load collectstatic clean

# The development lock: what runs plus the test and lint tools (the Docker image installs only
# requirements.lock). Both are generated from pyproject.toml by bin/lock.
$(STAMP): requirements-dev.lock bin/find-python
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) bin/ensure-database
	$(PY) manage.py migrate --noinput

# Demo accounts are for trials: `make load` runs in development mode unless DEBUG is set (with DEBUG=false
# it needs a SECRET_KEY, and load_demo asks for --force).
load: export DEBUG ?= true
load: migrate
	$(PY) manage.py load_initiative
	$(PY) manage.py load_demo

run: export DEBUG ?= true
run: load
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/honcho -f Procfile.dev start

test: install
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Benchmarks run as production does (DEBUG off) with a key of their own: nobody sets SECRET_KEY by hand.
# One table, written to docs/benchmarks.md when every bench ran. `make bench BENCH_ARGS=scale` (or
# `make bench-scale`) runs one; `BENCH_ARGS=--smoke` the seconds-long form the tests run.
bench: export DEBUG ?= false
bench: export SECRET_KEY ?= bench-only-not-a-secret
bench: install
	$(PY) bin/ensure-database
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) -m bench $(BENCH_ARGS)

bench-scale: BENCH_ARGS = scale
bench-scale: bench

lock: install
	$(PY) bin/lock

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles var
