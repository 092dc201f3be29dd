"""Tokens: hashed at rest, several per user, expiry, revocation, last use; 401 otherwise."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from common.models import ApiToken
from common.services import api_token_create, api_token_revoke
from common.testing.api import make_department_user
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/organizations/"


def client_with(key: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


@pytest.fixture
def dept_user():
    unit = SupervisingUnitFactory()
    OrganizationFactory(supervising_unit=unit)
    return make_department_user(unit=unit)


def test_only_the_sha256_of_the_key_is_stored(dept_user):
    token, key = api_token_create(user=dept_user)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert not any(key in str(value) for value in row.values())
    assert key.startswith(row["prefix"])


def test_a_user_has_several_tokens_each_working(dept_user):
    keys = [api_token_create(user=dept_user)[1] for _ in range(3)]
    assert len(set(keys)) == 3
    for key in keys:
        assert client_with(key).get(URL).status_code == 200


def test_keyword_is_case_insensitive(dept_user):
    _token, key = api_token_create(user=dept_user)
    assert client_with(key, keyword="token").get(URL).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Token", "Token a b", "Token so_wrong", "Bearer whatever"],
)
def test_missing_or_malformed_or_unknown_key_401(dept_user, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


def test_expired_token_401(dept_user):
    token, key = api_token_create(
        user=dept_user, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert client_with(key).get(URL).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = client_with(key).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期。"}


def test_revoked_token_401_and_the_record_is_kept(dept_user, staff_user):
    token, key = api_token_create(user=dept_user)
    api_token_revoke(token=token, actor=staff_user)
    response = client_with(key).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已吊销。"}
    token.refresh_from_db()
    assert token.revoked_by == staff_user


def test_inactive_user_401(dept_user):
    _token, key = api_token_create(user=dept_user)
    get_user_model().objects.filter(pk=dept_user.pk).update(is_active=False)
    assert client_with(key).get(URL).status_code == 401


def test_last_used_recorded_at_most_once_a_minute(dept_user):
    token, key = api_token_create(user=dept_user)
    client = client_with(key)
    client.get(URL)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL)
    assert not any(q["sql"].startswith("UPDATE") for q in ctx.captured_queries)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get(URL)
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(minutes=2)


def test_expiry_in_the_past_refused():
    from django.core.exceptions import ValidationError

    user = get_user_model().objects.create_user("x")
    with pytest.raises(ValidationError):
        api_token_create(user=user, expires_at=timezone.now() - datetime.timedelta(seconds=1))
