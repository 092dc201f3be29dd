"""The statistics service: every figure of the bureau's situation report for a date, computed
from the records on each call (nothing stored), grouped by the app that owns the records.

`situation_overview(as_of=D)` returns `Figure`s (reports.figures) in the letter's order.
Each area costs a fixed number of queries whatever the size of the register. Where an app
offers a selector (party coverage), it is used; otherwise the figure reads that app's models
read-only here. A department (`Scope.for_user`) gets the figures of its own organizations.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count

from partybuilding.selectors import party_coverage
from registry.choices import OrganizationType
from registry.models import IndustryCategory, Organization
from registry.selectors import organizations_registered_on

from .figures import (
    AREA_PARTY,
    AREA_REGISTER,
    Figure,
    admin_list,
)
from .funding_figures import funding_figures
from .oversight_figures import credit_figures, inspection_figures, zombie_figures
from .scope import ORG_UNIT, Scope, default_since


def situation_overview(
    *, as_of: datetime.date, since: datetime.date | None = None, scope: Scope | None = None
) -> list[Figure]:
    """Every figure of the situation report on `as_of` (yearly ones for its year and the one
    before), for `scope` (default: the whole district)."""
    scope = scope or Scope()
    since = since or default_since(as_of)
    years = (as_of.year - 1, as_of.year)
    return [
        *register_figures(as_of=as_of, scope=scope),
        *party_figures(as_of=as_of, scope=scope),
        *inspection_figures(as_of=as_of, years=years, scope=scope),
        *credit_figures(as_of=as_of, since=since, scope=scope),
        *zombie_figures(as_of=as_of, scope=scope),
        *funding_figures(as_of=as_of, scope=scope),
    ]


# ============================================================================ registry


_ORG_LIST = "registry.organization"


def register_figures(*, as_of: datetime.date, scope: Scope) -> list[Figure]:
    """Organizations on the register by type, 行业协会商会, categories in use and by category."""
    registered = scope.organizations(organizations_registered_on(day=as_of))
    rows = list(
        registered.values("org_type", "is_industry_association", "industry_category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    categories = list(IndustryCategory.objects.order_by("code"))
    # The organization admin offers no date filter yet (registered_on is the FilterSet's,
    # not the changelist's): these links list today's register; see exact_link.
    link = {"registered_on": as_of}
    if scope.department:
        link["supervising_unit"] = scope.unit_id
    by_type = {t: 0 for t in OrganizationType.values}
    by_category: dict[int, int] = {}
    for row in rows:
        by_type[row["org_type"]] += row["n"]
        if row["industry_category_id"] is not None:
            by_category[row["industry_category_id"]] = (
                by_category.get(row["industry_category_id"], 0) + row["n"]
            )
    out = _register_type_figures(as_of=as_of, by_type=by_type, link=link)
    out.append(
        Figure(
            "organizations.industry_association",
            "行业协会商会",
            sum(r["n"] for r in rows if r["is_industry_association"]),
            ORG_UNIT,
            AREA_REGISTER,
            admin_list(_ORG_LIST, is_industry_association=True, **link),
            headline=True,
            exact_link=False,
        )
    )
    out.extend(
        _register_category_figures(categories=categories, by_category=by_category, link=link)
    )
    return out


def _register_type_figures(
    *, as_of: datetime.date, by_type: dict[str, int], link: dict[str, Any]
) -> list[Figure]:
    """The register's total, then one figure per organization type."""
    out = [
        Figure(
            "organizations",
            "在册社会组织",
            sum(by_type.values()),
            ORG_UNIT,
            AREA_REGISTER,
            # partybuilding's list of the register on a date (its coverage denominator, D10).
            admin_list("partybuilding.coverageorganization", figure="registered", as_of=as_of),
            headline=True,
        )
    ]
    for value, label in OrganizationType.choices:
        out.append(
            Figure(
                f"organizations.{value}",
                f"其中：{label}",
                by_type[value],
                ORG_UNIT,
                AREA_REGISTER,
                admin_list(_ORG_LIST, org_type=value, **link),
                headline=True,
                exact_link=False,
            )
        )
    return out


def _register_category_figures(
    *, categories: list[IndustryCategory], by_category: dict[int, int], link: dict[str, Any]
) -> list[Figure]:
    """How many industry categories have organizations, then one figure per category."""
    out = [
        Figure(
            "organizations.categories_in_use",
            "涉及行业分类",
            sum(1 for c in categories if by_category.get(c.pk)),
            "类",
            AREA_REGISTER,
            admin_list("registry.industrycategory"),
            headline=True,
        )
    ]
    for c in categories:
        out.append(
            Figure(
                f"organizations.category.{c.code}",
                f"行业分类：{c.name}",
                by_category.get(c.pk, 0),
                ORG_UNIT,
                AREA_REGISTER,
                admin_list(_ORG_LIST, industry_category=c.pk, **link),
                exact_link=False,
            )
        )
    return out


# ============================================================================ partybuilding


def party_figures(*, as_of: datetime.date, scope: Scope) -> list[Figure]:
    """Party organizations and coverage, from partybuilding's own selector (R-PTY-05)."""
    orgs = scope.organizations(Organization.objects.all()) if scope.department else None
    c = party_coverage(day=as_of, organizations=orgs)
    po_list = "partybuilding.partyorganization"
    cov_list = "partybuilding.coverageorganization"
    active = {"active_on": as_of}
    rows = (
        ("party.organizations", "社会组织党组织", c.party_organizations, "个",
         admin_list(po_list, **active), True),
        ("party.organizations.single", "其中：单独组建", c.single, "个",
         admin_list(po_list, formation="single", **active), True),
        ("party.organizations.joint", "其中：联合组建", c.joint, "个",
         admin_list(po_list, formation="joint", **active), True),
        ("party.organizations.direct", "区社会组织党委直管党组织", c.direct, "个",
         admin_list(po_list, direct=True, **active), True),
        ("party.organizations.direct_members", "直管党组织党员", c.direct_members, "名",
         admin_list(po_list, direct=True, **active), True),
        ("party.organizations.other", "街道、行业（工作）党委管理的党组织",
         c.party_organizations - c.direct, "个", admin_list(po_list, direct=False, **active), True),
        ("party.with_members", "有党员的社会组织", c.organizations["with_members"], ORG_UNIT,
         admin_list(cov_list, figure="with_members", as_of=as_of), True),
        ("party.covered", "党组织覆盖的社会组织", c.organizations["covered"], ORG_UNIT,
         admin_list(cov_list, figure="covered", as_of=as_of), False),
        ("party.work_covered", "工作覆盖的社会组织（已派党建指导员）",
         c.organizations["work_covered"], ORG_UNIT,
         admin_list(cov_list, figure="work_covered", as_of=as_of), False),
        ("party.covered_rate", "组织覆盖率", c.rate(c.organizations["covered"]), "%",
         admin_list(cov_list, figure="covered", as_of=as_of), False),
    )  # fmt: skip
    return [
        Figure(key, label, value, unit, AREA_PARTY, url, headline=headline)
        for key, label, value, unit, url, headline in rows
    ]


# ============================================================================ oversight


def figure_values(figures: list[Figure]) -> dict[str, int | float]:
    return {f.key: f.value for f in figures}
