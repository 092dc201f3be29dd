"""GET /api/v1/organizations/export/?format=csv|ndjson (issue 15): the caller's whole scope,
streamed, filtered like the list; a department's export never holds another unit's rows."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from common.testing.api import (
    COVERED_ROUTES,
    make_department_user,
    make_staff_user,
    token_client,
)
from registry.choices import OrganizationType
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organizations/export/"
# This module holds the scope tests of the export route (the route sweep looks for them).
COVERED_ROUTES["api-v1:organization-export"] = f"{__name__}"


def body(response) -> str:
    assert response.streaming, "导出必须以流的方式返回"
    return b"".join(response.streaming_content).decode()


def csv_usccs(response) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(body(response))))
    return [row["uscc"] for row in rows]


@pytest.fixture
def two_units():
    unit_a, unit_b = SupervisingUnitFactory(), SupervisingUnitFactory()
    own = [OrganizationFactory(supervising_unit=unit_a) for _ in range(3)]
    other = [OrganizationFactory(supervising_unit=unit_b) for _ in range(2)]
    return unit_a, own, other


def test_department_csv_holds_its_own_organizations_only(two_units):
    unit_a, own, _other = two_units
    OrganizationFactory(supervising_unit=None)
    response = token_client(make_department_user(unit=unit_a)).get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "organizations.csv" in response["Content-Disposition"]
    assert sorted(csv_usccs(response)) == sorted(o.uscc for o in own)


def test_staff_ndjson_holds_the_whole_register_and_list_filters_apply(two_units):
    _unit, own, other = two_units
    client = token_client(make_staff_user(perms=["registry.view_organization"]))
    response = client.get(URL, {"format": "ndjson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in body(response).splitlines()]
    assert {r["uscc"] for r in records} >= {o.uscc for o in own + other}
    assert records[0]["supervising_unit_code"] in {o.supervising_unit.code for o in own + other}
    target = own[0]
    filtered = client.get(URL, {"format": "ndjson", "search": target.uscc})
    assert [json.loads(x)["uscc"] for x in body(filtered).splitlines()] == [target.uscc]
    by_type = client.get(URL, {"format": "csv", "org_type": OrganizationType.FOUNDATION})
    expected = {o.uscc for o in own + other if o.org_type == OrganizationType.FOUNDATION}
    assert set(csv_usccs(by_type)) == expected


def test_export_is_not_paginated_and_defaults_to_csv(two_units):
    unit_a, own, _other = two_units
    client = token_client(make_department_user(unit=unit_a))
    response = client.get(URL, {"page_size": 1})
    assert len(csv_usccs(response)) == len(own)


def test_export_refuses_anonymous_and_staff_without_permission():
    anonymous = APIClient().get(URL, {"format": "csv"})
    assert anonymous.status_code == 401
    assert "detail" in json.loads(anonymous.content)
    staff = token_client(make_staff_user(perms=[])).get(URL, {"format": "ndjson"})
    assert staff.status_code == 403


def test_unknown_format_is_refused():
    client = token_client(make_staff_user(perms=["registry.view_organization"]))
    assert client.get(URL, {"format": "xml"}).status_code == 404


def test_export_query_count_does_not_grow_with_rows():
    client = token_client(make_staff_user(perms=["registry.view_organization"]))
    unit = SupervisingUnitFactory()

    def count() -> int:
        client.get(URL)  # warm-up: the token's last-used write
        with CaptureQueriesContext(connection) as ctx:
            body(client.get(URL, {"format": "csv"}))
        return len(ctx.captured_queries)

    OrganizationFactory.create_batch(3, supervising_unit=unit)
    few = count()
    OrganizationFactory.create_batch(60, supervising_unit=unit)
    assert count() == few
