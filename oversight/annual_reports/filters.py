"""AnnualReportFilterSet, shared by the admin changelist, the API and the Excel export."""

from __future__ import annotations

import django_filters

from oversight.annual_reports.choices import AnnualReportStatus, ReviewResult
from oversight.annual_reports.models import AnnualReport
from registry.filters import OrganizationRecordFilterSet


class AnnualReportFilterSet(OrganizationRecordFilterSet):
    year = django_filters.NumberFilter(label="报告年度")
    # distinct=False: status is a column of the row; DISTINCT would sort the whole filtered
    # set on every page (see registry.filters.OrganizationFilterSet.status).
    status = django_filters.MultipleChoiceFilter(
        choices=AnnualReportStatus.choices, label="办理状态", distinct=False
    )
    result = django_filters.ChoiceFilter(choices=ReviewResult.choices, label="审查结论")
    submitted_after = django_filters.DateFilter(
        field_name="submitted_on", lookup_expr="gte", label="报送日期起"
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_on", lookup_expr="lte", label="报送日期止"
    )

    class Meta:
        model = AnnualReport
        fields = [
            "year",
            "status",
            "result",
            "organization_uscc",
            "supervising_unit_code",
            "submitted_after",
            "submitted_before",
        ]
