"""Writes of supervision that carry rules: annual reports, draws, inspections, audits."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.actors import saved_user
from common.excel import xlsx_write
from oversight.annual_reports.selectors import organizations_missing_report
from oversight.annual_reports.services import annual_report_cycle_get
from oversight.inspections.choices import (
    INSPECTION_TRANSITIONS,
    AuditKind,
    InspectionOutcome,
    InspectionStatus,
)
from oversight.inspections.models import (
    Audit,
    Circular,
    Inspection,
)
from registry.models import Organization

# ------------------------------------------------------------------ inspections


@transaction.atomic
def inspection_transition(
    *,
    inspection: Inspection,
    to: str,
    on: datetime.date | None = None,
    actor: Any = None,
    findings: str | None = None,
    outcome: str | None = None,
    rectification_deadline: datetime.date | None = None,
) -> Inspection:
    """Move an inspection pending → in_progress → completed; completing records the outcome."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    on = on or timezone.localdate()
    if to not in INSPECTION_TRANSITIONS.get(inspection.status, set()):
        raise ValidationError(
            {
                "status": f"检查状态不能从“{inspection.get_status_display()}”变为“{InspectionStatus(to).label}”。"
            }
        )
    if to == InspectionStatus.IN_PROGRESS:
        inspection.started_on = on
    if to == InspectionStatus.COMPLETED:
        if outcome not in InspectionOutcome.values:
            raise ValidationError({"outcome": "完成检查须填写检查结果。"})
        if outcome == InspectionOutcome.RECTIFICATION_REQUIRED and not rectification_deadline:
            raise ValidationError({"rectification_deadline": "责令整改须设定整改期限。"})
        if rectification_deadline and rectification_deadline <= on:
            raise ValidationError({"rectification_deadline": "整改期限须晚于检查完成日期。"})
        inspection.outcome = outcome
        inspection.completed_on = on
        inspection.rectification_deadline = (
            rectification_deadline if outcome == InspectionOutcome.RECTIFICATION_REQUIRED else None
        )
    if findings is not None:
        inspection.findings = findings
    inspection.status = to
    if saved_user(actor) is not None:
        inspection._history_user = actor
    inspection.save()
    return inspection


@transaction.atomic
def inspection_verify_rectification(
    *, inspection: Inspection, on: datetime.date, actor: Any = None
) -> Inspection:
    """整改核实: record the date the bureau verified a required rectification."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.outcome != InspectionOutcome.RECTIFICATION_REQUIRED:
        raise ValidationError({"rectification_verified_on": "该检查未责令整改。"})
    if on < inspection.completed_on:
        raise ValidationError({"rectification_verified_on": "核实日期不能早于检查完成日期。"})
    inspection.rectification_verified_on = on
    inspection.save()
    return inspection


@transaction.atomic
def inspection_publish(*, inspection: Inspection, on: datetime.date | None = None) -> Inspection:
    """一公开: publish a completed inspection's outcome on the public page (R-INS-09)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != InspectionStatus.COMPLETED:
        raise ValidationError({"published_on": "只能公示已完成检查的结果。"})
    inspection.published_on = on or timezone.localdate()
    inspection.save()
    return inspection


# ------------------------------------------------------------------ audits and D11 guards


def liquidation_audit_guard(organization: Organization, to: str, on: datetime.date) -> str | None:
    """D11/R-AUD-04: deregistration needs a completed liquidation audit report."""
    if to != "deregistered":
        return None
    done = Audit.objects.filter(
        organization=organization, kind=AuditKind.LIQUIDATION, completed_on__lte=on
    ).exclude(report_no="")
    if not done.exists():
        return "核准注销前须有已出具报告的注销清算审计（R-AUD-04，D11）。"
    return None


def departure_audit_guard(
    organization: Organization, new_rep: str, on: datetime.date
) -> str | None:
    """D11/R-AUD-01: a legal-representative change needs the outgoing one's departure audit."""
    window = datetime.timedelta(days=settings.DEPARTURE_AUDIT_VALID_DAYS)
    done = Audit.objects.filter(
        organization=organization,
        kind__in=[AuditKind.DEPARTURE, AuditKind.TERM_END],
        subject_person=organization.legal_representative,
        completed_on__lte=on,
        completed_on__gte=on - window,
    ).exclude(report_no="")
    if not done.exists():
        return (
            f"变更法定代表人前须有原法定代表人{organization.legal_representative}的"
            "离任（或换届）审计报告（R-AUD-01，D11）。"
        )
    return None


# ------------------------------------------------------------------ circulars


def missing_reports_circular_issue(*, year: int, as_of: datetime.date) -> Circular | None:
    """通报 after the bureau deadline: the organizations with no report for `year` filed on
    time, as an Excel attachment (feeds the abnormal-list candidates, R-CRD-02(1)). Issued
    once per year; None before the deadline."""
    cycle = annual_report_cycle_get(year=year)
    if as_of <= cycle.bureau_deadline:
        return None
    title = f"{year}年度未按时报送年度工作报告的社会组织名单"
    key = Circular.key_for(kind="missing_reports", period=str(year), unit_code=None)
    existing = Circular.objects.filter(issue_key=key).first()
    if existing:
        return existing
    missing = organizations_missing_report(cycle=cycle, as_of=as_of)
    buffer = io.BytesIO()
    count = xlsx_write(
        buffer,
        headers=["统一社会信用代码", "名称", "组织类型", "业务主管单位", "成立日期"],
        rows=(
            (
                o.uscc,
                o.name,
                o.get_org_type_display(),
                o.supervising_unit.name if o.supervising_unit else "",
                o.established_on,
            )
            for o in missing.iterator(chunk_size=2000)
        ),
        sheet_title=f"{year}年度未报",
    )
    circular = Circular(
        title=title,
        issue_key=key,
        issued_on=as_of,
        body=(
            f"截至{cycle.bureau_deadline}，共有{count}家社会组织未按时报送{year}年度工作报告"
            "（R-ANN-01），名单见附件，拟列入活动异常名录候选（R-CRD-02第1项）。"
        ),
    )
    circular.attachment.save(
        f"missing-reports-{year}.xlsx", ContentFile(buffer.getvalue()), save=False
    )
    try:
        with transaction.atomic():
            circular.save()
    except IntegrityError:
        # Another worker issued it first (same issue key): theirs stands, ours is dropped.
        circular.attachment.delete(save=False)
        return Circular.objects.get(issue_key=key)
    return circular
