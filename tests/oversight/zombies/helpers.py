"""Shared helpers of the zombie tests: organizations, reports, letters, listings and cases."""

from __future__ import annotations

import datetime
from decimal import Decimal

from oversight.annual_reports.models import AnnualReport
from oversight.credit.choices import CreditGround, CreditList, RemovalGround
from oversight.credit.models import CreditListing, CreditRemoval, SpecialLetter
from oversight.zombies.choices import ZombieCriterion
from oversight.zombies.detection import zombie_detect
from oversight.zombies.models import ZombieFlag
from registry.choices import OrganizationType
from tests.registry.factories import OrganizationFactory

D = datetime.date
C1, C2, C3, C4, C5 = (c.value for c in ZombieCriterion)


# ------------------------------------------------------------------ helpers


def by_criterion(flag) -> dict:
    """The evidence per criterion, without the periods every flag records (test_definitions)."""
    return {k: v for k, v in flag.evidence.items() if k != "periods"}


def org(**kw):
    kw.setdefault("org_type", OrganizationType.SOCIAL_GROUP)
    kw.setdefault("established_on", D(2015, 3, 1))
    return OrganizationFactory(**kw)


def report(organization, year: int, *, activities: int = 5, submitted_on=None, sealed=True):
    return AnnualReport.objects.create(
        organization=organization,
        year=year,
        submitted_on=submitted_on or D(year + 1, 4, 1),
        is_sealed=sealed,
        activities_held=activities,
        income=Decimal("1000"),
    )


def reports(organization, years, **kw):
    for year in years:
        report(organization, year, **kw)


def letter(organization, sent_on, *, signed=False, returned_on=None, in_transit=False):
    """A special letter; an unsigned one comes back ten days later unless told otherwise."""
    if not signed and not in_transit and returned_on is None:
        returned_on = sent_on + datetime.timedelta(days=10)
    return SpecialLetter.objects.create(
        organization=organization, sent_on=sent_on, signed_for=signed, returned_on=returned_on
    )


_decisions = iter(range(1, 10_000))


LISTED_ON = D(2022, 9, 1)


def listing(organization, *, ground=CreditGround.A6_UNREACHABLE, decided_on=LISTED_ON):
    return CreditListing.objects.create(
        organization=organization,
        organization_name=organization.name,
        list_type=CreditList.ABNORMAL,
        ground=ground,
        facts="两次专项信函均未签收",
        decided_on=decided_on,
        effective_on=decided_on,
        authority="深圳市福田区民政局",
        decision_no=f"深福民异〔2022〕{next(_decisions)}号",
        review_due_on=decided_on + datetime.timedelta(days=183),
    )


def remove(item: CreditListing, *, decided_on):
    removal = CreditRemoval.objects.create(
        organization=item.organization,
        list_type=item.list_type,
        ground=RemovalGround.RECTIFIED,
        facts="已核实住所",
        decided_on=decided_on,
        authority="深圳市福田区民政局",
        decision_no=f"深福民移〔2022〕{next(_decisions)}号",
    )
    removal.listings.add(item)
    return removal


def detect(as_of) -> dict[int, ZombieFlag]:
    zombie_detect(as_of=as_of)
    return {f.organization_id: f for f in ZombieFlag.objects.filter(as_of=as_of)}


def criteria_on(organization, as_of) -> list[str]:
    flag = detect(as_of).get(organization.pk)
    return flag.criteria if flag else []
