"""FilterSet of service records."""

from __future__ import annotations

import django_filters

from .choices import ServiceKind
from .models import ServiceRecord


class ServiceRecordFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ServiceKind.choices, label="服务类别")
    served_after = django_filters.DateFilter(
        field_name="served_on", lookup_expr="gte", label="服务日期起"
    )
    served_before = django_filters.DateFilter(
        field_name="served_on", lookup_expr="lte", label="服务日期止"
    )

    class Meta:
        model = ServiceRecord
        fields = ["kind", "served_after", "served_before"]
