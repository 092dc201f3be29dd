"""Admin list filters for FilterSet filters that take a typed value (a date) or that read two
parameters together (a coverage figure on a date), so the summary page's links land on
exactly the rows a figure counts. The filtering itself is the FilterSet's (filters.py)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import QuerySet


class FilterSetParamsListFilter(admin.ListFilter):
    """Applies `filterset_class` with `parameters` taken from the query string.

    The sidebar lists `choice_parameter`'s choices (if any), keeping the other parameters,
    and shows the current value of the others in the title."""

    filterset_class: type
    parameters: tuple[str, ...] = ()
    choice_parameter: str | None = None

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.parameters:
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value

    def has_output(self) -> bool:
        return bool(self.used_parameters) or self.choice_parameter is not None

    def expected_parameters(self) -> list[str]:
        return list(self.parameters)

    def _flt(self, name: str):
        return self.filterset_class.base_filters[name]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if not self.used_parameters:
            return queryset
        filterset = self.filterset_class(data=self.used_parameters, queryset=queryset)
        if not filterset.is_valid():
            errors = "；".join(
                f"{self._flt(name).label}：{'、'.join(msgs)}"
                for name, msgs in filterset.errors.items()
            )
            raise IncorrectLookupParameters(errors)
        return filterset.qs

    def choices(self, changelist):
        yield {
            "selected": not self.used_parameters,
            "query_string": changelist.get_query_string(remove=list(self.parameters)),
            "display": "全部",
        }
        if self.choice_parameter is None:
            for name, value in self.used_parameters.items():
                yield {
                    "selected": True,
                    "query_string": changelist.get_query_string(),
                    "display": f"{self._flt(name).label}：{value}",
                }
            return
        current = self.used_parameters.get(self.choice_parameter)
        for value, label in self._flt(self.choice_parameter).extra["choices"]:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.choice_parameter: value}),
                "display": label,
            }


def filterset_params_list_filter(
    filterset_class: type, *parameters: str, choice: str | None = None, title: str | None = None
) -> type:
    """A FilterSetParamsListFilter subclass for `parameters` of `filterset_class`."""
    first = filterset_class.base_filters[parameters[0]]
    attrs = {
        "filterset_class": filterset_class,
        "parameters": parameters,
        "choice_parameter": choice,
        "title": title or first.label,
    }
    return type(
        f"{filterset_class.__name__}_{'_'.join(parameters)}_ListFilter",
        (FilterSetParamsListFilter,),
        attrs,
    )
