"""Credit standing is derived from active listings and filters the register in the admin
changelist, the API and the Excel export alike (DESIGN.md §3, issue: credit lists item 1)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from common.models import ApiToken  # noqa: F401  (the token model the API client uses)
from oversight.credit.choices import CreditGround, CreditList, RemovalGround
from oversight.credit.services import credit_removal_create
from tests.oversight.factories import make_clerks, make_listing
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    today = timezone.localdate()
    clean = OrganizationFactory(name="福田区守信服务中心")
    abnormal = OrganizationFactory(name="福田区异常服务中心")
    serious = OrganizationFactory(name="福田区失信服务中心")
    removed = OrganizationFactory(name="福田区已移出服务中心")
    clerks = make_clerks()
    make_listing(abnormal, CreditGround.A5_WARNING_OR_SMALL_FINE, today, clerks=clerks)
    make_listing(serious, CreditGround.S4_LARGE_FINE, today, clerks=clerks)
    listed_on = today - datetime.timedelta(days=400)
    make_listing(removed, CreditGround.A5_WARNING_OR_SMALL_FINE, listed_on, clerks=clerks)
    credit_removal_create(
        organization=removed,
        list_type=CreditList.ABNORMAL,
        ground=RemovalGround.NOTHING_TO_RECTIFY,
        facts="列入满6个月，无需整改。",
        decided_on=today,
        proposed_by=clerks[0],
        approved_by=clerks[1],
    )
    return {"none": {clean, removed}, "abnormal": {abnormal}, "serious": {serious}}


@pytest.mark.parametrize("standing", ["none", "abnormal", "serious"])
def test_admin_changelist_filters_by_credit_standing(staff_client, register, standing):
    response = staff_client.get(f"/admin/registry/organization/?credit_standing={standing}")
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == register[standing]


def test_api_filters_by_credit_standing(staff_user, register):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(staff_user)
    names = {
        r["name"]
        for r in client.get("/api/v1/organizations/?credit_standing=serious").json()["results"]
    }
    assert names == {"福田区失信服务中心"}
    assert client.get("/api/v1/organizations/?credit_standing=bogus").status_code == 400


def test_export_follows_the_credit_standing_filter(staff_client, register):
    response = staff_client.get("/admin/registry/organization/export/?credit_standing=abnormal")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[1] for r in rows[1:]] == ["福田区异常服务中心"]
