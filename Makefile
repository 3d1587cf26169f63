# Two commands do everything on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1 DEMO_MODE=1
export PYTHONPATH := platform
# Migrations run as the database's owner role, the servers as the application role
# that owns nothing (deploy/dev/create_database.py makes both).
AS_OWNER = env $$($(PY) deploy/dev/create_database.py --env owner)
AS_APP = env $$($(PY) deploy/dev/create_database.py --env app)

.PHONY: run test install services database static chromium kubectl redis-server clamd image-tools pgbouncer lock lint audit format bench screenshots clean

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
	$(DEV_ENV) $(AS_OWNER) $(PY) manage.py migrate_schemas --noinput -v 0
	$(DEV_ENV) $(AS_APP) $(PY) manage.py seed_demo

static: install
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }
	$(DEV_ENV) $(PY) manage.py compilemessages -v 0 --ignore ".venv/*" --ignore "frontend/node_modules/*"
	$(DEV_ENV) $(PY) manage.py collectstatic --noinput -v 0

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Renders the Kubernetes overlays in the tests (Debian's kubectl 1.20 has kustomize built in).
kubectl:
	@command -v kubectl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client; }

# The Redis-outage test starts and stops a Redis of its own.
redis-server:
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }

# Uploads are scanned by ClamAV's daemon; the scanning tests start one of their own
# (own configuration, socket and signatures), never the system's service.
clamd:
	@command -v clamd >/dev/null || test -x /usr/sbin/clamd || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon; }

# The image test builds deploy/Dockerfile with podman on a Debian base that mmdebstrap
# makes (no image registry is reachable); tests/deploy/image.py caches that base.
image-tools:
	@{ command -v podman && command -v mmdebstrap; } >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman mmdebstrap; }

# The application through a real PgBouncer in the manifests' session mode (tests/deploy/test_pgbouncer.py).
pgbouncer:
	@test -x /usr/sbin/pgbouncer || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer; }

# The image's Python packages, pinned with their hashes, from pyproject.toml's ranges;
# tests/deploy/test_requirements_lock.py fails while the two disagree. UPGRADE=1 takes
# the newest versions the ranges allow; otherwise pins change only where they must.
lock: install
	$(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
	  $(if $(UPGRADE),--upgrade) --output-file deploy/requirements.lock

run: database static clamd
	$(DEV_ENV) $(AS_APP) bash deploy/dev/run.sh

test: database static chromium kubectl redis-server clamd image-tools pgbouncer
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -c pyproject.toml -r . -q -b bandit-baseline.json
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -c pyproject.toml -r . -q -b bandit-baseline.json

# Known vulnerabilities in the installed packages. Needs a vulnerability database (PyPI's
# or OSV), which CI may not reach: --strict fails rather than pass having checked nothing.
audit: install
	$(VENV)/bin/pip-audit --skip-editable --strict --progress-spinner off

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Every tests/bench/*.py in turn (BENCH=onboarding,load picks some); not part of CI.
# The scripts seed with local settings and measure with DEBUG off (load.py: production).
bench: database static
	DEBUG=1 $(PY) tests/bench/run.py

# The user's guide's pictures (docs/users/img), taken by its browser test from the demo data.
screenshots: database static chromium
	SCREENSHOTS_DIR=docs/users/img $(PY) -m pytest tests/browser/test_user_guide.py -q

clean:
	rm -rf $(VENV) frontend/node_modules var
