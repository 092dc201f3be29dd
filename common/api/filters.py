"""Filter backends shared by every resource."""

from __future__ import annotations

from rest_framework.filters import OrderingFilter
from rest_framework.filters import SearchFilter as DRFSearchFilter


class StableOrderingFilter(OrderingFilter):
    """`ordering` with the primary key appended, so equal names never shuffle between pages."""

    ordering_description = "排序字段，逗号分隔；前加 - 表示倒序。"

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        ordering = list(ordering)
        if not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("-pk" if ordering[-1].startswith("-") else "pk")
        return ordering


class SearchFilter(DRFSearchFilter):
    search_description = "按名称或代码检索。"
