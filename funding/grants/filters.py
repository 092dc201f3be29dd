"""FilterSets of the special fund, shared by the admin, the API and the Excel export."""

from __future__ import annotations

import django_filters

from .choices import FundRoundStatus, GrantCategory, GrantStatus
from .models import FundRound, GrantProject


class FundRoundFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(choices=FundRoundStatus.choices, label="状态")

    class Meta:
        model = FundRound
        fields = ["year", "status"]


class GrantProjectFilterSet(django_filters.FilterSet):
    round_number = django_filters.NumberFilter(field_name="round__number", label="期次")
    year = django_filters.NumberFilter(field_name="round__year", label="年度")
    # distinct=False: a column of the row; DISTINCT would sort the whole filtered set.
    status = django_filters.MultipleChoiceFilter(
        choices=GrantStatus.choices, label="状态", distinct=False
    )
    category = django_filters.ChoiceFilter(choices=GrantCategory.choices, label="项目类别")
    organization_uscc = django_filters.CharFilter(
        field_name="organization__uscc", label="申报组织统一社会信用代码"
    )
    supervising_unit_code = django_filters.CharFilter(
        field_name="organization__supervising_unit__code", label="业务主管单位代码"
    )

    class Meta:
        model = GrantProject
        fields = [
            "round_number",
            "year",
            "status",
            "category",
            "organization_uscc",
            "supervising_unit_code",
        ]
