# 社会组织登记监管平台 — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
SETTINGS ?= config.settings.dev
# Dialect-sensitive tests (draws, zombie detection, credit rules, imports, triggers), run on
# SQLite too; the PostgreSQL-only ones among them skip (tests/project/sqlite_plugin.py).
SQLITE_TESTS := tests/oversight/inspections/test_draw_service.py \
	tests/oversight/inspections/test_draw_algorithm.py \
	tests/oversight/zombies/test_detection.py \
	tests/oversight/zombies/test_cases_and_circulars.py \
	tests/oversight/zombies/test_designation_and_notice.py \
	tests/oversight/credit/test_removal_applications.py \
	tests/oversight/credit/test_rules.py \
	tests/oversight/credit/test_services.py \
	tests/oversight/annual_reports/test_imports.py \
	tests/registry/test_excel_import.py \
	tests/registry/test_register_writes.py \
	tests/registry/test_services.py \
	tests/project/test_missing_beat_schedules.py \
	tests/partybuilding/test_credit_trigger.py \
	tests/oversight/credit/test_definitions.py \
	tests/oversight/zombies/test_definitions.py \
	tests/common/test_policy.py \
	tests/common/test_change_tracking.py \
	tests/partybuilding/test_selectors.py \
	tests/funding/catalog/test_catalog.py \
	tests/common/test_values_plan.py

.PHONY: run test lint bench install worker beat clean backup restore

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) manage.py seed_demo
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) manage.py ensure_staff_login --url http://$(HOST):$(PORT)/admin/
	DJANGO_SETTINGS_MODULE=$(SETTINGS) ./scripts/serve.sh $(HOST) $(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/check_migrations.py
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=sqlite://:memory: $(PY) manage.py check
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q -n auto
	# The embedded SQLite path of `make run`: the dialect-sensitive tests again (issue 16).
	PYTHONPATH=. $(VENV)/bin/pytest -q -p tests.project.sqlite_plugin --ds=config.settings.test_sqlite $(SQLITE_TESTS)

lint: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m scripts.bench

worker: install
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/celery -A config worker -l info

beat: install
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/celery -A config beat -l info

# Backups (docs/security.md): pg_dump + media + SHA-256 manifest; restore checks it first.
backup:
	./scripts/backup.sh

restore:
	./scripts/restore.sh $(FILE)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
