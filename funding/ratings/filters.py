"""FilterSets of rating rounds."""

from __future__ import annotations

import django_filters

from .choices import ApplicationStatus
from .models import RatingApplication


class RatingApplicationFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="round__year", label="评估年度")
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label="状态")
    grade = django_filters.CharFilter(label="评定等级")
    organization_uscc = django_filters.CharFilter(
        field_name="organization__uscc", label="社会组织统一社会信用代码"
    )

    class Meta:
        model = RatingApplication
        fields = ["year", "status", "grade", "organization_uscc"]
