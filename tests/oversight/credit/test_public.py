"""Public page /public/credit-lists/ (R-CRD-12): no login, only listings in force, search by
name or USCC, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.credit.choices import CreditGround, CreditList, RemovalGround
from oversight.credit.services import credit_removal_create
from tests.oversight.factories import make_clerks, make_listing
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/public/credit-lists/"


def test_only_active_listings_without_login(client):
    listed = OrganizationFactory(name="福田区甲协会")
    removed = OrganizationFactory(name="福田区乙协会")
    serious = OrganizationFactory(name="福田区丙中心")
    listing = make_listing(listed, CreditGround.A2_PARTY_ORGANIZATION, D(2023, 1, 1))
    make_listing(removed, CreditGround.A5_WARNING_OR_SMALL_FINE, D(2023, 1, 1))
    make_listing(serious, CreditGround.S6_JUDGMENT_DEFAULTER, D(2023, 2, 1))
    a, b = make_clerks()
    credit_removal_create(
        organization=removed,
        list_type=CreditList.ABNORMAL,
        ground=RemovalGround.NOTHING_TO_RECTIFY,
        facts="列入满6个月",
        decided_on=D(2023, 7, 1),
        proposed_by=a,
        approved_by=b,
    )
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "福田区甲协会" in html and listed.uscc in html
    assert listing.decision_no in html and "2023-01-01" in html
    assert "未按照有关规定设立党组织" in html
    assert "福田区丙中心" in html
    assert "福田区乙协会" not in html


def test_search_by_name_or_uscc(client):
    a = OrganizationFactory(name="福田区甲协会")
    b = OrganizationFactory(name="福田区乙协会")
    for org in (a, b):
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2023, 1, 1))
    html = client.get(URL, {"q": "甲协"}).content.decode()
    assert "福田区甲协会" in html and "福田区乙协会" not in html
    html = client.get(URL, {"q": b.uscc}).content.decode()
    assert "福田区乙协会" in html and "福田区甲协会" not in html
    html = client.get(URL, {"q": "甲", "list": "serious"}).content.decode()
    assert "福田区甲协会" not in html


def test_constant_queries(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    clerks = make_clerks()
    for _ in range(3):
        make_listing(OrganizationFactory(), CreditGround.A7_OTHER, D(2023, 1, 1), clerks=clerks)
    few = count()
    for _ in range(20):
        make_listing(OrganizationFactory(), CreditGround.A7_OTHER, D(2023, 1, 1), clerks=clerks)
    assert count() == few
