"""Writes of the special fund: rounds, applications, the workflow, reviews and opinions.

The workflow is the table `GRANT_TRANSITIONS` (choices.py); `grant_transition` is the one
service that moves a project, checks what each step requires and logs a GrantTransition.
Payments, completion and sponsorship are in payments.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from common.actors import saved_user
from common.dates import add_years
from common.workdays import add_working_days
from registry.models import Organization

from .choices import (
    FUNDED_STATUSES,
    GRANT_TRANSITIONS,
    PUBLIC_NOTICE_WORKING_DAYS,
    FundRoundStatus,
    GrantStatus,
    SupervisorOpinion,
)
from .eligibility import grant_obstacles
from .models import (
    Expert,
    ExpertConflict,
    FundRound,
    GrantBudgetLine,
    GrantProject,
    GrantReview,
    GrantTransition,
)

CENT = Decimal("0.01")


def min_expert_reviews() -> int:
    """Expert scores a project needs before its public notice (configurable; R-FND-05 gap)."""
    return int(getattr(settings, "FUNDING_MIN_EXPERT_REVIEWS", 3))


def _history_user(obj: Any, actor: Any) -> None:
    if saved_user(actor) is not None:
        obj._history_user = actor


def money(value: Any, *, field: str) -> Decimal:
    """A positive amount in yuan with at most two decimals, or a ValidationError on `field`."""
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError) as exc:
        raise ValidationError({field: "金额必须是数字（元）。"}) from exc
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: "金额必须大于0元。"})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: "金额最多保留两位小数（分）。"})
    return amount.quantize(CENT)


# ------------------------------------------------------------------------------ rounds


def _check_no_overlapping_open_round(fund_round: FundRound) -> None:
    """Two rounds may not take applications over the same days (R-FND-02: one call at a time)."""
    if fund_round.status != FundRoundStatus.OPEN:
        return
    # Lock every open round so two concurrent openings cannot both pass the check.
    clash = (
        FundRound.objects.select_for_update()
        .filter(status=FundRoundStatus.OPEN)
        .exclude(pk=fund_round.pk)
        .filter(opens_on__lte=fund_round.closes_on, closes_on__gte=fund_round.opens_on)
        .order_by("number")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "opens_on": f"申报期与正在申报的{clash}（{clash.opens_on}至{clash.closes_on}）"
                "重叠，同一时间只能开放一期申报。"
            }
        )


@transaction.atomic
def fund_round_create(*, actor: Any = None, **fields: Any) -> FundRound:
    """新建申报期次."""
    fund_round = FundRound(**fields)
    fund_round.budget = money(fund_round.budget, field="budget")
    fund_round.full_clean()
    _check_no_overlapping_open_round(fund_round)
    _history_user(fund_round, actor)
    fund_round.save()
    return fund_round


@transaction.atomic
def fund_round_set_status(*, fund_round: FundRound, status: str, actor: Any = None) -> FundRound:
    """开放 / 截止 / 结束 a round; opening refuses an overlapping open window."""
    locked = FundRound.objects.select_for_update().get(pk=fund_round.pk)
    locked.status = status
    locked.full_clean()
    _check_no_overlapping_open_round(locked)
    _history_user(locked, actor)
    locked.save()
    return locked


# ------------------------------------------------------------------------- applications


def _refuse_obstacles(organization: Organization, on: datetime.date, *, stage: str) -> None:
    reasons = grant_obstacles(organization=organization, on=on)
    if reasons:
        raise ValidationError(
            {"organization": f"{organization.name}不符合{stage}条件：" + "；".join(reasons) + "。"}
        )


def grant_check_submission(
    *, fund_round: FundRound, organization: Organization, on: datetime.date
) -> None:
    """Refuse an application the round or the organization's standing does not allow."""
    if fund_round.status != FundRoundStatus.OPEN:
        raise ValidationError({"round": f"{fund_round}不在申报期，不能申报。"})
    if not fund_round.opens_on <= on <= fund_round.closes_on:
        raise ValidationError(
            {"submitted_on": f"申报日期须在{fund_round.opens_on}至{fund_round.closes_on}之间。"}
        )
    _refuse_obstacles(organization, on, stage="申报")


