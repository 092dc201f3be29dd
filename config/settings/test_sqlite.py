"""Tests on the embedded path `make run` uses with no services: SQLite, the process's own
cache, tasks in-process (issue 16 item 6). `make test` runs the dialect-sensitive tests
(draws, zombie detection, credit rules, imports, triggers) here as well as on PostgreSQL."""

from .test import *  # noqa: F403

# Django's test runner gives SQLite an in-memory database per run.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_URL = ""
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
