"""Reads of the zombie cleanup used by several callers: progress per supervising unit."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from oversight.zombies.choices import ZombieStage
from oversight.zombies.models import ZombieCase


def zombie_progress_by_unit(*, cases: QuerySet[ZombieCase] | None = None) -> list[dict]:
    """清理整治进度: cases per stage for each supervising unit, in one GROUP BY query
    (`cases` lets the API pass the caller's scope). Organizations with no unit (直接登记)
    are one row with unit None."""
    cases = ZombieCase.objects.all() if cases is None else cases
    rows = (
        cases.order_by()
        .values(
            "organization__supervising_unit__code",
            "organization__supervising_unit__name",
            "stage",
        )
        .annotate(n=Count("id"))
    )
    units: dict[str | None, dict] = {}
    for row in rows:
        code = row["organization__supervising_unit__code"]
        unit = units.setdefault(
            code,
            {
                "unit_code": code,
                "unit_name": row["organization__supervising_unit__name"]
                or "直接登记（无业务主管单位）",
                "stages": dict.fromkeys(ZombieStage.values, 0),
                "total": 0,
            },
        )
        unit["stages"][row["stage"]] += row["n"]
        unit["total"] += row["n"]
    return sorted(units.values(), key=lambda u: (u["unit_code"] is None, u["unit_code"] or ""))
