"""FilterSets of supervision, shared by the admin changelist, the API and Excel exports."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from oversight.inspections.choices import (
    AuditKind,
    DrawKind,
    DrawStatus,
    InspectionOutcome,
    InspectionStatus,
)
from oversight.inspections.models import Audit, Circular, Inspection, InspectionDraw
from oversight.inspections.selectors import inspections_overdue_rectification
from registry.filters import OrganizationRecordFilterSet


class InspectionDrawFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DrawKind.choices, label="抽查类型")
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(choices=DrawStatus.choices, label="状态")

    class Meta:
        model = InspectionDraw
        fields = ["kind", "year", "status"]


class InspectionFilterSet(OrganizationRecordFilterSet):
    # A plain number, not a ModelChoiceFilter: validating the choice would query every draw
    # and tell a department whether a draw it cannot see exists.
    draw = django_filters.NumberFilter(field_name="draw_id", label="抽查编号")
    year = django_filters.NumberFilter(field_name="draw__year", label="抽查年度")
    kind = django_filters.ChoiceFilter(
        field_name="draw__kind", choices=DrawKind.choices, label="抽查类型"
    )
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices, label="检查状态")
    outcome = django_filters.ChoiceFilter(choices=InspectionOutcome.choices, label="检查结果")
    overdue_rectification = django_filters.BooleanFilter(
        method="filter_overdue_rectification", label="整改逾期未核实（截至今日）"
    )

    class Meta:
        model = Inspection
        fields = [
            "draw",
            "year",
            "kind",
            "status",
            "outcome",
            "organization_uscc",
            "overdue_rectification",
        ]

    def filter_overdue_rectification(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        # The selector is the one definition of "overdue" (abnormal-list candidates too).
        overdue = inspections_overdue_rectification(as_of=timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class AuditFilterSet(OrganizationRecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=AuditKind.choices, label="审计类型")
    completed = django_filters.BooleanFilter(method="filter_completed", label="已出具报告")

    class Meta:
        model = Audit
        fields = ["kind", "organization_uscc", "completed"]

    def filter_completed(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(completed_on__isnull=not value)


class CircularFilterSet(django_filters.FilterSet):
    supervising_unit_code = django_filters.CharFilter(
        field_name="supervising_unit__code", label="主送单位代码"
    )
    issued_after = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="gte", label="印发日期起"
    )
    issued_before = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="lte", label="印发日期止"
    )

    class Meta:
        model = Circular
        fields = ["supervising_unit_code", "issued_after", "issued_before"]
