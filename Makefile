# 社会组织登记监管平台 — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
SETTINGS ?= config.settings.dev

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
	$(VENV)/bin/pytest -q

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
