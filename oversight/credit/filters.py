"""CreditListingFilterSet, shared by the admin, the API and the public page."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from oversight.credit.choices import CreditGround, CreditList, DecisionAction
from oversight.credit.models import CreditListing
from oversight.credit.selectors import active_listings
from registry.filters import OrganizationRecordFilterSet


class CreditListingFilterSet(OrganizationRecordFilterSet):
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
