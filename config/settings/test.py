"""Test settings: the real PostgreSQL and Redis on 127.0.0.1 (DEVELOPERS.md), never SQLite."""

import os

import dj_database_url

from .base import *  # noqa: F403

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/socialorg"),
        # Tests open one connection per thread; the bench's gunicorn (scripts/bench) keeps
        # its connections as a deployment does (base.py), or it would time a new connection
        # per request.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# `make test` runs pytest-xdist workers (gw0, gw1, …); pytest-django gives each its own test
# database, and each gets its own Redis database and media folder here, so that a worker's
# broker, cache and files never meet another's.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER.startswith("gw"):
    _redis_base, _redis_db = REDIS_URL.rsplit("/", 1)
    REDIS_URL = f"{_redis_base}/{(int(_redis_db or 0) - int(_XDIST_WORKER[2:])) % 16}"
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CACHES = {
    "default": {
        "BACKEND": "common.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # One namespace per test process: counts and throttle buckets cached by an earlier run
        # (whose pks a recreated database reuses) must not leak into this one.
        "KEY_PREFIX": f"test-{os.getpid()}",
    }
}
# Unit tests run tasks eagerly; tests marked `worker` start a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
_media = Path(os.environ.get("TEST_MEDIA_ROOT", "/tmp/socialorg-test-media"))  # noqa: F405
# A subprocess a test starts inherits the worker's name and is handed its folder already.
MEDIA_ROOT = _media / _XDIST_WORKER if _XDIST_WORKER and _media.name != _XDIST_WORKER else _media
DEBUG = False
