"""FilterSets of the catalog."""

from __future__ import annotations

import django_filters

from .choices import EditionStatus
from .models import CatalogEdition, CatalogEntry


class CatalogEditionFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(choices=EditionStatus.choices, label="状态")

    class Meta:
        model = CatalogEdition
        fields = ["year", "status"]


class CatalogEntryFilterSet(django_filters.FilterSet):
    edition_number = django_filters.NumberFilter(field_name="edition__number", label="版次")
    is_priority = django_filters.BooleanFilter(label="优先（3A及以上）")
    grade = django_filters.CharFilter(label="评估等级")
    uscc = django_filters.CharFilter(label="统一社会信用代码")

    class Meta:
        model = CatalogEntry
        fields = ["edition_number", "is_priority", "grade", "uscc"]
