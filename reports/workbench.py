"""The clerk's to-do list for today (the workbench at /): each line a count of records and a
link to the admin list of exactly those records. One query per line, none per row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery

from common.policy import policy_label, policy_value
from common.workdays import add_working_days
from oversight.annual_reports.choices import AnnualReportStatus
from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.credit.applications import CREDIT_REMOVAL_WORKING_DAYS
from oversight.credit.choices import ProposalStatus
from oversight.credit.models import CreditProposal
from oversight.credit.selectors import removal_applications_overdue
from oversight.inspections.choices import InspectionOutcome, InspectionStatus
from oversight.inspections.models import Inspection
from oversight.zombies.choices import ZOMBIE_OPEN_STAGES
from oversight.zombies.models import ZombieCase
from registry.models import Rating

from .figures import admin_list

RECTIFICATION_WARNING_DAYS = 7
STALE_CASE_DAYS = 30
EXPIRY_WARNING_DAYS = 60
DEADLINE_HORIZON_DAYS = 120
# The admin has no 'last change' filter: the link names the cases, so the URL stays short.
STALE_LINK_LIMIT = 300


@dataclass(frozen=True)
class Todo:
    key: str
    label: str
    count: int
    url: str
    note: str = ""


@dataclass(frozen=True)
class Deadline:
    label: str
    due: datetime.date
    days_left: int
    url: str


def publication_cutoff(today: datetime.date) -> datetime.date:
    """The latest completion date whose result is already past its publication deadline
    (R-INS-09, D4: N working days after completion): the deadline is monotonic in the
    completion date, so one date bounds the set and the count is one query."""
    n = policy_value("INSPECTION_PUBLICATION_WORKING_DAYS", on=today)
    day = today - datetime.timedelta(days=1)
    # Walk back at most a few weeks: N working days never span more than ~2N calendar days.
    for _ in range(4 * n + 30):
        if add_working_days(day, n) < today:
            return day
        day -= datetime.timedelta(days=1)
    return day


def workbench_todos(*, user, today: datetime.date) -> list[Todo]:
    """Today's work of `user` (the staff clerk), in the order a clerk takes it."""
    reports = AnnualReport.objects.filter(status=AnnualReportStatus.AWAITING_REVIEW)
    cutoff = publication_cutoff(today)
    unpublished = Inspection.objects.filter(
        status=InspectionStatus.COMPLETED, published_on__isnull=True, completed_on__lte=cutoff
    )
    due = today + datetime.timedelta(days=RECTIFICATION_WARNING_DAYS)
    rectifications = Inspection.objects.filter(
        outcome=InspectionOutcome.RECTIFICATION_REQUIRED,
        rectification_verified_on__isnull=True,
        rectification_deadline__lte=due,
    )
    proposals = CreditProposal.objects.filter(status=ProposalStatus.PROPOSED).exclude(
        proposed_by=user
    )
    removals_overdue = removal_applications_overdue(today=today)
    stale = _stale_cases(today)
    stale_ids = list(stale.values_list("pk", flat=True)[: STALE_LINK_LIMIT + 1])
    horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    ratings = Rating.objects.filter(expires_on__gte=today, expires_on__lte=horizon)
    return [
        Todo("annual_reports_awaiting_review", "年度报告待审查", reports.count(),
             admin_list("oversight.annualreport", status=AnnualReportStatus.AWAITING_REVIEW)),
        Todo("inspections_unpublished", "检查结果已超过公示期限未公示", unpublished.count(),
             admin_list("oversight.inspection", status=InspectionStatus.COMPLETED,
                        published_on__isnull="True", completed_on__lte=cutoff),
             f"完成后 {policy_value('INSPECTION_PUBLICATION_WORKING_DAYS', on=today)} 个工作日内应公示（R-INS-09）"),
        Todo("rectifications_due", f"整改期限在 {RECTIFICATION_WARNING_DAYS} 日内或已逾期",
             rectifications.count(),
             admin_list("oversight.inspection", outcome=InspectionOutcome.RECTIFICATION_REQUIRED,
                        rectification_verified_on__isnull="True", rectification_deadline__lte=due)),
        Todo("credit_proposals_to_approve", "信用事项待本人审批（他人提议）", proposals.count(),
             admin_list("oversight.creditproposal", status=ProposalStatus.PROPOSED),
             "本人提议的事项须由另一人审批，不计在内（四眼原则）"),
        Todo("removal_applications_overdue", "移出申请逾期未作出移出决定",
             removals_overdue.count(),
             admin_list("oversight.creditremovalapplication", overdue="yes"),
             f"核实后{policy_label(CREDIT_REMOVAL_WORKING_DAYS, on=today)}内应作出移出决定（R-CRD-07）"),
        Todo("zombie_cases_stale", f"僵尸型社会组织案件 {STALE_CASE_DAYS} 日无进展",
             stale.count(),
             admin_list("oversight.zombiecase", stage__in=list(ZOMBIE_OPEN_STAGES),
                        id__in=stale_ids[:STALE_LINK_LIMIT] or [0]),
             f"链接列出前 {STALE_LINK_LIMIT} 件" if len(stale_ids) > STALE_LINK_LIMIT else ""),
        Todo("ratings_expiring", f"评估等级 {EXPIRY_WARNING_DAYS} 日内到期", ratings.count(),
             admin_list("registry.rating", expires_on__gte=today, expires_on__lte=horizon)),
    ]  # fmt: skip


def _stale_cases(today: datetime.date):
    """Open cases whose last recorded change (case history) is 30 days old or more."""
    last = (
        ZombieCase.history.model.objects.filter(id=OuterRef("pk"))
        .values("id")
        .annotate(m=Max("history_date"))
        .values("m")
    )
    limit = today - datetime.timedelta(days=STALE_CASE_DAYS)
    return (
        ZombieCase.objects.filter(stage__in=ZOMBIE_OPEN_STAGES)
        .annotate(last_change=Subquery(last))
        .filter(last_change__date__lte=limit)
    )


def reporting_deadlines(*, today: datetime.date) -> list[Deadline]:
    """The annual-report cycle's deadlines still ahead within the horizon (31 March to the
    supervising unit, 31 May to the bureau, as each cycle sets them, R-ANN-04)."""
    horizon = today + datetime.timedelta(days=DEADLINE_HORIZON_DAYS)
    out = []
    cycles = AnnualReportCycle.objects.filter(bureau_deadline__gte=today).order_by("year")
    for cycle in cycles:
        for label, due in (
            (f"{cycle.year}年度报告：业务主管单位初审截止", cycle.supervisor_deadline),
            (f"{cycle.year}年度报告：登记管理机关报送截止", cycle.bureau_deadline),
        ):
            if due and today <= due <= horizon:
                out.append(
                    Deadline(
                        label,
                        due,
                        (due - today).days,
                        admin_list("oversight.annualreport", year=cycle.year),
                    )
                )
    return out
