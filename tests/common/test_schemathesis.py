"""Property-based API tests from the OpenAPI schema: no 5xx, responses match the schema.

Bounded (max_examples per operation) so the suite stays fast; run against the WSGI app in
the test's own transaction, with a real staff token and a real department token."""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from common.testing.api import make_department_user, make_staff_user
from config.wsgi import application
from registry.choices import LifecycleStatus, OrganizationType
from tests.registry.factories import OrganizationFactory, RatingFactory, SupervisingUnitFactory

MAX_EXAMPLES = 20
API_APPS = ("common", "registry", "oversight", "partybuilding", "funding", "reports")
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(autouse=True)
def keep_test_connection():
    # The WSGI handler closes the connection after each request (request_finished), which
    # would end the test's transaction; Django's own test client detaches it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def register(db):
    """A small register with every shape a row can have (no unit, rating, deregistered)."""
    unit = SupervisingUnitFactory(code="JYJ", name="区教育局")
    SupervisingUnitFactory(code="WJJ", name="区卫生健康局")
    rated = OrganizationFactory(
        supervising_unit=unit, org_type=OrganizationType.SOCIAL_GROUP, is_industry_association=True
    )
    RatingFactory(organization=rated, awarded_on=datetime.date(2024, 6, 1))
    OrganizationFactory(supervising_unit=None)
    OrganizationFactory(
        supervising_unit=unit,
        status=LifecycleStatus.DEREGISTERED,
        deregistered_on=datetime.date(2024, 1, 1),
    )
    return unit


def _auth(user) -> dict[str, str]:
    from common.services import api_token_create

    _token, key = api_token_create(user=user)
    return {"Authorization": f"Token {key}"}


# Loaded at collection: generating the schema needs no database. (The lazy
# `schemathesis.pytest.from_fixture` loader does not run on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_as_staff(case, register):
    # Staff holding the permissions of every resource, so the oversight, party-building and
    # funding endpoints are exercised for real, not only answered with 403.
    case.call_and_validate(headers=_auth(make_staff_user(perms=_api_perms())), checks=CHECKS)


def _api_perms() -> list[str]:
    from django.contrib.auth.models import Permission

    return [
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(
            content_type__app_label__in=API_APPS, codename__startswith="view_"
        ).values_list("content_type__app_label", "codename")
    ]


def test_the_fuzzing_staff_user_is_let_into_every_list_endpoint(register):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=_auth(make_staff_user(perms=_api_perms()))["Authorization"]
    )
    lists = [
        path
        for path, methods in schema.raw_schema["paths"].items()
        if "get" in methods and "{" not in path
    ]
    assert any(path.startswith("/api/v1/oversight") or "inspection" in path for path in lists)
    refused = {path: client.get(path).status_code for path in lists}
    assert {path: code for path, code in refused.items() if code != 200} == {}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_as_department(case, register):
    case.call_and_validate(headers=_auth(make_department_user(unit=register)), checks=CHECKS)
