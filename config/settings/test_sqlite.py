"""Tests on the embedded path `make run` uses with no services: SQLite, the process's own
cache, tasks in-process (issue 16 item 6). `make test` runs the dialect-sensitive tests
(draws, zombie detection, credit rules, imports, triggers) here as well as on PostgreSQL."""

import os
import tempfile

from .test import *  # noqa: F403

# A database file, as `make run` has, not Django's default in-memory test database: that one
# is shared between connections through SQLite's shared cache, whose table locks fail at
# once ("database table is locked") where a file's locks wait (the busy timeout), so two
# threads creating the same draw failed one run in three. The file is this run's own.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {
            "NAME": os.path.join(tempfile.gettempdir(), f"socialorg-test-{os.getpid()}.sqlite3")
        },
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_URL = ""
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
