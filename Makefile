# The two commands of the README, and the few around them.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-services setup setup-dev static icons bench messages worker beat clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when the requirement files change.
$(VENV)/.runtime: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	@touch $@
$(VENV)/.dev: requirements-dev.txt requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# Bootstrap and the other front-end packages come from npm (package-lock.json), served by Django.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The icon font cut to the icons the project uses (manage.py build_icons, ~5 KB instead of 134 KB).
# The output is committed, so a deployment needs no build; rebuilt here when a template, a script or a
# navigation entry (widgets.py) changes, then committed (tests/test_icons.py fails until it is).
ICON_SOURCES := $(shell find templates static/js */templates */*/templates */static \( -name '*.html' -o -name '*.js' \) -not -path '*/vendor-built/*' 2>/dev/null) \
	$(wildcard */widgets.py */*/widgets.py) package-lock.json
static/vendor-built/bootstrap-icons-subset.css: $(ICON_SOURCES) | $(VENV)/.runtime node_modules/.package-lock.json
	$(PY) manage.py build_icons
icons: static/vendor-built/bootstrap-icons-subset.css

setup: $(VENV)/.runtime node_modules/.package-lock.json icons
setup-dev: $(VENV)/.dev node_modules/.package-lock.json icons

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "校园后勤 is at http://$(HOST):$(PORT)/  — log in with any account above (password: demo2026)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev
	$(PY) -m pytest

# The same suite on PostgreSQL and Redis with a real Celery worker (CI runs both).
test-services: setup-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	REQUIRE_SERVICES=1 $(PY) -m pytest

bench: setup-dev
	$(PY) -m bench

messages: setup-dev
	@for app in logistics assets repairs canteen safety procurement; do \
	  (cd $$app && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete >/dev/null) || exit 1; done
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore='logistics/*' --ignore='assets/*' --ignore='repairs/*' \
	  --ignore='canteen/*' --ignore='safety/*' --ignore='procurement/*' --ignore='.venv/*' --ignore='node_modules/*' --ignore='tests/*' --ignore='bench/*'
	$(PY) manage.py compilemessages --ignore='.venv' --ignore='node_modules' >/dev/null

worker: setup
	$(VENV)/bin/celery -A logistics worker -l info
beat: setup
	$(VENV)/bin/celery -A logistics beat -l info

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache
