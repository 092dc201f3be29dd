"""The organization_uscc / supervising_unit_code pair is written once (issue 16 item 1):
every FilterSet of an organization's records takes it from registry.filters, so the admin, the
API and the exports of each subject filter alike."""

from __future__ import annotations

import datetime

import pytest

from oversight.annual_reports.filters import AnnualReportFilterSet
from oversight.credit.choices import CreditGround
from oversight.credit.filters import CreditListingFilterSet
from oversight.credit.models import CreditListing
from oversight.inspections.filters import AuditFilterSet, InspectionFilterSet
from oversight.zombies.filters import ZombieCaseFilterSet
from registry.filters import OrganizationRecordFilterSet
from tests.oversight.factories import make_listing
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

FILTERSETS = [
    AnnualReportFilterSet,
    CreditListingFilterSet,
    InspectionFilterSet,
    AuditFilterSet,
    ZombieCaseFilterSet,
]


@pytest.mark.parametrize("filterset", FILTERSETS)
def test_every_record_filterset_takes_the_one_pair(filterset):
    assert issubclass(filterset, OrganizationRecordFilterSet)
    base = OrganizationRecordFilterSet.base_filters
    for name in ("organization_uscc", "supervising_unit_code"):
        assert filterset.base_filters[name] is not None
        assert type(filterset.base_filters[name]) is type(base[name])
        assert filterset.base_filters[name].label == base[name].label
        assert "organization_uscc" not in vars(filterset)  # not redeclared


@pytest.mark.django_db
def test_the_uscc_filter_reads_a_code_as_the_register_writes_it():
    unit = SupervisingUnitFactory()
    org = OrganizationFactory(established_on=datetime.date(2015, 3, 1), supervising_unit=unit)
    other = OrganizationFactory(established_on=datetime.date(2015, 3, 1))
    for o in (org, other):
        make_listing(o, CreditGround.A7_OTHER, datetime.date(2024, 3, 1))
    qs = CreditListing.objects.all()
    pasted = f" {org.uscc.lower()}\u3000"
    found = CreditListingFilterSet({"organization_uscc": pasted}, queryset=qs).qs
    assert [x.organization_id for x in found] == [org.pk]
    by_unit = CreditListingFilterSet({"supervising_unit_code": unit.code}, queryset=qs).qs
    assert [x.organization_id for x in by_unit] == [org.pk]
