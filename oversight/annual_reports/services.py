"""Writes of annual reports that carry rules: cycles, submission, opinion, review (R-ANN-01…10)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.actors import saved_user
from oversight.annual_reports.choices import AnnualReportStatus, ReviewModel, SupervisorOpinion
from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from registry.models import Organization

# ------------------------------------------------------------------ annual reports


def annual_report_cycle_get(*, year: int, at: datetime.datetime | None = None) -> AnnualReportCycle:
    """The cycle of `year`, created with the default deadlines of R-ANN-01/02 when missing;
    `at` dates a created cycle's history row (default now)."""
    cycle = AnnualReportCycle.objects.filter(year=year).first()
    if cycle is not None:
        return cycle
    cycle = AnnualReportCycle(year=year, **AnnualReportCycle.defaults_for(year))
    if at is not None:
        cycle._history_date = at
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:  # created by a concurrent caller: theirs stands
        return AnnualReportCycle.objects.get(year=year)
    return cycle


def annual_report_initial_status(organization: Organization) -> str:
    """Where a new report goes first: to the supervising unit when there is one (R-ANN-01),
    straight to the bureau when there is none (R-ORG-03). Shared by submission and import."""
    if organization.supervising_unit_id:
        return AnnualReportStatus.AWAITING_OPINION
    return AnnualReportStatus.AWAITING_REVIEW


@transaction.atomic
def annual_report_submit(
    *,
    organization: Organization,
    year: int,
    submitted_on: datetime.date,
    actor: Any = None,
    **figures: Any,
) -> AnnualReport:
    """年报报送: record a report; it goes to the supervising unit first when there is one
    (R-ANN-01), straight to the bureau when there is none (R-ORG-03)."""
    if submitted_on.year <= year:
        raise ValidationError({"submitted_on": f"{year}年度报告应在{year + 1}年报送。"})
    if organization.established_on > datetime.date(year, 12, 31):
        raise ValidationError(
            {"year": f"该组织成立于{organization.established_on}，无{year}年度报告。"}
        )
    report = AnnualReport(
        organization=organization,
        year=year,
        submitted_on=submitted_on,
        status=annual_report_initial_status(organization),
        **figures,
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def annual_report_record_opinion(
    *, report: AnnualReport, opinion: str, remarks: str = "", actor: Any = None
) -> AnnualReport:
    """初审意见: the supervising unit's preliminary opinion, once, while the report awaits it."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != AnnualReportStatus.AWAITING_OPINION:
        raise ValidationError(
            {"opinion": f"该报告当前为“{report.get_status_display()}”，不在初审阶段。"}
        )
    if opinion not in SupervisorOpinion.values:
        raise ValidationError({"opinion": "初审意见只能是“同意”或“不同意”。"})
    if opinion == SupervisorOpinion.DISAGREE and not remarks.strip():
        raise ValidationError({"remarks": "不同意时须说明理由。"})
    report.supervisor_opinion = opinion
    report.supervisor_remarks = remarks
    report.supervisor_opinion_on = timezone.now()
    report.supervisor_opinion_by = saved_user(actor)
    report.status = AnnualReportStatus.AWAITING_REVIEW
    report.save()
    return report


@transaction.atomic
def annual_report_review(
    *,
    report: AnnualReport,
    result: str = "",
    remarks: str = "",
    reviewed_on: datetime.date | None = None,
    actor: Any = None,
) -> AnnualReport:
    """登记管理机关审查: 年检 gives 合格/基本合格/不合格 (R-ANN-07); 年报 gives none (R-ANN-08)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != AnnualReportStatus.AWAITING_REVIEW:
        raise ValidationError(
            {"result": f"该报告当前为“{report.get_status_display()}”，不能审查。"}
        )
    cycle = annual_report_cycle_get(year=report.year)
    if cycle.review_model == ReviewModel.INSPECTION and not result:
        raise ValidationError(
            {"result": "年检模式须给出审查结论（合格、基本合格或不合格，R-ANN-07）。"}
        )
    if cycle.review_model == ReviewModel.REPORT and result:
        raise ValidationError({"result": "年报模式不出具结论（R-ANN-08）。"})
    report.result = result
    report.remarks = remarks
    report.reviewed_on = reviewed_on or timezone.localdate()
    report.reviewed_by = saved_user(actor)
    report.status = AnnualReportStatus.REVIEWED
    report.full_clean()
    report.save()
    return report