@transaction.atomic
def grant_submit(
    *,
    fund_round: FundRound,
    organization: Organization,
    title: str,
    category: str,
    requested_amount: Any,
    on: datetime.date,
    plan: str = "",
    budget_lines: list[tuple[str, Any]] = (),
    actor: Any = None,
) -> GrantProject:
    """申报: an organization applies to an open round; eligibility checked live (D12)."""
    locked_round = FundRound.objects.select_for_update().get(pk=fund_round.pk)
    grant_check_submission(fund_round=locked_round, organization=organization, on=on)
    project = GrantProject(
        round=locked_round,
        organization=organization,
        title=title,
        category=category,
        plan=plan,
        requested_amount=money(requested_amount, field="requested_amount"),
        submitted_on=on,
    )
    project.full_clean()
    lines = [(item, money(amount, field="budget_lines")) for item, amount in budget_lines]
    if lines and sum(a for _, a in lines) != project.requested_amount:
        raise ValidationError({"budget_lines": "预算明细合计须等于申请金额。"})
    _history_user(project, actor)
    project._change_reason = "申报"
    project.save()
    GrantBudgetLine.objects.bulk_create(
        GrantBudgetLine(project=project, item=item, amount=amount) for item, amount in lines
    )
    GrantTransition.objects.create(
        project=project,
        from_status=GrantStatus.SUBMITTED,
        to_status=GrantStatus.SUBMITTED,
        on=on,
        actor=saved_user(actor),
        remarks="提交申报",
    )
    return project


# ---------------------------------------------------------------------------- workflow


def _require_to_public_notice(project: GrantProject, on: datetime.date, amount: Any) -> None:
    reviews = project.reviews.count()
    if reviews < min_expert_reviews():
        raise ValidationError(
            {"status": f"专家评审不足{min_expert_reviews()}份（现有{reviews}份），不能公示。"}
        )
    if amount is None:
        raise ValidationError({"approved_amount": "公示须列明拟资助金额。"})
    project.approved_amount = money(amount, field="approved_amount")
    project.notice_started_on = on
    project.notice_ends_on = add_working_days(on, PUBLIC_NOTICE_WORKING_DAYS)


def _require_to_approved(project: GrantProject, on: datetime.date, amount: Any) -> None:
    if project.notice_ends_on is None or on <= project.notice_ends_on:
        raise ValidationError(
            {
                "status": f"公示期至{project.notice_ends_on}（{PUBLIC_NOTICE_WORKING_DAYS}个工作日，"
                "D12），期满后方可立项。"
            }
        )
    if amount is not None:
        project.approved_amount = money(amount, field="approved_amount")
    _refuse_obstacles(project.organization, on, stage="立项")
    fund_round = FundRound.objects.select_for_update().get(pk=project.round_id)
    committed = GrantProject.objects.filter(round=fund_round, status__in=FUNDED_STATUSES).aggregate(
        total=Sum("approved_amount")
    )["total"] or Decimal("0")
    if committed + project.approved_amount > fund_round.budget:
        raise ValidationError(
            {
                "approved_amount": f"{fund_round}已立项{committed}元，再资助"
                f"{project.approved_amount}元将超过预算{fund_round.budget}元。"
            }
        )
    project.approved_on = on


def _require_to_completed(project: GrantProject) -> None:
    if not hasattr(project, "completion_report"):
        raise ValidationError(
            {"status": "须先提交结项报告（开展活动、服务人次、第三方评估结果）。"}
        )


