"""FilterSets of the register, shared by the admin changelist, the API and Excel exports."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import LifecycleStatus, OrganizationType, RatingGrade, SupervisingUnitKind
from .models import IndustryCategory, Organization, SupervisingUnit
from .uscc import uscc_normalize


class OrganizationRecordFilterSet(django_filters.FilterSet):
    """The filters every record of one organization offers (annual reports, inspections,
    audits, listings, cleanup cases): the organization's USCC, as the register writes it
    (blanks and case of a pasted code do not matter), and its supervising unit's code."""

    organization_uscc = django_filters.CharFilter(
        method="filter_organization_uscc", label="社会组织统一社会信用代码"
    )
    supervising_unit_code = django_filters.CharFilter(
        field_name="organization__supervising_unit__code", label="业务主管单位代码"
    )

    def filter_organization_uscc(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = uscc_normalize(value)
        return queryset.filter(organization__uscc=code) if code else queryset


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="名称或统一社会信用代码")
    org_type = django_filters.ChoiceFilter(choices=OrganizationType.choices, label="组织类型")
    # distinct=False: status is a column of the row, and DISTINCT over every selected column
    # made each API page and its COUNT(*) sort the whole filtered set (1M rows: seconds).
    status = django_filters.MultipleChoiceFilter(
        choices=LifecycleStatus.choices, label="登记状态", distinct=False
    )
    industry_category = django_filters.ModelChoiceFilter(
        queryset=IndustryCategory.objects.all(), label="行业分类"
    )
    supervising_unit = django_filters.ModelChoiceFilter(
        queryset=SupervisingUnit.objects.all(), label="业务主管单位"
    )
    supervising_unit_code = django_filters.CharFilter(
        field_name="supervising_unit__code", label="业务主管单位代码"
    )
    industry_category_code = django_filters.NumberFilter(
        field_name="industry_category__code", label="行业分类代码"
    )
    is_industry_association = django_filters.BooleanFilter(label="行业协会商会")
    rating = django_filters.ChoiceFilter(
        choices=[*RatingGrade.choices, ("none", "无有效等级")],
        method="filter_rating",
        label="当前评估等级",
    )
    established_after = django_filters.DateFilter(
        field_name="established_on", lookup_expr="gte", label="成立日期起"
    )
    established_before = django_filters.DateFilter(
        field_name="established_on", lookup_expr="lte", label="成立日期止"
    )
    registered_on = django_filters.DateFilter(method="filter_registered_on", label="某日在册")

    class Meta:
        model = Organization
        fields = [
            "q",
            "org_type",
            "status",
            "industry_category",
            "supervising_unit",
            "supervising_unit_code",
            "industry_category_code",
            "is_industry_association",
            "rating",
            "established_after",
            "established_before",
            "registered_on",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__istartswith=value.upper()))

    def filter_rating(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        valid = Q(ratings__valid_from__lte=today, ratings__expires_on__gte=today)
        if value == "none":
            return queryset.exclude(pk__in=Organization.objects.filter(valid).values("pk"))
        return queryset.filter(
            pk__in=Organization.objects.filter(valid, ratings__grade=value).values("pk")
        )

    def filter_registered_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.registered_on(value)


class SupervisingUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="名称或代码")
    kind = django_filters.ChoiceFilter(choices=SupervisingUnitKind.choices, label="单位类别")

    class Meta:
        model = SupervisingUnit
        fields = ["q", "kind", "is_active"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))


# Filters other apps add on what they own (oversight: 信用状态 from its credit lists), so the
# register never imports them; the admin changelist, the API and the exports pick them up.
EXTENSION_FILTERS: list[str] = []


def organization_filter_extend(name: str, flt: django_filters.Filter) -> None:
    """Add `flt` to OrganizationFilterSet under `name` (call from an AppConfig.ready())."""
    OrganizationFilterSet.base_filters[name] = flt
    if name not in EXTENSION_FILTERS:
        EXTENSION_FILTERS.append(name)
