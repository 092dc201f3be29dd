"""Reads about annual reports used by several callers: who owes a report, who has not filed."""

from __future__ import annotations

import datetime

from django.db.models import F, FilteredRelation, Q, QuerySet

from oversight.annual_reports.models import AnnualReportCycle
from registry.choices import OrganizationType
from registry.models import Organization
from registry.selectors import organizations_registered_on


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
    deadline has passed (R-ANN-01/06, R-CRD-02(1)); empty before the deadline. Each row carries
    `report_submitted_on` / `report_is_sealed` of the late or unsealed report filed by `as_of`
    (null when there is none), which is what the credit rule's explanation quotes.

    One left join on the (organization, year)-unique report rather than an anti-join plus a
    lookup per candidate: the credit rules run this over a national register every day."""
    if as_of <= cycle.bureau_deadline:
        return Organization.objects.none()
    return (
        organizations_owing_report(cycle=cycle)
        .annotate(
            report=FilteredRelation(
                "annual_reports",
                # A report filed after `as_of` was not in yet on that day.
                condition=Q(
                    annual_reports__year=cycle.year, annual_reports__submitted_on__lte=as_of
                ),
            )
        )
        .filter(
            Q(report__id__isnull=True)
            | Q(report__is_sealed=False)
            | Q(report__submitted_on__gt=cycle.bureau_deadline)
        )
        .annotate(
            report_submitted_on=F("report__submitted_on"), report_is_sealed=F("report__is_sealed")
        )
        .select_related("supervising_unit", "industry_category")
        .order_by("supervising_unit__code", "uscc")
    )
