"""What a figure of the situation report is, and the admin links to the records behind it."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse

# The areas of the report, in the order of the letter; one Excel sheet each.
AREA_REGISTER = "登记管理"
AREA_PARTY = "党建工作"
AREA_INSPECTIONS = "监督检查"
AREA_CREDIT = "信用监管"
AREA_ZOMBIES = "僵尸型社会组织清理整治"
AREA_FUNDING = "资助与购买服务"
AREAS = (AREA_REGISTER, AREA_PARTY, AREA_INSPECTIONS, AREA_CREDIT, AREA_ZOMBIES, AREA_FUNDING)


@dataclass(frozen=True)
class Figure:
    """One figure: `key` is stable (API clients and tests rely on it), `url` lists exactly
    the records it counts where the admin's filters can say so (see `exact_link`)."""

    key: str
    label: str
    value: int | float
    unit: str
    area: str
    url: str = ""
    headline: bool = False
    # False where the admin list cannot be narrowed to the date (it lists today's state).
    exact_link: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


def admin_list(model: str, **params) -> str:
    """The admin changelist of `model` ("app.model") filtered by `params` (None dropped)."""
    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    query = {k: _param(v) for k, v in params.items() if v is not None}
    return f"{url}?{urlencode(query)}" if query else url


def _param(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def wan_yuan(amount: Decimal | None) -> float:
    """元 → 万元 with two decimals, rounded half up as a finance office would."""
    value = (Decimal(amount or 0) / Decimal(10_000)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return float(value)


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
