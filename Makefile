# Two commands do everything on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1 DEMO_MODE=1
export PYTHONPATH := platform

.PHONY: run test install services database static chromium lint format bench clean

$(VENV)/.installed: pyproject.toml
	@python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
	@# WeasyPrint (PDFs) draws text with Pango; DejaVu is the font the PDFs ask for.
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu; } || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed frontend/node_modules/.installed

services:
	bash deploy/dev/ensure_services.sh

database: install services
	$(PY) deploy/dev/create_database.py
	$(DEV_ENV) $(PY) manage.py migrate_schemas --noinput -v 0
	$(DEV_ENV) $(PY) manage.py seed_demo

static: install
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }
	$(DEV_ENV) $(PY) manage.py compilemessages -v 0 --ignore ".venv/*" --ignore "frontend/node_modules/*"
	$(DEV_ENV) $(PY) manage.py collectstatic --noinput -v 0

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

run: database static
	$(DEV_ENV) bash deploy/dev/run.sh

test: database static chromium
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: database
	$(DEV_ENV) $(PY) tests/bench/onboarding.py
	$(DEV_ENV) $(PY) tests/bench/statistics.py

clean:
	rm -rf $(VENV) frontend/node_modules var
