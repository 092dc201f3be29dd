"""Suite-wide fixtures. The suite runs on the real PostgreSQL and Redis (DEVELOPERS.md)."""

from __future__ import annotations

import socket

import pytest
from django.conf import settings

START_HINT = (
    "测试需要 127.0.0.1 上的 PostgreSQL 和 Redis。启动方法：\n"
    "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
    '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
)


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_configure(config) -> None:
    from urllib.parse import urlparse

    db = settings.DATABASES["default"]
    redis = urlparse(settings.CELERY_BROKER_URL)
    missing = []
    if not _reachable(db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)):
        missing.append(f"PostgreSQL（{db.get('HOST')}:{db.get('PORT')}）")
    if not _reachable(redis.hostname or "127.0.0.1", redis.port or 6379):
        missing.append(f"Redis（{redis.hostname}:{redis.port}）")
    if missing:
        pytest.exit("无法连接：" + "、".join(missing) + "\n" + START_HINT, returncode=3)


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_superuser("clerk", "clerk@example.com", "pw")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush every table, data migrations included; put the seeded
    reference tables (the 15 industry categories of D1, the beat schedules) back for whichever test runs next."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    import importlib

    from registry.models import IndustryCategory

    request.getfixturevalue(
        "transactional_db" if marker and marker.kwargs.get("transaction") else "db"
    )
    if IndustryCategory.objects.count() < 15:
        seed = importlib.import_module("registry.migrations.0002_industry_categories")
        for code, name, scope in seed.CATEGORIES:
            IndustryCategory.objects.update_or_create(
                code=code, defaults={"name": name, "scope": scope}
            )
