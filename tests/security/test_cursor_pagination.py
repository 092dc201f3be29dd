"""Item 9: `?cursor=` keyset pages: every row exactly once, the same queries on a deep page
as on the first, no foreign rows, tamper-proof cursors; page numbers still work."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from common.services import api_token_create
from common.testing.api import make_department_user
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/organizations/"


def client_for(user) -> APIClient:
    _token, key = api_token_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def follow(client, url):
    pages, queries = [], []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body and body["previous"] is None
        pages.append([row["uscc"] for row in body["results"]])
        queries.append(len(ctx.captured_queries))
        url = body["next"]
    return pages, queries


@pytest.mark.parametrize("ordering", ["", "-name", "registered_capital", "-established_on"])
def test_every_row_once_and_deep_pages_cost_the_same(ordering):
    unit, other = SupervisingUnitFactory(), SupervisingUnitFactory()
    mine = OrganizationFactory.create_batch(23, supervising_unit=unit)
    for org in mine[:8]:  # ties on the ordering value: the pk breaks them
        org.name, org.registered_capital = "同名组织", 100
        org.save()
    OrganizationFactory.create_batch(5, supervising_unit=other)
    client = client_for(make_department_user(unit=unit))
    query = f"?cursor=&page_size=4&ordering={ordering}" if ordering else "?cursor=&page_size=4"
    pages, queries = follow(client, URL + query)
    seen = [uscc for page in pages for uscc in page]
    assert sorted(seen) == sorted(o.uscc for o in mine)  # all mine, each once, none foreign
    assert len(pages) == 6
    assert len(set(queries[1:])) == 1  # page 6 costs what page 2 costs


def test_forged_cursor_refused_and_cannot_reach_foreign_rows():
    unit = SupervisingUnitFactory()
    OrganizationFactory.create_batch(3, supervising_unit=unit)
    foreign = OrganizationFactory()
    client = client_for(make_department_user(unit=unit))
    first = client.get(URL + "?cursor=&page_size=1").json()
    token = first["next"].split("cursor=")[1].split("&")[0]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(URL + f"?cursor={forged}")
    assert response.status_code == 400 and "cursor" in response.json()
    rows = [uscc for page in follow(client, first["next"])[0] for uscc in page]
    assert foreign.uscc not in rows


def test_page_numbers_unchanged_without_cursor():
    unit = SupervisingUnitFactory()
    OrganizationFactory.create_batch(3, supervising_unit=unit)
    body = client_for(make_department_user(unit=unit)).get(URL + "?page_size=2").json()
    assert body["count"] == 3 and "page=2" in body["next"]
