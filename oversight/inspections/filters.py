"""FilterSets of supervision, shared by the admin changelist, the API and Excel exports."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from .choices import (
    AnnualReportStatus,
    AuditKind,
    CreditGround,
    CreditList,
    DecisionAction,
    DrawKind,
    DrawStatus,
    InspectionOutcome,
    InspectionStatus,
    ReviewResult,
)
from .credit_selectors import active_listings
from .models import AnnualReport, Audit, CreditListing, Inspection, InspectionDraw
from .selectors import inspections_overdue_rectification


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


class InspectionDrawFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DrawKind.choices, label="抽查类型")
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(choices=DrawStatus.choices, label="状态")

    class Meta:
        model = InspectionDraw
        fields = ["kind", "year", "status"]


class InspectionFilterSet(django_filters.FilterSet):
    # A plain number, not a ModelChoiceFilter: validating the choice would query every draw
    # and tell a department whether a draw it cannot see exists.
    draw = django_filters.NumberFilter(field_name="draw_id", label="抽查编号")
    year = django_filters.NumberFilter(field_name="draw__year", label="抽查年度")
    kind = django_filters.ChoiceFilter(
        field_name="draw__kind", choices=DrawKind.choices, label="抽查类型"
    )
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices, label="检查状态")
    outcome = django_filters.ChoiceFilter(choices=InspectionOutcome.choices, label="检查结果")
    organization_uscc = django_filters.CharFilter(
        field_name="organization__uscc", label="社会组织统一社会信用代码"
    )
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


class AuditFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AuditKind.choices, label="审计类型")
    organization_uscc = django_filters.CharFilter(
        field_name="organization__uscc", label="社会组织统一社会信用代码"
    )
    completed = django_filters.BooleanFilter(method="filter_completed", label="已出具报告")

    class Meta:
        model = Audit
        fields = ["kind", "organization_uscc", "completed"]

    def filter_completed(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(completed_on__isnull=not value)


# ------------------------------------------------------------------ zombie cases, circulars

from .choices import ZombieStage  # noqa: E402 (appended section, issue 5)
from .models import Circular, ZombieCase  # noqa: E402


class ZombieCaseFilterSet(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(
        choices=ZombieStage.choices, label="阶段", distinct=False
    )
    supervising_unit_code = django_filters.CharFilter(
        field_name="organization__supervising_unit__code", label="业务主管单位代码"
    )
    organization_uscc = django_filters.CharFilter(
        field_name="organization__uscc", label="社会组织统一社会信用代码"
    )
    identified_after = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="gte", label="认定日期起"
    )
    identified_before = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="lte", label="认定日期止"
    )

    class Meta:
        model = ZombieCase
        fields = [
            "stage",
            "supervising_unit_code",
            "organization_uscc",
            "identified_after",
            "identified_before",
        ]


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


class CreditListingFilterSet(django_filters.FilterSet):
    """Listings of the credit lists (R-CRD-11); `active` means not removed as of today."""

    list_type = django_filters.ChoiceFilter(choices=CreditList.choices, label="名录")
    ground = django_filters.ChoiceFilter(choices=CreditGround.choices, label="列入依据")
    action = django_filters.ChoiceFilter(choices=DecisionAction.choices, label="决定类型")
    active = django_filters.BooleanFilter(method="filter_active", label="现仍在名录中")
    decided_after = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", label="决定日期起"
    )
    decided_before = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", label="决定日期止"
    )
    organization_uscc = django_filters.CharFilter(
        field_name="organization__uscc", label="社会组织统一社会信用代码"
    )
    supervising_unit_code = django_filters.CharFilter(
        field_name="organization__supervising_unit__code", label="业务主管单位代码"
    )

    class Meta:
        model = CreditListing
        fields = [
            "list_type",
            "ground",
            "action",
            "active",
            "decided_after",
            "decided_before",
            "organization_uscc",
            "supervising_unit_code",
        ]

    def filter_active(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        # The selector is the one definition of "active" (rules, standing, public page).
        active = active_listings(on=timezone.localdate()).values("pk")
        return queryset.filter(pk__in=active) if value else queryset.exclude(pk__in=active)
