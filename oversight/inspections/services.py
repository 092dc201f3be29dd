"""Writes of supervision that carry rules: annual reports, draws, inspections, audits."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.actors import saved_user
from common.excel import xlsx_write
from common.policy import policy_value
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
    InspectionDraw,
    Interview,
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
    at: datetime.datetime | None = None,
) -> Inspection:
    """Move an inspection pending → in_progress → completed; completing records the outcome.
    `at` dates the history row (default now)."""
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
    if at is not None:
        inspection._history_date = at
    inspection.save()
    return inspection


@transaction.atomic
def inspection_verify_rectification(
    *,
    inspection: Inspection,
    on: datetime.date,
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> Inspection:
    """整改核实: record the date the bureau verified a required rectification."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.outcome != InspectionOutcome.RECTIFICATION_REQUIRED:
        raise ValidationError({"rectification_verified_on": "该检查未责令整改。"})
    if on < inspection.completed_on:
        raise ValidationError({"rectification_verified_on": "核实日期不能早于检查完成日期。"})
    inspection.rectification_verified_on = on
    if at is not None:
        inspection._history_date = at
    inspection.save()
    return inspection


@transaction.atomic
def inspection_publish(
    *,
    inspection: Inspection,
    on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> Inspection:
    """一公开: publish a completed inspection's outcome on the public page (R-INS-09)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != InspectionStatus.COMPLETED:
        raise ValidationError({"published_on": "只能公示已完成检查的结果。"})
    inspection.published_on = on or timezone.localdate()
    if at is not None:
        inspection._history_date = at
    inspection.save()
    return inspection


# ------------------------------------------------------------------ a draw's follow-up
# The seed letter's chain: an annual-report audit draw, the 财务专项审计 of the organizations
# it selected, and, where the findings warrant, 约谈 and a 通报 — each linked to the inspection.


@transaction.atomic
def inspection_follow_up_audit(
    *,
    inspection: Inspection,
    commissioned_on: datetime.date,
    firm: str = "",
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> Audit:
    """Commission the 财务专项审计 of an inspected organization, linked to its inspection."""
    if commissioned_on < inspection.draw.created_at.date():
        raise ValidationError({"commissioned_on": "专项审计不能早于抽查创建日期。"})
    existing = inspection.follow_up_audits.filter(kind=AuditKind.FINANCIAL_SPECIAL).first()
    if existing:
        return existing
    audit = Audit(
        organization_id=inspection.organization_id,
        kind=AuditKind.FINANCIAL_SPECIAL,
        commissioned_on=commissioned_on,
        firm=firm,
        period_start=datetime.date(inspection.draw.year - 1, 1, 1),
        period_end=datetime.date(inspection.draw.year - 1, 12, 31),
        inspection=inspection,
    )
    audit.full_clean()
    if at is not None:
        audit._history_date = at
    audit.save()
    return audit


@transaction.atomic
def inspection_interview_record(
    *,
    inspection: Inspection,
    held_on: datetime.date,
    reason: str,
    interviewees: str,
    interviewers: str,
    outcome: str = "",
    at: datetime.datetime | None = None,
) -> Interview:
    """约谈 an inspected organization about the inspection's findings."""
    if inspection.status != InspectionStatus.COMPLETED or not inspection.findings:
        raise ValidationError({"inspection": "只能就已完成且有检查发现的抽查约谈。"})
    interview = Interview(
        organization_id=inspection.organization_id,
        held_on=held_on,
        reason=reason,
        interviewees=interviewees,
        interviewers=interviewers,
        outcome=outcome,
        inspection=inspection,
    )
    interview.full_clean()
    if at is not None:
        interview._history_date = at
    interview.save()
    return interview


@transaction.atomic
def draw_follow_up_circular_issue(
    *, draw: InspectionDraw, issued_on: datetime.date, title: str, body: str
) -> Circular:
    """通报 the results of a draw and its follow-up, linked to every inspection of the draw;
    once per draw (its issue key)."""
    key = Circular.key_for(kind="draw_results", period=str(draw.pk), unit_code=None)
    circular, created = Circular.objects.get_or_create(
        issue_key=key, defaults={"title": title, "issued_on": issued_on, "body": body}
    )
    if created:
        circular.inspections.set(draw.inspections.all())
    return circular


def inspection_follow_up(inspection: Inspection) -> list[tuple[datetime.date, str, str]]:
    """The chain after an inspection, in date order: (date, what, detail)."""
    chain = [
        (
            a.commissioned_on,
            "财务专项审计",
            f"{a.firm or '（未定事务所）'} {a.conclusion or '审计中'}",
        )
        for a in inspection.follow_up_audits.all()
    ]
    chain += [(i.held_on, "约谈", i.reason) for i in inspection.interviews.all()]
    chain += [(c.issued_on, "通报", c.title) for c in inspection.circulars.all()]
    return sorted(chain)


# ------------------------------------------------------------------ audits and D11 guards


def liquidation_audit_guard(organization: Organization, to: str, on: datetime.date) -> str | None:
    """D11/R-AUD-04, D13: 核准注销 needs the organization's own liquidation audit, reported
    (number and date) between the start of its liquidation — 受理注销, or 撤销登记 for a
    revoked organization — and the decision, both days included. An audit from before the
    liquidation began audits some other period and does not count."""
    if to != "deregistered":
        return None
    revoked = organization.status == "revoked"
    began = organization.revoked_on if revoked else organization.deregistration_started_on
    done = Audit.objects.filter(
        organization=organization,
        kind=AuditKind.LIQUIDATION,
        completed_on__lte=on,
        completed_on__gte=began or on,
    ).exclude(report_no="")
    if not done.exists():
        start = "撤销登记" if revoked else "受理注销"
        return (
            f"核准注销前须有本组织在{start}（{began}）之后、核准注销（{on}）之前"
            "出具报告的注销清算审计（R-AUD-04，D11，D13）。"
        )
    return None


def departure_audit_guard(
    organization: Organization, new_rep: str, on: datetime.date
) -> str | None:
    """D11/R-AUD-01: a legal-representative change needs the outgoing one's departure audit."""
    window = datetime.timedelta(days=policy_value("DEPARTURE_AUDIT_VALID_DAYS", on=on))
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


def departure_audit_guard_bulk(pairs, on: datetime.date) -> dict[int, str]:
    """D11/R-AUD-01 for many organizations in one query (registry.bulk): {index in `pairs`:
    refusal} for each (organization, new representative) without its departure audit."""
    window = datetime.timedelta(days=policy_value("DEPARTURE_AUDIT_VALID_DAYS", on=on))
    done = set(
        Audit.objects.filter(
            organization__in=[org.pk for org, _ in pairs],
            kind__in=[AuditKind.DEPARTURE, AuditKind.TERM_END],
            completed_on__lte=on,
            completed_on__gte=on - window,
        )
        .exclude(report_no="")
        .values_list("organization_id", "subject_person")
    )
    return {
        i: f"变更法定代表人前须有原法定代表人{org.legal_representative}的"
        "离任（或换届）审计报告（R-AUD-01，D11）。"
        for i, (org, _rep) in enumerate(pairs)
        if (org.pk, org.legal_representative) not in done
    }


# ------------------------------------------------------------------ circulars


def missing_reports_circular_issue(
    *, year: int, as_of: datetime.date, at: datetime.datetime | None = None
) -> Circular | None:
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
    if at is not None:  # the demo's own time for the history row (default now)
        circular._history_date = at
    try:
        with transaction.atomic():
            circular.save()
    except IntegrityError:
        # Another worker issued it first (same issue key): theirs stands, ours is dropped.
        circular.attachment.delete(save=False)
        return Circular.objects.get(issue_key=key)
    return circular
