"""Reads of supervision shared by admin, API, public pages, jobs and later apps."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from registry.choices import OrganizationType
from registry.models import Organization
from registry.selectors import organizations_registered_on

from .choices import InspectionOutcome, InspectionStatus
from .models import AnnualReport, AnnualReportCycle, Inspection


def organizations_owing_report(*, cycle: AnnualReportCycle) -> QuerySet[Organization]:
    """Organizations that owe a report for the cycle's year: on the register at the bureau
    deadline and established by 31 December of the year, except 民非 established on or after
    the exemption cut-off (R-ANN-02, D3)."""
    return (
        organizations_registered_on(day=cycle.bureau_deadline)
        .filter(established_on__lte=datetime.date(cycle.year, 12, 31))
        .exclude(
            org_type=OrganizationType.PRIVATE_NON_ENTERPRISE,
            established_on__gte=cycle.exemption_cutoff,
        )
    )


def organizations_missing_report(
    *, cycle: AnnualReportCycle, as_of: datetime.date
) -> QuerySet[Organization]:
    """Organizations with no sealed report for the year filed by the bureau deadline, once the
    deadline has passed (R-ANN-01/06, R-CRD-02(1)); empty before the deadline."""
    if as_of <= cycle.bureau_deadline:
        return Organization.objects.none()
    on_time = AnnualReport.objects.filter(
        organization=OuterRef("pk"),
        year=cycle.year,
        is_sealed=True,
        submitted_on__lte=cycle.bureau_deadline,
    )
    return (
        organizations_owing_report(cycle=cycle)
        .filter(~Exists(on_time))
        .select_related("supervising_unit", "industry_category")
        .order_by("supervising_unit__code", "uscc")
    )


def inspections_overdue_rectification(*, as_of: datetime.date) -> QuerySet[Inspection]:
    """Findings whose rectification deadline has passed unverified: abnormal-list candidates
    (R-CRD-02(3), DESIGN.md §4.3)."""
    return (
        Inspection.objects.filter(
            status=InspectionStatus.COMPLETED,
            outcome=InspectionOutcome.RECTIFICATION_REQUIRED,
            rectification_deadline__lt=as_of,
        )
        .filter(Q(rectification_verified_on__isnull=True) | Q(rectification_verified_on__gt=as_of))
        .select_related("organization", "draw")
    )


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday–Friday) after `start`; public holidays are not modelled."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def inspection_publication_due(
    inspection: Inspection, *, working_days: int
) -> datetime.date | None:
    """The date by which a completed inspection's result must be public (R-INS-09, D4)."""
    if inspection.completed_on is None:
        return None
    return add_working_days(inspection.completed_on, working_days)