@transaction.atomic
def grant_transition(
    *,
    project: GrantProject,
    to: str,
    on: datetime.date | None = None,
    actor: Any = None,
    remarks: str = "",
    document_no: str = "",
    approved_amount: Any = None,
) -> GrantProject:
    """Move a project along GRANT_TRANSITIONS, checking what the step requires (R-FND-03)."""
    on = on or timezone.localdate()
    locked = (
        GrantProject.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=project.pk)
    )
    allowed = GRANT_TRANSITIONS.get(locked.status, {})
    if to not in allowed:
        target = GrantStatus(to).label if to in GrantStatus.values else to
        raise ValidationError(
            {"status": f"“{locked.get_status_display()}”的项目不能转为“{target}”。"}
        )
    if to in (GrantStatus.REJECTED, GrantStatus.TERMINATED) and not remarks.strip():
        raise ValidationError({"remarks": "不予资助或终止项目须说明理由。"})
    if to == GrantStatus.PUBLIC_NOTICE:
        _require_to_public_notice(locked, on, approved_amount)
    elif to == GrantStatus.APPROVED:
        _require_to_approved(locked, on, approved_amount)
    elif to == GrantStatus.COMPLETED:
        _require_to_completed(locked)
    if to == GrantStatus.REJECTED:
        locked.approved_amount = None
    GrantTransition.objects.create(
        project=locked,
        from_status=locked.status,
        to_status=to,
        on=on,
        actor=saved_user(actor),
        remarks=remarks,
        document_no=document_no,
    )
    if locked.approved_amount is not None and locked.approved_amount > locked.requested_amount:
        raise ValidationError(
            {
                "approved_amount": f"资助金额{locked.approved_amount}元不能超过申请金额"
                f"{locked.requested_amount}元。"
            }
        )
    label = allowed[to]
    locked.status = to
    _history_user(locked, actor)
    locked._change_reason = label
    locked.save()
    return locked


# ------------------------------------------------------------------ reviews and opinions


def expert_conflict(*, expert: Expert, organization: Organization, on: datetime.date):
    """The declared relationship that obliges `expert` to recuse on `on`, or None (R-EVL-06:
    a relationship that ended less than two years ago still counts)."""
    return (
        ExpertConflict.objects.filter(expert=expert, organization=organization)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=add_years(on, -2)))
        .first()
    )


@transaction.atomic
def grant_review_record(
    *,
    project: GrantProject,
    expert: Expert,
    score: Any,
    on: datetime.date,
    comment: str = "",
    actor: Any = None,
) -> GrantReview:
    """专家评分, refused when the expert must recuse or the project is not in expert review."""
    locked = GrantProject.objects.select_for_update().get(pk=project.pk)
    if locked.status != GrantStatus.EXPERT_REVIEW:
        raise ValidationError({"project": "只有处于专家评审阶段的项目可以评分。"})
    conflict = expert_conflict(expert=expert, organization=locked.organization, on=on)
    if conflict is not None:
        raise ValidationError(
            {
                "expert": f"{expert}与申报组织存在利害关系（{conflict.reason}），应当回避（R-EVL-06）。"
            }
        )
    review = GrantReview(
        project=locked, expert=expert, score=Decimal(str(score)), comment=comment, reviewed_on=on
    )
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def grant_record_opinion(
    *,
    project: GrantProject,
    opinion: str,
    remarks: str = "",
    on: datetime.date | None = None,
    actor: Any = None,
) -> GrantProject:
    """业务主管单位意见 on an application, once, before expert review starts."""
    locked = GrantProject.objects.select_for_update().get(pk=project.pk)
    if locked.status not in (GrantStatus.SUBMITTED, GrantStatus.PRELIMINARY_REVIEW):
        raise ValidationError({"opinion": "只能在申报和初审阶段提出主管单位意见。"})
    if locked.supervisor_opinion:
        raise ValidationError({"opinion": "主管单位意见已经提出，不能重复提交。"})
    if opinion not in SupervisorOpinion.values:
        raise ValidationError({"opinion": "意见须为同意或不同意。"})
    if opinion == SupervisorOpinion.DISAGREE and not remarks.strip():
        raise ValidationError({"remarks": "不同意须说明理由。"})
    locked.supervisor_opinion = opinion
    locked.supervisor_remarks = remarks
    locked.supervisor_opinion_on = on or timezone.localdate()
    _history_user(locked, actor)
    locked._change_reason = "主管单位意见"
    locked.save()
    return locked
