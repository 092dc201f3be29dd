"""Item 4: lockout per account and per address, password rules, idle timeout, failed API
authentication throttled per address, and an API throttle that never over-admits."""

from __future__ import annotations

import threading
import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from common.api.throttling import TokenRateThrottle
from common.audit_models import AuditAction, AuditEvent
from common.models import ApiToken

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "Gd7#kq2!Lm9p"


def attempt(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_account_locked_after_repeated_failures_even_from_new_addresses(client, django_user_model):
    django_user_model.objects.create_superuser("locked", "l@example.com", PASSWORD)
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(client, "locked", "wrong", f"10.0.0.{n + 1}")
    response = attempt(client, "locked", PASSWORD, "10.9.9.9")  # right password, new address
    assert response.status_code == 429
    assert "已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_address_locked_after_failures_on_several_accounts(client, django_user_model):
    django_user_model.objects.create_superuser("victim", "v@example.com", PASSWORD)
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{n}", "wrong", "10.6.6.6")
    assert attempt(client, "victim", PASSWORD, "10.6.6.6").status_code == 429
    ok = attempt(client, "victim", PASSWORD, "10.7.7.7")
    assert ok.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Gd7#kq2!Lm9p", True),
        ("correcthorsebattery", False),  # one class
        ("Abcdefghijk", False),  # two classes
        ("abcdefgh12!x", True),  # lower, digits, symbols
        ("Ab1!", False),  # too short
    ],
)
def test_password_length_and_complexity(password, ok):
    if ok:
        validate_password(password)
        return
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert any("密码" in m for m in exc.value.messages)


def test_complexity_message_is_chinese():
    with pytest.raises(ValidationError, match="至少包含"):
        validate_password("abcdefghijklmn")


def test_session_idle_timeout_defaults_to_thirty_minutes():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_failed_api_authentication_is_throttled_per_address(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"api_token": "1200/min", "api_auth_failure": "3/min"}
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token so_guessed")
    statuses = [
        client.get("/api/v1/organizations/", REMOTE_ADDR="10.3.3.3").status_code for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    assert client.get("/api/v1/organizations/", REMOTE_ADDR="10.4.4.4").status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_AUTH_FAILED).count() == 4


def test_api_throttle_never_over_admits_under_16_threads(monkeypatch):
    limit = 200
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"api_token": f"{limit}/min"})
    token = ApiToken(pk=987654, prefix="so_thread")
    request = SimpleNamespace(auth=token)
    admitted = []
    start = threading.Barrier(16)

    def worker():
        start.wait()
        mine = 0
        for _ in range(40):
            if TokenRateThrottle().allow_request(request, None):
                mine += 1
        admitted.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(admitted) == limit  # 640 tries: exactly the limit gets through


def test_window_hit_is_one_redis_transaction_with_the_windows_expiry():
    # Under Redis the counter is INCR + EXPIRE NX in one MULTI: no `:started` companion key,
    # which only the in-process fallback (make run) writes.
    from django.core.cache import cache, caches

    from common.counters import window_count, window_hit

    key = f"test-window-{uuid.uuid4().hex}"
    assert [window_hit(key, 60)[0] for _ in range(3)] == [1, 2, 3]
    assert window_count(key) == 3
    backend = caches["default"]
    full_key = backend.make_and_validate_key(key)
    assert 0 < backend._cache.get_client(full_key).ttl(full_key) <= 60
    assert cache.get(f"{key}:started") is None


def test_the_redis_cache_reuses_one_client_per_pool():
    from django.core.cache import caches

    client = caches["default"]._cache
    assert client.get_client("a") is client.get_client("b")
    assert client.get_client("a", write=True) is client.get_client("b", write=True)
