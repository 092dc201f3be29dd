"""The statistics service: every figure of the bureau's situation report for a date, computed
from the records on each call (nothing stored), grouped by the app that owns the records.

`situation_overview(as_of=D)` returns `Figure`s (reports.figures) in the letter's order.
Each area costs a fixed number of queries whatever the size of the register. Where an app
offers a selector (party coverage), it is used; otherwise the figure reads that app's models
read-only here. A department (`Scope.for_user`) gets the figures of its own organizations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from common.scoping import user_scope_unit_id
from funding.catalog.models import CatalogEdition
from funding.grants.models import FundRound, GrantCompletionReport, GrantProject, Sponsorship
from funding.services_records.choices import ServiceKind
from funding.services_records.models import ServiceRecord
from oversight.credit.choices import CreditList
from oversight.credit.models import CreditListing
from oversight.credit.selectors import active_listings
from oversight.inspections.choices import AuditKind, DrawKind
from oversight.inspections.models import (
    Audit,
    Circular,
    Inspection,
    InspectionDraw,
    Interview,
    JointInspection,
)
from oversight.zombies.choices import ZombieStage
from oversight.zombies.models import ZombieCase
from partybuilding.selectors import party_coverage
from registry.choices import OrganizationType
from registry.models import IndustryCategory, Organization
from registry.selectors import organizations_registered_on

from .figures import (
    AREA_CREDIT,
    AREA_FUNDING,
    AREA_INSPECTIONS,
    AREA_PARTY,
    AREA_REGISTER,
    AREA_ZOMBIES,
    Figure,
    admin_list,
    wan_yuan,
    year_range,
)

ORG_UNIT = "个"


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole district, or one department's organizations."""

    department: bool = False
    unit_id: int | None = None

    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or user.is_superuser or user.is_staff:
            return cls()
        return cls(department=True, unit_id=user_scope_unit_id(user))

    def organizations(self, qs: QuerySet, path: str = "supervising_unit") -> QuerySet:
        """`qs` narrowed to this scope through `path` (the record's supervising unit)."""
        if not self.department:
            return qs
        if self.unit_id is None:
            return qs.none()
        return qs.filter(**{f"{path}_id": self.unit_id})


