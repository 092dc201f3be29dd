"""Series for the dashboard's charts: the overview's figures regrouped, plus the few series
over time (credit listings by month, party coverage by year-end, funding by round)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from funding.grants.models import GrantProject
from oversight.credit.models import CreditListing
from oversight.inspections.choices import DrawKind
from partybuilding.selectors import party_coverage
from registry.choices import OrganizationType
from registry.models import Organization

from .figures import Figure, wan_yuan
from .funding_figures import FUNDED
from .scope import Scope

PARTY_YEARS = 5
CREDIT_MONTHS = 24


def dashboard_charts(
    *, figures: list[Figure], as_of: datetime.date, scope: Scope | None = None
) -> dict:
    """Every chart's data (JSON-ready): name → {"labels", "series": [{"name", "data"}]}."""
    scope = scope or Scope()
    values = {f.key: f for f in figures}
    categories = [f for f in figures if f.key.startswith("organizations.category.") and f.value]
    years = sorted({int(f.key.split(".")[2]) for f in figures if f.key.startswith("draws.")})
    stages = [f for f in figures if f.key.startswith("zombies.stage.")]
    return {
        "types": {
            "labels": [label for _, label in OrganizationType.choices],
            "series": [
                {
                    "name": "在册社会组织",
                    "data": [values[f"organizations.{t}"].value for t in OrganizationType.values],
                }
            ],
        },
        "categories": {
            "labels": [f.label.split("：", 1)[1] for f in categories],
            "series": [{"name": "在册社会组织", "data": [f.value for f in categories]}],
        },
        "draws": {
            "labels": [f"{y}年" for y in years],
            "series": [
                {
                    "name": label,
                    "data": [values[f"draws.{kind}.{y}.sample"].value for y in years],
                }
                for kind, label in DrawKind.choices
            ],
        },
        "zombies": {
            "labels": [f.label.split("：", 1)[1] for f in stages],
            "series": [{"name": "案件", "data": [f.value for f in stages]}],
        },
        "credit": _credit_series(as_of=as_of, scope=scope),
        "funding": _funding_series(as_of=as_of, scope=scope),
        "party": _party_series(as_of=as_of, scope=scope),
    }


def _credit_series(*, as_of: datetime.date, scope: Scope) -> dict:
    """Listing decisions per month over the last 24 months up to `as_of`."""
    first = _months_back(as_of, CREDIT_MONTHS - 1)
    listings = scope.organizations(
        CreditListing.objects.filter(decided_on__gte=first, decided_on__lte=as_of),
        "organization__supervising_unit",
    )
    per_month = dict(
        listings.annotate(m=TruncMonth("decided_on")).values_list("m").annotate(n=Count("id"))
    )
    months = [_months_back(as_of, k) for k in range(CREDIT_MONTHS - 1, -1, -1)]
    return {
        "labels": [f"{m:%Y-%m}" for m in months],
        "series": [{"name": "列入决定", "data": [per_month.get(m, 0) for m in months]}],
    }


def _months_back(day: datetime.date, k: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - k
    return datetime.date(index // 12, index % 12 + 1, 1)


def _funding_series(*, as_of: datetime.date, scope: Scope) -> dict:
    rows = (
        scope.organizations(
            GrantProject.objects.filter(approved_on__lte=as_of, status__in=FUNDED),
            "organization__supervising_unit",
        )
        .values("round__number")
        .annotate(n=Count("id"), total=Sum("approved_amount"))
        .order_by("round__number")
    )
    rows = list(rows)
    return {
        "labels": [f"第{r['round__number']}期" for r in rows],
        "series": [
            {"name": "资助项目（个）", "data": [r["n"] for r in rows]},
            {"name": "资助金额（万元）", "data": [wan_yuan(r["total"]) for r in rows]},
        ],
    }


def _party_series(*, as_of: datetime.date, scope: Scope) -> dict:
    """Coverage at the last five year-ends and on `as_of` (two statements each)."""
    days = [datetime.date(as_of.year - k, 12, 31) for k in range(PARTY_YEARS, 0, -1)] + [as_of]
    orgs = scope.organizations(Organization.objects.all()) if scope.department else None
    points = [party_coverage(day=d, organizations=orgs) for d in days]
    return {
        "labels": [f"{d:%Y-%m-%d}" for d in days],
        "series": [
            {"name": "党组织（个）", "data": [p.party_organizations for p in points]},
            {
                "name": "组织覆盖率（%）",
                "data": [p.rate(p.organizations["covered"]) for p in points],
            },
        ],
    }
