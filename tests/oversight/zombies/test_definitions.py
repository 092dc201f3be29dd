"""The zombie detection uses the one definition of each rule (issue 16 items 1 and 3): who owes
an annual report (annual_reports.selectors), full months (common.dates), and the legal
periods in force on the detection date, which every flag records."""

from __future__ import annotations

import datetime

import pytest

from common.policy import legal_period_add
from oversight.annual_reports.models import AnnualReportCycle
from oversight.annual_reports.selectors import organizations_owing_report
from oversight.annual_reports.services import annual_report_cycle_get
from oversight.zombies.detection import _owed, zombie_detect
from oversight.zombies.models import ZombieFlag
from oversight.zombies.periods import Periods
from registry.choices import OrganizationType
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
C1, C2 = "R-ZMB-01(1)", "R-ZMB-01(2)"
AS_OF = D(2023, 6, 1)  # report years 2021 and 2022 are due


def criteria(org, on):
    zombie_detect(as_of=on)
    flag = ZombieFlag.objects.filter(organization=org, as_of=on).first()
    return flag.criteria if flag else []


def test_owed_a_report_agrees_with_the_selector_on_the_edge_cases():
    cycles = [annual_report_cycle_get(year=y) for y in (2021, 2022)]
    cutoff = cycles[1].exemption_cutoff
    pne, group = OrganizationType.PRIVATE_NON_ENTERPRISE, OrganizationType.SOCIAL_GROUP
    orgs = [
        OrganizationFactory(org_type=group, established_on=D(2020, 12, 31)),
        OrganizationFactory(org_type=group, established_on=D(2021, 1, 1)),
        OrganizationFactory(org_type=group, established_on=D(2021, 12, 31)),
        OrganizationFactory(org_type=group, established_on=D(2022, 1, 1)),
        OrganizationFactory(org_type=pne, established_on=cycles[0].exemption_cutoff),
        OrganizationFactory(org_type=pne, established_on=cycles[0].exemption_cutoff - D.resolution),
        OrganizationFactory(org_type=pne, established_on=cutoff - D.resolution),
        OrganizationFactory(org_type=pne, established_on=cutoff),
        OrganizationFactory(org_type=group, established_on=cutoff),
    ]
    owing = [set(organizations_owing_report(cycle=c).values_list("pk", flat=True)) for c in cycles]
    zombie_detect(as_of=AS_OF)
    flagged = {
        f.organization_id for f in ZombieFlag.objects.filter(as_of=AS_OF) if C1 in f.criteria
    }
    for o in orgs:  # none filed anything: (1) is met exactly when both years were owed
        assert (o.pk in flagged) == (o.pk in owing[0] and o.pk in owing[1]), o.established_on
    assert 0 < len(flagged) < len(orgs)
    assert "%(cutoff_2022)s" in _owed(Periods.on(AS_OF).missed_years[-1])


@pytest.mark.parametrize(
    ("established_on", "day_before", "complete_on"),
    [
        (D(2020, 2, 29), D(2021, 2, 27), D(2021, 2, 28)),  # as the credit rules count
        (D(2021, 3, 15), D(2022, 3, 14), D(2022, 3, 15)),
        (D(2021, 8, 31), D(2022, 8, 30), D(2022, 8, 31)),
    ],
)
def test_twelve_months_after_registration_complete_as_common_dates_count(
    established_on, day_before, complete_on
):
    # D14: (2) waits for the first report's deadline; a cycle with an early deadline leaves
    # the twelve months as the limit that decides.
    annual_report_cycle_get(year=established_on.year)
    AnnualReportCycle.objects.filter(year=established_on.year).update(
        bureau_deadline=D(established_on.year + 1, 1, 31)
    )
    org = OrganizationFactory(org_type=OrganizationType.SOCIAL_GROUP, established_on=established_on)
    assert C2 not in criteria(org, day_before)
    assert C2 in criteria(org, complete_on)


def test_a_period_changed_from_a_date_applies_from_that_date_and_is_recorded():
    org = OrganizationFactory(org_type=OrganizationType.SOCIAL_GROUP, established_on=D(2020, 3, 15))
    legal_period_add(
        key="ZOMBIE_NO_ACTIVITY_AFTER_REGISTRATION_MONTHS", value=24, effective_from=D(2021, 6, 2)
    )
    assert C2 not in criteria(org, D(2021, 5, 31))  # D14: the 2020 report not due yet
    assert C2 in criteria(org, D(2021, 6, 1))  # 12 months in force that day
    assert C2 not in criteria(org, D(2021, 6, 2))  # 24 months from then on
    assert C2 in criteria(org, D(2022, 3, 15))
    early = ZombieFlag.objects.get(organization=org, as_of=D(2021, 6, 1))
    late = ZombieFlag.objects.get(organization=org, as_of=D(2022, 3, 15))
    assert early.evidence["periods"]["ZOMBIE_NO_ACTIVITY_AFTER_REGISTRATION_MONTHS"] == 12
    assert late.evidence["periods"]["ZOMBIE_NO_ACTIVITY_AFTER_REGISTRATION_MONTHS"] == 24
    assert late.evidence[C2] == {"established_on": "2020-03-15", "months": 24, "report_due": 2020}
    assert set(late.evidence["periods"]) == {
        "ZOMBIE_MISSED_REPORT_YEARS",
        "ZOMBIE_NO_ACTIVITY_AFTER_REGISTRATION_MONTHS",
        "ZOMBIE_NO_BUSINESS_YEARS",
        "ZOMBIE_UNREACHABLE_YEARS",
        "CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS",
    }
