"""Admin list filters backed by an app's FilterSet, so admin, API and exports filter alike."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django_filters import BooleanFilter, ChoiceFilter, ModelChoiceFilter, MultipleChoiceFilter


def filterset_list_filter(filterset_class: type, name: str, title: str | None = None) -> type:
    """A SimpleListFilter that offers the choices of `filterset_class.base_filters[name]`
    and filters the changelist through that same filter (one definition of each filter)."""
    flt = filterset_class.base_filters[name]

    class FilterSetListFilter(admin.SimpleListFilter):
        parameter_name = name

        def lookups(self, request, model_admin):
            if isinstance(flt, BooleanFilter):
                return [("true", "是"), ("false", "否")]
            if isinstance(flt, ModelChoiceFilter):
                return [(str(obj.pk), str(obj)) for obj in flt.extra["queryset"].all()]
            if isinstance(flt, ChoiceFilter | MultipleChoiceFilter):
                return list(flt.extra["choices"])
            return []

        def queryset(self, request, queryset: QuerySet) -> QuerySet:
            value = self.value()
            if value in (None, ""):
                return queryset
            form_field = flt.field
            try:
                cleaned = form_field.clean(
                    [value] if isinstance(flt, MultipleChoiceFilter) else value
                )
            except Exception:  # an invalid value in the URL filters nothing, like the admin does
                return queryset
            # The FilterSet's own bound filter, so a `method` (name or callable) applies as in
            # the API.
            return filterset_class(queryset=queryset).filters[name].filter(queryset, cleaned)

    FilterSetListFilter.title = title or flt.label or name
    FilterSetListFilter.__name__ = f"{filterset_class.__name__}_{name}_ListFilter"
    return FilterSetListFilter
