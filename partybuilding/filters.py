"""FilterSets of party building, shared by the admin changelists (and the summary page's
links), the API and the Excel exports."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .choices import Formation, MemberCountSource, PartyOrganizationLevel, SuperiorBodyKind
from .models import (
    CoverageOrganization,
    Instructor,
    InstructorAssignment,
    PartyMemberCount,
    PartyOrganization,
    PartyOrganizationCoverage,
    SuperiorBody,
    VolunteerActivity,
    VolunteerDomain,
    active_on_q,
)
from .selectors import ORG_FIGURES, organizations_for_figure

FIGURE_CHOICES = [*ORG_FIGURES, ("two_coverage", "两个覆盖的社会组织")]


class PartyOrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="党组织名称或覆盖组织")
    level = django_filters.ChoiceFilter(choices=PartyOrganizationLevel.choices, label="党组织类别")
    formation = django_filters.ChoiceFilter(choices=Formation.choices, label="组建方式")
    superior_body = django_filters.ModelChoiceFilter(
        queryset=SuperiorBody.objects.all(), label="上级党组织"
    )
    superior_kind = django_filters.ChoiceFilter(
        field_name="superior_body__kind", choices=SuperiorBodyKind.choices, label="上级党组织类别"
    )
    direct = django_filters.BooleanFilter(method="filter_direct", label="区社会组织党委直管")
    superior_body_code = django_filters.CharFilter(
        field_name="superior_body__code", label="上级党组织代码"
    )
    active_on = django_filters.DateFilter(method="filter_active_on", label="某日存续")
    approved_after = django_filters.DateFilter(
        field_name="approved_on", lookup_expr="gte", label="批准成立日期起"
    )
    approved_before = django_filters.DateFilter(
        field_name="approved_on", lookup_expr="lte", label="批准成立日期止"
    )
    dissolved = django_filters.BooleanFilter(
        field_name="dissolved_on", lookup_expr="isnull", exclude=True, label="已撤销"
    )
    organization_uscc = django_filters.CharFilter(
        method="filter_organization_uscc", label="覆盖组织的统一社会信用代码"
    )

    class Meta:
        model = PartyOrganization
        fields = [
            "q",
            "level",
            "formation",
            "superior_body",
            "superior_kind",
            "direct",
            "superior_body_code",
            "active_on",
            "approved_after",
            "approved_before",
            "dissolved",
            "organization_uscc",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        covering = PartyOrganizationCoverage.objects.filter(
            party_organization=OuterRef("pk"), organization__name__icontains=value
        )
        return queryset.filter(Q(name__icontains=value) | Exists(covering))

    def filter_active_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(active_on_q(value, "approved_on", "dissolved_on"))

    def filter_direct(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        direct = Q(superior_body__kind=SuperiorBodyKind.DISTRICT_COMMITTEE)
        return queryset.filter(direct) if value else queryset.exclude(direct)

    def filter_organization_uscc(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        covering = PartyOrganizationCoverage.objects.filter(
            party_organization=OuterRef("pk"), organization__uscc=value.strip().upper()
        )
        return queryset.filter(Exists(covering))


class CoverageOrganizationFilterSet(django_filters.FilterSet):
    """The organizations behind a coverage figure on a date (the summary page's links)."""

    as_of = django_filters.DateFilter(method="filter_as_of", label="统计日期")
    figure = django_filters.ChoiceFilter(
        choices=FIGURE_CHOICES, method="filter_figure", label="覆盖情况"
    )

    class Meta:
        model = CoverageOrganization
        fields = ["as_of", "figure"]

    def filter_as_of(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # read by filter_figure; a date alone filters nothing

    def filter_figure(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        day = self.form.cleaned_data.get("as_of") or timezone.localdate()
        return organizations_for_figure(figure=value, day=day, queryset=queryset)


class InstructorAssignmentFilterSet(django_filters.FilterSet):
    instructor = django_filters.ModelChoiceFilter(
        queryset=Instructor.objects.all(), label="党建工作指导员"
    )
    active_on = django_filters.DateFilter(method="filter_active_on", label="某日在岗")
    organization_uscc = django_filters.CharFilter(
        field_name="organization__uscc", label="统一社会信用代码"
    )

    class Meta:
        model = InstructorAssignment
        fields = ["instructor", "active_on", "organization_uscc"]

    def filter_active_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(active_on_q(value, "started_on", "ended_on"))


class PartyMemberCountFilterSet(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(choices=MemberCountSource.choices, label="来源")
    as_of_after = django_filters.DateFilter(
        field_name="as_of", lookup_expr="gte", label="统计日期起"
    )
    as_of_before = django_filters.DateFilter(
        field_name="as_of", lookup_expr="lte", label="统计日期止"
    )

    class Meta:
        model = PartyMemberCount
        fields = ["source", "as_of_after", "as_of_before"]


class VolunteerActivityFilterSet(django_filters.FilterSet):
    domain = django_filters.ModelChoiceFilter(
        queryset=VolunteerDomain.objects.all(), label="服务领域"
    )
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label="活动日期起"
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label="活动日期止"
    )

    class Meta:
        model = VolunteerActivity
        fields = ["domain", "held_after", "held_before"]
