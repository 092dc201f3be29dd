"""A real Celery worker against the real Redis broker (DEVELOPERS.md: at least one such test)."""

from __future__ import annotations

import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from common.tasks import broker_roundtrip
from config.celery import app


@pytest.fixture
def real_worker(transactional_db, settings):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


@pytest.mark.worker
def test_task_round_trips_through_redis_to_a_worker(real_worker):
    assert app.conf.broker_url.startswith("redis://")
    token = uuid.uuid4().hex
    result = broker_roundtrip.delay(token=token)
    answer = result.get(timeout=30)
    assert answer["token"] == token
    assert answer["vendor"] == "postgresql"
    assert answer["database"] == connection.settings_dict["NAME"]
