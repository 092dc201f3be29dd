"""The credit demo's administrative penalties (行政处罚), recorded through the credit intake
(oversight.credit.intake.penalty_record) on the demo's dates: warnings of late 2021, the
repeated warnings for missing reports, and the warnings and small fines of June 2022."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.annual_reports.selectors import organizations_owing_report
from oversight.credit.choices import PenaltyKind
from oversight.credit.intake import penalty_record
from oversight.inspections.choices import InspectionOutcome
from oversight.inspections.models import Inspection
from registry.choices import OrganizationType
from registry.models import Organization

EARLY = 4  # warned in late 2021 (R-CRD-02(5), removed after six months)
REPEATED = 4  # warned in 2021 and 2022 for missing reports (R-CRD-05(5))
POOL = 60  # warnings and small fines of June 2022: with the 2021 reports they make the count
PENALTY_NO = "福民罚〔{year}〕{seq}号"
WARNINGS = (
    "未按照规定办理法定代表人变更登记",
    "超出章程规定的宗旨和业务范围开展活动",
    "实际办公地址与登记住所不一致，未按照规定办理住所变更登记",
    "未按照规定接受监督检查，拒不提供财务会计资料",
    "未按照规定换届，负责人超期任职",
)
FINES = (
    "违反国家有关规定收取费用，违法所得已予没收",
    "以组织名义从事营利性经营活动，违法所得已予没收",
    "违反规定接受和使用捐赠，违法所得已予没收",
)
FINE_AMOUNTS = (2000, 3000, 5000, 8000, 10000, 20000)
LEGAL_BASIS = {
    OrganizationType.SOCIAL_GROUP: "《社会团体登记管理条例》第三十条",
    OrganizationType.PRIVATE_NON_ENTERPRISE: "《民办非企业单位登记管理暂行条例》第二十五条",
}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """The demo's time of a step: the services date their records with it (`at=`), so
    proposed_at, decided_at and created_at carry the demo's date."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A Monday–Friday in [first, last]."""
    day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return max(day, first)


@dataclass
class _Penalties:
    early: list[Organization]  # warned in late 2021
    repeated: list[Organization]  # warned twice for missing reports
    pool: list[Organization]  # penalized in June 2022, in the order they are approved
    defaulter: Organization | None


def _unfiled(demo_ids: set[int]) -> list[Organization]:
    """Demo organizations listed in 2021 for their missing 2020 report that filed neither it
    nor the 2021 one, on the register to the end of 2022."""
    filed = set(
        AnnualReport.objects.filter(year__in=(2020, 2021)).values_list("organization_id", flat=True)
    )
    cycles = AnnualReportCycle.objects.filter(year__in=(2020, 2021))
    owing = [set(organizations_owing_report(cycle=c).values_list("pk", flat=True)) for c in cycles]
    both = set.intersection(*owing) if len(owing) == 2 else set()
    orgs = Organization.objects.filter(
        pk__in=sorted(both - filed), deregistration_started_on__isnull=True
    ).order_by("uscc")
    return [
        o for o in orgs if o.pk in demo_ids and o.deregistered_on is None and o.revoked_on is None
    ]


def _penalties_seed(
    rng: random.Random, clean: list[Organization], unfiled: list[Organization], clerk
) -> _Penalties:
    # Shuffled first, then the organizations ordered to rectify skipped: the draws decide
    # who they are, so they shift no other organization's pick.
    order = list(clean)
    rng.shuffle(order)
    rectifying = set(
        Inspection.objects.filter(outcome=InspectionOutcome.RECTIFICATION_REQUIRED).values_list(
            "organization_id", flat=True
        )
    )
    chosen = [o for o in order if o.pk not in rectifying][: EARLY + POOL]
    early, pool = chosen[:EARLY], chosen[EARLY:]
    silent = rng.sample(unfiled, k=min(len(unfiled), REPEATED + 1))
    repeated, defaulter = silent[:REPEATED], silent[REPEATED:]
    planned: list[tuple[Organization, datetime.date, str, Decimal, str]] = []

    def penalty(org, first, last, kind, facts=""):
        amount = Decimal(rng.choice(FINE_AMOUNTS)) if kind == PenaltyKind.FINE else Decimal(0)
        facts = facts or rng.choice(WARNINGS if kind == PenaltyKind.WARNING else FINES)
        planned.append((org, _day(rng, first, last), kind, amount, facts))

    for org in early:
        penalty(org, datetime.date(2021, 10, 11), datetime.date(2021, 11, 26), PenaltyKind.WARNING)
    for org in repeated:
        for year, first, last in (
            (2020, datetime.date(2021, 10, 11), datetime.date(2021, 11, 26)),
            (2021, datetime.date(2022, 6, 6), datetime.date(2022, 6, 24)),
        ):
            facts = f"未按照规定报送{year}年度工作报告、接受年度检查，经责令限期改正逾期仍未改正"
            penalty(org, first, last, PenaltyKind.WARNING, facts)
    for org in pool:
        kind = PenaltyKind.WARNING if rng.random() < 0.6 else PenaltyKind.FINE
        penalty(org, datetime.date(2022, 6, 2), datetime.date(2022, 6, 24), kind)
    planned.sort(key=lambda x: (x[1], x[0].uscc))
    seq: Counter[int] = Counter()
    for org, day, kind, amount, facts in planned:
        seq[day.year] += 1
        penalty_record(
            organization=org,
            kind=kind,
            amount=amount,
            decided_on=day,
            decision_no=PENALTY_NO.format(year=day.year, seq=seq[day.year]),
            authority=settings.CREDIT_AUTHORITY,
            facts=f"{facts}。",
            legal_basis=LEGAL_BASIS.get(org.org_type, ""),
            actor=clerk,
            at=_at(day, 16),
        )
    return _Penalties(early, repeated, pool, defaulter[0] if defaulter else None)
