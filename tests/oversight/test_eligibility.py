"""Oversight answers funding's live eligibility questions (common.eligibility): a listing in
force holds a grant payment; catalog eligibility also sees recent listings, late reports and
too few full-time staff (R-CRD-13, D9, D12)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.eligibility import CATALOG, FUND, eligibility_snapshot, organization_obstacles
from oversight.annual_reports.services import annual_report_cycle_get, annual_report_submit
from oversight.credit.choices import CreditGround, CreditList
from oversight.credit.services import credit_listing_create
from tests.oversight.factories import make_clerks
from tests.registry.factories import OrganizationFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def list_abnormal(org, on):
    a, b = make_clerks()
    return credit_listing_create(
        organization=org,
        list_type=CreditList.ABNORMAL,
        ground=CreditGround.A2_PARTY_ORGANIZATION,
        facts="未建立党组织",
        decided_on=on,
        proposed_by=a,
        approved_by=b,
    )


def test_a_listing_in_force_is_an_obstacle_to_funding_from_its_decision_date():
    org, clean = OrganizationFactory(), OrganizationFactory()
    list_abnormal(org, D(2022, 3, 1))
    assert organization_obstacles([org.pk, clean.pk], D(2022, 2, 28), purpose=FUND) == {}
    on_day = organization_obstacles([org.pk, clean.pk], D(2022, 3, 1), purpose=FUND)
    assert list(on_day) == [org.pk] and "活动异常名录" in on_day[org.pk][0]
    # The whole register (ids=None) gives the same answer in one query per provider.
    assert organization_obstacles(None, D(2022, 3, 1), purpose=FUND).keys() == {org.pk}


def test_catalog_sees_late_reports_and_too_few_full_time_staff():
    early = D(2015, 1, 1)
    late, thin, good = (OrganizationFactory(established_on=early) for _ in range(3))
    cycle = annual_report_cycle_get(year=2021)
    annual_report_submit(
        organization=thin, year=2021, submitted_on=D(2022, 3, 1), full_time_staff=1
    )
    annual_report_submit(
        organization=good, year=2021, submitted_on=D(2022, 3, 1), full_time_staff=4
    )
    on = cycle.bureau_deadline + datetime.timedelta(days=1)
    found = organization_obstacles([late.pk, thin.pk, good.pk], on, purpose=CATALOG)
    assert "未按时报送" in " ".join(found[late.pk])
    assert "专职工作人员1人" in " ".join(found[thin.pk])
    assert good.pk not in found
    # Grants are not held for a late report: that is a catalog condition only (D9 vs D12).
    assert organization_obstacles([late.pk], on, purpose=FUND) == {}


def test_two_dates_in_one_snapshot_share_the_missing_report_query_and_its_answer():
    """Which organizations missed a deadline does not depend on the date asked once it has
    passed (a report filed later is late either way): inside one snapshot the catalog's two
    dates read it once; the staff figures, which a later report can change, are read per date."""
    early = D(2015, 1, 1)
    late, thin = (
        OrganizationFactory(established_on=early),
        OrganizationFactory(established_on=early),
    )
    cycle = annual_report_cycle_get(year=2021)
    annual_report_submit(
        organization=thin, year=2021, submitted_on=D(2022, 3, 1), full_time_staff=1
    )
    first = cycle.bureau_deadline + datetime.timedelta(days=1)
    annual_report_submit(
        organization=late, year=2021, submitted_on=first + datetime.timedelta(days=5)
    )
    second = first + datetime.timedelta(days=30)
    ids = [late.pk, thin.pk]
    apart = [organization_obstacles(ids, day, purpose=CATALOG) for day in (first, second)]
    with CaptureQueriesContext(connection) as outside:
        [organization_obstacles(ids, day, purpose=CATALOG) for day in (first, second)]
    with CaptureQueriesContext(connection) as inside, eligibility_snapshot():
        together = [organization_obstacles(ids, day, purpose=CATALOG) for day in (first, second)]
    assert together == apart
    assert "未按时报送" in " ".join(together[1][late.pk])  # filed, but late
    assert len(inside) == len(outside) - 1
