"""CreditListingFilterSet (shared by the admin, the API and the public page) and
SpecialLetterFilterSet (the API)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from oversight.credit.choices import CreditGround, CreditList, DecisionAction, LetterMailing
from oversight.credit.models import CreditListing, SpecialLetter
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


class SpecialLetterFilterSet(OrganizationRecordFilterSet):
    """Special letters (R-CRD-03); `returned` means the return is recorded (D15)."""

    mailing = django_filters.ChoiceFilter(choices=LetterMailing.choices, label="寄送次序")
    signed_for = django_filters.BooleanFilter(label="已签收")
    returned = django_filters.BooleanFilter(
        field_name="returned_on", lookup_expr="isnull", exclude=True, label="已退回"
    )
    sent_after = django_filters.DateFilter(
        field_name="sent_on", lookup_expr="gte", label="寄出日期起"
    )
    sent_before = django_filters.DateFilter(
        field_name="sent_on", lookup_expr="lte", label="寄出日期止"
    )

    class Meta:
        model = SpecialLetter
        fields = [
            "mailing",
            "signed_for",
            "returned",
            "sent_after",
            "sent_before",
            "organization_uscc",
            "supervising_unit_code",
        ]
