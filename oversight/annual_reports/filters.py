"""AnnualReportFilterSet, shared by the admin changelist, the API and the Excel export."""

from __future__ import annotations

import django_filters

from oversight.annual_reports.choices import AnnualReportStatus, ReviewResult
from oversight.annual_reports.models import AnnualReport


class AnnualReportFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="报告年度")
    # distinct=False: status is a column of the row; DISTINCT would sort the whole filtered
    # set on every page (see registry.filters.OrganizationFilterSet.status).
    status = django_filters.MultipleChoiceFilter(
        choices=AnnualReportStatus.choices, label="办理状态", distinct=False
    )
    result = django_filters.ChoiceFilter(choices=ReviewResult.choices, label="审查结论")
    organization_uscc = django_filters.CharFilter(
        field_name="organization__uscc", label="社会组织统一社会信用代码"
    )
    supervising_unit_code = django_filters.CharFilter(
        field_name="organization__supervising_unit__code", label="业务主管单位代码"
    )
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
