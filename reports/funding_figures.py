"""Figures of 培育扶持: fund rounds, funded projects and amounts, activities, people served,
sponsorship, catalog editions and service records (read from funding's models)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Sum

from funding.catalog.models import CatalogEdition
from funding.grants.models import FundRound, GrantCompletionReport, GrantProject, Sponsorship
from funding.services_records.choices import ServiceKind
from funding.services_records.models import ServiceRecord

from .figures import (
    AREA_FUNDING,
    Figure,
    admin_list,
    wan_yuan,
)
from .scope import Scope

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
