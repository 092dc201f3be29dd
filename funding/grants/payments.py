"""Writes after approval: tranches (held while an obstacle lasts), completion, sponsorship."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum

from registry.models import Organization

from .choices import PAYABLE_STATUSES, GrantStatus, PaymentStatus
from .eligibility import grant_obstacles
from .models import GrantCompletionReport, GrantPayment, GrantProject, Sponsorship
from .services import _history_user, money


@transaction.atomic
def grant_payment_request(
    *,
    project: GrantProject,
    amount: Any,
    on: datetime.date,
    document_no: str = "",
    actor: Any = None,
) -> GrantPayment:
    """拨付一批资金. Eligibility is checked on `on` (D12): with an obstacle the tranche is
    recorded as held with its reasons. Paid and held tranches together never exceed the
    approved amount; the project row is locked so two concurrent requests are serialized."""
    amount = money(amount, field="amount")
    locked = (
        GrantProject.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=project.pk)
    )
    if locked.status not in PAYABLE_STATUSES:
        raise ValidationError({"project": f"“{locked.get_status_display()}”的项目不能拨付资金。"})
    if locked.approved_on and on < locked.approved_on:
        raise ValidationError({"requested_on": f"拨付日期不能早于立项日期{locked.approved_on}。"})
    so_far = locked.payments.aggregate(total=Sum("amount"), last=Max("sequence"))
    committed = so_far["total"] or Decimal("0")
    if committed + amount > locked.approved_amount:
        raise ValidationError(
            {
                "amount": f"已拨付及暂缓共{committed}元，本批{amount}元将超过资助金额"
                f"{locked.approved_amount}元（尚可拨付{locked.approved_amount - committed}元）。"
            }
        )
    reasons = grant_obstacles(organization=locked.organization, on=on)
    payment = GrantPayment(
        project=locked,
        sequence=(so_far["last"] or 0) + 1,
        amount=amount,
        requested_on=on,
        status=PaymentStatus.HELD if reasons else PaymentStatus.PAID,
        paid_on=None if reasons else on,
        held_reason="；".join(reasons),
        document_no=document_no,
    )
    # The sequence is taken under the project lock and the amount checked above; the
    # database keeps the constraints, so no constraint queries here.
    payment.full_clean(exclude=["project"], validate_constraints=False)
    _history_user(payment, actor)
    payment._change_reason = "暂缓拨付" if reasons else "拨付"
    payment.save()
    return payment


@transaction.atomic
def grant_payment_release(
    *, payment: GrantPayment, on: datetime.date, document_no: str = "", actor: Any = None
) -> GrantPayment:
    """解除暂缓: pay a held tranche once the organization has no obstacle on `on`."""
    locked = (
        GrantPayment.objects.select_for_update()
        .select_related("project__organization")
        .get(pk=payment.pk)
    )
    if locked.status != PaymentStatus.HELD:
        raise ValidationError({"status": "只有暂缓拨付的款项可以解除暂缓。"})
    if on < locked.requested_on:
        raise ValidationError({"paid_on": "拨付日期不能早于申请拨付日期。"})
    reasons = grant_obstacles(organization=locked.project.organization, on=on)
    if reasons:
        raise ValidationError({"status": "仍不能拨付：" + "；".join(reasons) + "。"})
    locked.status = PaymentStatus.PAID
    locked.paid_on = on
    if document_no:
        locked.document_no = document_no
    _history_user(locked, actor)
    locked._change_reason = "解除暂缓，拨付"
    locked.save()
    return locked


@transaction.atomic
def grant_completion_report_submit(
    *,
    project: GrantProject,
    activities_held: int,
    people_served: int,
    evaluation_result: str,
    on: datetime.date,
    evaluator: str = "",
    actor: Any = None,
) -> GrantCompletionReport:
    """结项报告 of a project in progress (then `grant_transition` to completed may run)."""
    locked = GrantProject.objects.select_for_update().get(pk=project.pk)
    if locked.status != GrantStatus.IN_PROGRESS:
        raise ValidationError({"project": "只有实施中的项目可以提交结项报告。"})
    if GrantCompletionReport.objects.filter(project=locked).exists():
        raise ValidationError({"project": "该项目已提交结项报告。"})
    report = GrantCompletionReport(
        project=locked,
        activities_held=activities_held,
        people_served=people_served,
        evaluation_result=evaluation_result,
        evaluator=evaluator,
        submitted_on=on,
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def sponsorship_record(
    *,
    sponsor_name: str,
    sponsor_uscc: str,
    organization: Organization,
    amount: Any,
    on: datetime.date,
    project: GrantProject | None = None,
    actor: Any = None,
) -> Sponsorship:
    """企业资助: record an enterprise's sponsorship (sponsor USCC checked, authority 9)."""
    if project is not None and project.organization_id != organization.pk:
        raise ValidationError({"project": "受资助项目不属于受资助组织。"})
    sponsorship = Sponsorship(
        sponsor_name=sponsor_name.strip(),
        sponsor_uscc=(sponsor_uscc or "").strip().upper(),
        organization=organization,
        project=project,
        amount=money(amount, field="amount"),
        sponsored_on=on,
    )
    sponsorship.full_clean()
    sponsorship.save()
    return sponsorship
