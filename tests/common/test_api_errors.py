"""Errors are JSON everywhere; 404 is one body; throttling answers 429 with Retry-After."""

from __future__ import annotations

import pytest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from common.api.throttling import TokenRateThrottle
from common.testing.api import make_department_user, token_client
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept_client():
    unit = SupervisingUnitFactory()
    OrganizationFactory(supervising_unit=unit)
    return token_client(make_department_user(unit=unit))


def test_unknown_api_url_is_the_same_json_404_as_a_missing_object(dept_client):
    unknown_route = dept_client.get("/api/v1/no-such-resource/")
    missing_object = dept_client.get("/api/v1/organizations/52440304MJ9999999X/")
    assert unknown_route.status_code == missing_object.status_code == 404
    assert unknown_route["Content-Type"] == "application/json"
    assert unknown_route.json() == missing_object.json() == {"detail": "未找到。"}


def test_bad_filter_values_are_keyed_by_field(dept_client):
    response = dept_client.get(
        "/api/v1/organizations/", {"status": "bogus", "established_after": "yesterday"}
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"status", "established_after"}
    assert all(isinstance(msgs, list) and msgs for msgs in body.values())


def test_department_write_is_403_json(dept_client):
    response = dept_client.post("/api/v1/organizations/", {}, format="json")
    assert response.status_code in (403, 405)
    assert set(response.json()) == {"detail"}


def test_nul_character_in_a_parameter_is_400_not_500(dept_client):
    response = dept_client.get("/api/v1/organizations/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert "detail" in response.json()


def test_page_size_is_capped_at_1000():
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from common.api.pagination import StandardPagination

    def size(query: str) -> int:
        request = Request(APIRequestFactory().get("/api/v1/organizations/" + query))
        return StandardPagination().get_page_size(request)

    assert size("") == 50
    assert size("?page_size=200") == 200
    assert size("?page_size=100000") == 1000


def test_throttled_per_token_with_retry_after(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"api_token": "3/min"})
    unit = SupervisingUnitFactory()
    first = token_client(make_department_user(unit=unit))
    second = token_client(make_department_user(unit=unit))
    statuses = [first.get("/api/v1/organizations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = first.get("/api/v1/organizations/")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert set(throttled.json()) == {"detail"}
    # Another token of the same department has its own bucket.
    assert second.get("/api/v1/organizations/").status_code == 200


def test_the_enforced_rate_is_the_one_the_environment_configures():
    # Rates are read once, when DRF's settings load: prove the chain environment →
    # settings → throttle in a fresh interpreter, as a deployment would start.
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "import django; django.setup();"
        "from common.api.throttling import TokenRateThrottle as T;"
        "print(T().num_requests, T().duration)"
    )
    env = {
        **os.environ,
        "API_THROTTLE_RATE": "7/hour",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["7", "3600"]
    # And in this process the throttle enforces what the settings say, not DRF's default.
    throttle = TokenRateThrottle()
    assert throttle.get_rate() == api_settings.DEFAULT_THROTTLE_RATES["api_token"]
    assert throttle.num_requests >= 60


def test_large_counts_are_cached_small_ones_exact(settings):
    from tests.registry.factories import OrganizationFactory as Org

    settings.API_COUNT_CACHE_MIN = 3
    unit = SupervisingUnitFactory()
    client = token_client(make_department_user(unit=unit))
    Org.create_batch(2, supervising_unit=unit)
    assert client.get("/api/v1/organizations/").json()["count"] == 2
    Org(supervising_unit=unit)
    assert client.get("/api/v1/organizations/").json()["count"] == 3  # small: exact
    Org(supervising_unit=unit)
    # 3 reached the threshold and was cached; the new row shows after the cache expires.
    assert client.get("/api/v1/organizations/").json()["count"] == 3
    other = token_client(make_department_user(unit=SupervisingUnitFactory()))
    assert other.get("/api/v1/organizations/").json()["count"] == 0
