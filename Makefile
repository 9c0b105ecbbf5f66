# The two commands of the README: `make run` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install migrate load collectstatic clean

$(STAMP): requirements.lock bin/find-python
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) bin/ensure-database
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_initiative
	$(PY) manage.py load_demo

run: export DEBUG ?= true
run: load
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/honcho -f Procfile.dev start

test: install
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

bench: export DEBUG ?= true
bench: install
	$(PY) bin/ensure-database
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) -m bench $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles var
