"""The demo's supervising units (district departments and street offices)."""

from __future__ import annotations

from registry.choices import (
    SupervisingUnitKind,
)
from registry.demo.reference import DEMO_CHANGE_REASON, DISTRICT_UNITS, STREET_UNITS
from registry.models import IndustryCategory, SupervisingUnit

# ---------------------------------------------------------------------------------------------
# Supervising units


def supervising_units_seed() -> tuple[int, int]:
    """Ensure the district departments and the ten street offices of Futian exist.

    Returns (created, already present). A unit found by code or by name is left as staff
    may have edited it."""
    created = present = 0
    for kind, units in (
        (SupervisingUnitKind.DISTRICT_DEPARTMENT, DISTRICT_UNITS),
        (SupervisingUnitKind.STREET_OFFICE, STREET_UNITS),
    ):
        for code, name in units:
            if SupervisingUnit.objects.filter(code=code).exists() or (
                SupervisingUnit.objects.filter(name=name).exists()
            ):
                present += 1
                continue
            unit = SupervisingUnit(code=code, name=name, kind=kind)
            unit._change_reason = DEMO_CHANGE_REASON
            unit.save()
            created += 1
    return created, present


def _unit_ids() -> dict[str, int]:
    codes = [code for code, _ in DISTRICT_UNITS + STREET_UNITS]
    by_code = dict(SupervisingUnit.objects.filter(code__in=codes).values_list("code", "id"))
    # A unit staff created earlier under its own code is matched by name.
    names = dict(DISTRICT_UNITS + STREET_UNITS)
    missing = {names[c]: c for c in codes if c not in by_code}
    for name, pk in SupervisingUnit.objects.filter(name__in=missing).values_list("name", "id"):
        by_code[missing[name]] = pk
    return by_code


def _category_ids() -> dict[int, int]:
    ids = dict(IndustryCategory.objects.values_list("code", "id"))
    missing = sorted(set(range(1, 16)) - set(ids))
    if missing:
        raise RuntimeError(f"行业分类缺少代码 {missing}：请先执行 migrate（迁移 0002）。")
    return ids
