"""ZombieCaseFilterSet, shared by the admin, the API and the progress report."""

from __future__ import annotations

import django_filters

from oversight.zombies.choices import ZombieStage
from oversight.zombies.models import ZombieCase
from registry.filters import OrganizationRecordFilterSet


class ZombieCaseFilterSet(OrganizationRecordFilterSet):
    stage = django_filters.MultipleChoiceFilter(
        choices=ZombieStage.choices, label="阶段", distinct=False
    )
    identified_after = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="gte", label="认定日期起"
    )
    identified_before = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="lte", label="认定日期止"
    )

    class Meta:
        model = ZombieCase
        fields = [
            "stage",
            "supervising_unit_code",
            "organization_uscc",
            "identified_after",
            "identified_before",
        ]
