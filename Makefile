# Newsdesk: two commands. `make run` serves the demo newsroom; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
NEWSDESK := $(VENV)/bin/newsdesk
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# PYTHON=… wins; else the newest Python >= 3.12 on PATH or in pyenv.
PYTHON ?= $(shell bash scripts/find-python.sh)

.PHONY: run test lint venv chromium nginx pushpin vnu clean settings-table messages

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Newsdesk needs Python >= 3.12 (Django 6.1 requires it)."; \
	  echo "Install python3.12 or python3.13 (e.g. 'apt-get install python3.13' or 'pyenv install 3.13'),"; \
	  echo "or point PYTHON at one: make run PYTHON=/path/to/python3.13"; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@ $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(NEWSDESK) up

chromium:
	@bash scripts/ensure-chromium.sh

nginx:
	@bash scripts/ensure-nginx.sh

pushpin:
	@bash scripts/ensure-pushpin.sh

vnu:
	@bash scripts/ensure-vnu.sh

# Twice: SQLite with the in-process bus and cache, then PostgreSQL + Redis (skipped with a
# message when they are not running, except with CI=true); each pass runs the in-process tests on
# two workers, then the slow ones (scripts/test-pass.sh). `pytest -m "not slow" -n 2` is the
# quick loop (docs/testing.md).
test: $(TEST_STAMP) chromium nginx pushpin vnu
	$(VENV)/bin/ruff check .
	bash scripts/test-pass.sh $(PY) $(PYTEST_ARGS)
	bash scripts/test-postgres.sh $(PY) $(PYTEST_ARGS)

# The README's configuration table is generated from newsdesk/config/env.py.
settings-table: $(STAMP)
	$(NEWSDESK) settings --readme README.md

# The catalogues (the reader's newsdesk/locale/<language>/LC_MESSAGES/django.po, the desk's and the
# stories' in newsdesk/<app>/locale/…) compiled to
# the django.mo files that are committed beside them, so `make run` needs no gettext tools (a
# test fails when a .mo says something else than its .po). Needs msgfmt (Debian's gettext).
messages:
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: apt-get install gettext"; exit 1; }
	for po in newsdesk/locale/*/LC_MESSAGES/django.po newsdesk/*/locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "$${po%.po}.mo" "$$po"; done

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) var