def default_since(as_of: datetime.date) -> datetime.date:
    """ "Listed since": the letter counts from 1 January of the year before."""
    return datetime.date(as_of.year - 1, 1, 1)


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
    org_list = "registry.organization"
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
                admin_list(org_list, org_type=value, **link),
                headline=True,
                exact_link=False,
            )
        )
    out.append(
        Figure(
            "organizations.industry_association",
            "行业协会商会",
            sum(r["n"] for r in rows if r["is_industry_association"]),
            ORG_UNIT,
            AREA_REGISTER,
            admin_list(org_list, is_industry_association=True, **link),
            headline=True,
            exact_link=False,
        )
    )
    out.append(
        Figure(
            "organizations.categories_in_use",
            "涉及行业分类",
            sum(1 for c in categories if by_category.get(c.pk)),
            "类",
            AREA_REGISTER,
            admin_list("registry.industrycategory"),
            headline=True,
        )
    )
    for c in categories:
        out.append(
            Figure(
                f"organizations.category.{c.code}",
                f"行业分类：{c.name}",
                by_category.get(c.pk, 0),
                ORG_UNIT,
                AREA_REGISTER,
                admin_list(org_list, industry_category=c.pk, **link),
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


def inspection_figures(
    *, as_of: datetime.date, years: tuple[int, ...], scope: Scope
) -> list[Figure]:
    """Per year: draws (N and k) by kind, audits by kind, joint inspections, interviews and
    circulars, each counted up to `as_of`."""
    return [
        *_draw_figures(as_of=as_of, years=years, scope=scope),
        *_audit_figures(as_of=as_of, years=years, scope=scope),
        *_other_inspection_figures(as_of=as_of, years=years, scope=scope),
    ]


def _draw_figures(*, as_of, years, scope: Scope) -> list[Figure]:
    draws = InspectionDraw.objects.filter(created_at__date__lte=as_of, year__in=years)
    if scope.department:
        # A department sees how many of its organizations were drawn, not the district's N.
        sample = dict(
            (
                (row["draw__kind"], row["draw__year"]),
                row["n"],
            )
            for row in scope.organizations(
                Inspection.objects.filter(draw__in=draws), "organization__supervising_unit"
            )
            .values("draw__kind", "draw__year")
            .annotate(n=Count("id"))
            .order_by()
        )
        population = {}
    else:
        rows = draws.values("kind", "year").annotate(n=Sum("population_size"), k=Sum("sample_size"))
        sample = {(r["kind"], r["year"]): r["k"] for r in rows.order_by()}
        population = {(r["kind"], r["year"]): r["n"] for r in rows.order_by()}
    out = []
    for year in years:
        for kind, label in DrawKind.choices:
            url = admin_list("oversight.inspection", draw__kind=kind, draw__year=year)
            if not scope.department:
                out.append(
                    Figure(
                        f"draws.{kind}.{year}.population",
                        f"{year}年{label}：抽查对象总数 N",
                        population.get((kind, year), 0),
                        ORG_UNIT,
                        AREA_INSPECTIONS,
                        admin_list("oversight.inspectiondraw", kind=kind, year=year),
                        headline=kind != DrawKind.FINANCIAL_AUDIT,
                    )
                )
            out.append(
                Figure(
                    f"draws.{kind}.{year}.sample",
                    f"{year}年{label}：抽取数 k",
                    sample.get((kind, year), 0),
                    ORG_UNIT,
                    AREA_INSPECTIONS,
                    url,
                    headline=kind != DrawKind.FINANCIAL_AUDIT,
                )
            )
    return out


def _audit_figures(*, as_of, years, scope: Scope) -> list[Figure]:
    audits = scope.organizations(
        Audit.objects.filter(commissioned_on__lte=as_of, commissioned_on__year__in=years),
        "organization__supervising_unit",
    )
    counts = {
        (r["kind"], r["commissioned_on__year"]): r["n"]
        for r in audits.values("kind", "commissioned_on__year").annotate(n=Count("id")).order_by()
    }
    out = []
    for year in years:
        first, last = year_range(year)
        dates = {"commissioned_on__gte": first, "commissioned_on__lte": min(last, as_of)}
        pair = (AuditKind.DEPARTURE, AuditKind.LIQUIDATION)
        out.append(
            Figure(
                f"audits.departure_liquidation.{year}",
                f"{year}年离任审计和注销清算审计",
                sum(counts.get((k, year), 0) for k in pair),
                "项",
                AREA_INSPECTIONS,
                admin_list("oversight.audit", kind__in=list(pair), **dates),
                headline=True,
            )
        )
        for kind, label in AuditKind.choices:
            out.append(
                Figure(
                    f"audits.{kind}.{year}",
                    f"{year}年{label}",
                    counts.get((kind, year), 0),
                    "项",
                    AREA_INSPECTIONS,
                    admin_list("oversight.audit", kind=kind, **dates),
                )
            )
    return out


def _other_inspection_figures(*, as_of, years, scope: Scope) -> list[Figure]:
    joint = JointInspection.objects.filter(held_on__lte=as_of, held_on__year__in=years)
    if scope.department:
        joint = joint.filter(organizations__supervising_unit_id=scope.unit_id)
    joint_rows = {
        r["held_on__year"]: r
        for r in joint.values("held_on__year")
        .annotate(n=Count("id", distinct=True), orgs=Count("organizations", distinct=True))
        .order_by()
    }
    interviews = scope.organizations(
        Interview.objects.filter(held_on__lte=as_of, held_on__year__in=years),
        "organization__supervising_unit",
    )
    interview_n = dict(interviews.values_list("held_on__year").annotate(n=Count("id")).order_by())
    circulars = Circular.objects.filter(issued_on__lte=as_of, issued_on__year__in=years)
    if scope.department:
        circulars = circulars.filter(
            Q(supervising_unit_id=scope.unit_id) | Q(supervising_unit__isnull=True)
        )
    circular_n = dict(circulars.values_list("issued_on__year").annotate(n=Count("id")).order_by())
    out = []
    for year in years:
        first, last = year_range(year)
        last = min(last, as_of)
        row = joint_rows.get(year, {"n": 0, "orgs": 0})
        held = {"held_on__gte": first, "held_on__lte": last}
        out += [
            Figure(f"joint_inspections.{year}", f"{year}年联合检查", row["n"], "次",
                   AREA_INSPECTIONS, admin_list("oversight.jointinspection", **held), True),
            Figure(f"joint_inspections.organizations.{year}", f"{year}年联合检查覆盖社会组织",
                   row["orgs"], ORG_UNIT, AREA_INSPECTIONS,
                   admin_list("oversight.jointinspection", **held), True),
            Figure(f"interviews.{year}", f"{year}年约谈", interview_n.get(year, 0), "次",
                   AREA_INSPECTIONS, admin_list("oversight.interview", **held), True),
            Figure(f"circulars.{year}", f"{year}年通报", circular_n.get(year, 0), "份",
                   AREA_INSPECTIONS,
                   admin_list("oversight.circular", issued_on__gte=first, issued_on__lte=last),
                   True),
        ]  # fmt: skip
    return out


def credit_figures(*, as_of: datetime.date, since: datetime.date, scope: Scope) -> list[Figure]:
    """Organizations on each credit list on `as_of`, and listed (either list) since `since`."""
    path = "organization__supervising_unit"
    active = scope.organizations(active_listings(on=as_of), path)
    on_list = dict(
        active.values_list("list_type").annotate(n=Count("organization", distinct=True)).order_by()
    )
    on_either = active.values("organization").distinct().count()
    listed = scope.organizations(
        CreditListing.objects.filter(decided_on__gte=since, decided_on__lte=as_of), path
    )
    listed_n = listed.values("organization").distinct().count()
    # The admin's "现仍在名录中" filter answers for today only.
    today = as_of >= datetime.date.today()
    active_link = {"active": "1"} if today else {"decided_on__lte": as_of}
    out = [
        Figure("credit.listed_since", f"{since:%Y年%m月%d日}以来列入信用名录的社会组织",
               listed_n, ORG_UNIT, AREA_CREDIT,
               admin_list("oversight.creditlisting", decided_on__gte=since, decided_on__lte=as_of),
               headline=True),
        Figure("credit.on_lists", "统计日在信用名录中的社会组织", on_either, ORG_UNIT,
               AREA_CREDIT, admin_list("oversight.creditlisting", **active_link),
               headline=True, exact_link=today),
    ]  # fmt: skip
    for value, label in CreditList.choices:
        out.append(
            Figure(
                f"credit.on_list.{value}",
                f"统计日在{label}中的社会组织",
                on_list.get(value, 0),
                ORG_UNIT,
                AREA_CREDIT,
                admin_list("oversight.creditlisting", list_type=value, **active_link),
                headline=True,
                exact_link=today,
            )
        )
    return out


def zombie_figures(*, as_of: datetime.date, scope: Scope) -> list[Figure]:
    """Cleanup cases identified by `as_of`, by the stage each stood at on `as_of` (from the
    case's history), and the outcome "注销或注销办理中"."""
    history = ZombieCase.history.model.objects.filter(
        id=OuterRef("pk"), history_date__date__lte=as_of
    ).order_by("-history_date", "-history_id")
    cases = scope.organizations(
        ZombieCase.objects.filter(identified_on__lte=as_of), "organization__supervising_unit"
    ).annotate(stage_on=Subquery(history.values("stage")[:1]))
    by_stage = dict(cases.values_list("stage_on").annotate(n=Count("id")).order_by())
    total = sum(by_stage.values())
    base = {"identified_on__lte": as_of}
    today = as_of >= datetime.date.today()
    outcome = (ZombieStage.DEREGISTERED, ZombieStage.DEREGISTERING)
    out = [
        Figure("zombies.cases", "纳入清理整治的僵尸型社会组织", total, ORG_UNIT, AREA_ZOMBIES,
               admin_list("oversight.zombiecase", **base), headline=True),
        Figure("zombies.deregistered_or_deregistering", "其中：已注销或注销办理中",
               sum(by_stage.get(s, 0) for s in outcome), ORG_UNIT, AREA_ZOMBIES,
               admin_list("oversight.zombiecase", stage__in=list(outcome), **base),
               headline=True, exact_link=today),
    ]  # fmt: skip
    for value, label in ZombieStage.choices:
        out.append(
            Figure(
                f"zombies.stage.{value}",
                f"案件阶段：{label}",
                by_stage.get(value, 0),
                ORG_UNIT,
                AREA_ZOMBIES,
                admin_list("oversight.zombiecase", stage=value, **base),
                exact_link=today,
            )
        )
    return out


# ============================================================================ funding


FUNDED = ("approved", "in_progress", "completed", "terminated")


def funding_figures(*, as_of: datetime.date, scope: Scope) -> list[Figure]:
    """Fund rounds, funded projects and the approved total, activities and people served,
    sponsorship, catalog editions and service records, all up to `as_of`."""
    path = "organization__supervising_unit"
    projects = scope.organizations(
        GrantProject.objects.filter(approved_on__lte=as_of, status__in=FUNDED), path
    ).aggregate(n=Count("id"), total=Sum("approved_amount"))
    rounds = FundRound.objects.filter(opens_on__lte=as_of)
    if scope.department:
        rounds = rounds.filter(grants__organization__supervising_unit_id=scope.unit_id)
    rounds_n = rounds.values("pk").distinct().count()
    reports = scope.organizations(
        GrantCompletionReport.objects.filter(submitted_on__lte=as_of), "project__" + path
    ).aggregate(activities=Sum("activities_held"), people=Sum("people_served"))
    sponsorship = scope.organizations(
        Sponsorship.objects.filter(sponsored_on__lte=as_of), path
    ).aggregate(n=Count("id"), total=Sum("amount"))
    editions = CatalogEdition.objects.filter(published_on__lte=as_of)
    if scope.department:
        editions = editions.filter(entries__organization__supervising_unit_id=scope.unit_id)
    editions_n = editions.values("pk").distinct().count()
    services = {
        r["kind"]: r
        for r in scope.organizations(ServiceRecord.objects.filter(served_on__lte=as_of), path)
        .values("kind")
        .annotate(households=Count("id"), sessions=Count("session", distinct=True))
        .order_by()
    }
    approved = {"approved_on__lte": as_of, "status__in": list(FUNDED)}
    done = {"submitted_on__lte": as_of}
    out = [
        Figure("funding.rounds", "专项资金资助期数", rounds_n, "期", AREA_FUNDING,
               admin_list("funding.fundround", opens_on__lte=as_of), True),
        Figure("funding.projects", "资助项目", projects["n"], "个", AREA_FUNDING,
               admin_list("funding.grantproject", **approved), True),
        Figure("funding.approved_total", "资助金额", wan_yuan(projects["total"]), "万元",
               AREA_FUNDING, admin_list("funding.grantproject", **approved), True),
        Figure("funding.activities", "资助项目开展活动", reports["activities"] or 0, "场",
               AREA_FUNDING, admin_list("funding.grantcompletionreport", **done), True),
        Figure("funding.people_served", "资助项目服务人次", reports["people"] or 0, "人次",
               AREA_FUNDING, admin_list("funding.grantcompletionreport", **done), True),
        Figure("funding.sponsorships", "企业资助", sponsorship["n"], "笔", AREA_FUNDING,
               admin_list("funding.sponsorship", sponsored_on__lte=as_of), False),
        Figure("funding.sponsorship_total", "企业资助金额", wan_yuan(sponsorship["total"]),
               "万元", AREA_FUNDING, admin_list("funding.sponsorship", sponsored_on__lte=as_of),
               True),
        Figure("catalog.editions", "购买服务目录发布版次", editions_n, "版", AREA_FUNDING,
               admin_list("funding.catalogedition", published_on__lte=as_of), True),
    ]  # fmt: skip
    for value, label in ServiceKind.choices:
        row = services.get(value, {"households": 0, "sessions": 0})
        url = admin_list("funding.servicerecord", kind=value, served_on__lte=as_of)
        out += [
            Figure(f"services.{value}.households", f"{label}：服务家次", row["households"],
                   "家次", AREA_FUNDING, url),
            Figure(f"services.{value}.sessions", f"{label}：场次", row["sessions"], "场",
                   AREA_FUNDING, url),
        ]  # fmt: skip
    return out


def figure_values(figures: list[Figure]) -> dict[str, int | float]:
    return {f.key: f.value for f in figures}
