"""The API token lookup is cached (issue 14 item 5), and every change that could refuse or
re-scope the token takes effect on the very next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from common.models import ApiToken, DepartmentMembership
from common.selectors import api_token_get_by_key
from common.services import api_token_create, api_token_revoke
from common.testing.api import make_department_user
from common.token_cache import token_cache_get, token_cache_set
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/organizations/"


@pytest.fixture
def unit():
    unit = SupervisingUnitFactory()
    OrganizationFactory(supervising_unit=unit, name="本单位的组织")
    return unit


@pytest.fixture
def token_and_client(unit):
    token, key = api_token_create(user=make_department_user(unit=unit))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(URL).status_code == 200  # the first request fills the cache
    return token, client


def _token_queries(client) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    selects = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    return response.status_code, [s for s in selects if '"common_apitoken"' in s]


def test_a_cached_token_needs_no_query(token_and_client):
    _token, client = token_and_client
    status, token_reads = _token_queries(client)
    assert status == 200
    assert token_reads == []


def test_revocation_refuses_the_next_request(token_and_client):
    token, client = token_and_client
    api_token_revoke(token=ApiToken.objects.get(pk=token.pk))
    assert client.get(URL).status_code == 401


def test_deactivating_the_user_refuses_the_next_request(token_and_client):
    token, client = token_and_client
    user = token.user
    user.is_active = False
    user.save()
    assert client.get(URL).status_code == 401


def test_moving_the_department_account_rescopes_the_next_request(token_and_client):
    token, client = token_and_client
    other = SupervisingUnitFactory()
    OrganizationFactory(supervising_unit=other, name="另一单位的组织")
    membership = DepartmentMembership.objects.get(user=token.user)
    membership.supervising_unit = other
    membership.save()
    names = [row["name"] for row in client.get(URL).json()["results"]]
    assert names == ["另一单位的组织"]


def test_a_read_from_before_the_revocation_cannot_be_cached_after_it(unit):
    token, key = api_token_create(user=make_department_user(unit=unit))
    stale = api_token_get_by_key(key=key)  # read (and cached) before the revocation
    api_token_revoke(token=ApiToken.objects.get(pk=token.pk))
    token_cache_set(stale)  # a slow request now tries to cache what it read
    assert token_cache_get(stale.key_hash) is None
    assert api_token_get_by_key(key=key).is_revoked


def test_the_cache_can_be_turned_off(token_and_client, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    _token, client = token_and_client
    status, token_reads = _token_queries(client)
    assert status == 200
    assert len(token_reads) == 1
