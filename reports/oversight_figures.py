"""Figures of supervision: draws, audits, joint inspections, interviews, circulars, credit lists,
zombie cases (read from oversight's models and selectors)."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Q, Subquery, Sum

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

from .figures import (
    AREA_CREDIT,
    AREA_INSPECTIONS,
    AREA_ZOMBIES,
    Figure,
    admin_list,
    year_range,
)
from .scope import ORG_UNIT, Scope


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
