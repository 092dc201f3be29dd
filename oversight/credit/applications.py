"""移出申请 (R-CRD-07, D18): an organization's application to come off a credit list, recorded
with its dates; the authority removes it within five working days of verifying that the
obligation is fulfilled (the working-day calendar of common.workdays), or refuses with a reason.

The removal decision itself is written by the credit services (four eyes); writing it closes
the pending applications of that organization and list (`removal_applications_close`). An
application verified but still pending after its `due_on` is overdue
(`credit.selectors.removal_applications_overdue`, the admin filter and the workbench).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from common.actors import saved_user
from common.history import history_stamp
from common.policy import policy_value
from common.workdays import add_working_days
from oversight.credit.choices import CreditList, RemovalApplicationStatus
from oversight.credit.models import CreditRemoval, CreditRemovalApplication
from oversight.credit.rules.base import active_listing_rows
from registry.models import Organization

# R-CRD-07: "removes it within 5 working days of verifying this", a legal period
# (common.policy). Only the abnormal list has this deadline; R-CRD-08 states none.
CREDIT_REMOVAL_WORKING_DAYS = "CREDIT_REMOVAL_WORKING_DAYS"


def removal_due_on(*, list_type: str, verified_on: datetime.date) -> datetime.date | None:
    """The last day for the removal decision: the period in force on the day of
    verification, in working days after it (D18, that day not counted); None for the
    serious list."""
    if list_type != CreditList.ABNORMAL:
        return None
    return add_working_days(verified_on, policy_value(CREDIT_REMOVAL_WORKING_DAYS, on=verified_on))


def _save(application: CreditRemovalApplication, actor: Any, at: datetime.datetime | None):
    history_stamp(application, actor=actor, at=at)
    application.save()
    return application


@transaction.atomic
def removal_application_record(
    *,
    organization: Organization,
    list_type: str,
    applied_on: datetime.date,
    applicant: str,
    ground: str,
    actor: Any = None,
    verified_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> CreditRemovalApplication:
    """登记移出申请: the organization must be on the list on `applied_on`; one pending
    application per organization and list. `verified_on` when the verification is already
    done (e.g. the overdue report is on file) fixes the deadline at once."""
    errors = {}
    if not (applicant or "").strip():
        errors["applicant"] = "请填写申请人。"
    if not (ground or "").strip():
        errors["ground"] = "请填写申请理由（已履行的义务或已完成的整改）。"
    if list_type not in CreditList.values:
        errors["list_type"] = "名录无效。"
    if errors:
        raise ValidationError(errors)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    listed = active_listing_rows(on=applied_on, list_type=list_type, org_ids=[org.pk])
    if not listed.exists():
        label = CreditList(list_type).label
        raise ValidationError({"organization": f"{org.name}在{applied_on}不在{label}中。"})
    pending = CreditRemovalApplication.objects.filter(
        organization=org, list_type=list_type, status=RemovalApplicationStatus.PENDING
    )
    if pending.exists():
        raise ValidationError({"organization": f"{org.name}已有待决定的移出申请。"})
    application = CreditRemovalApplication(
        organization=org,
        list_type=list_type,
        applied_on=applied_on,
        applicant=applicant.strip(),
        ground=ground.strip(),
        recorded_by=saved_user(actor),
    )
    if verified_on is not None:
        _set_verified(application, verified_on)
    return _save(application, actor, at)


def _set_verified(application: CreditRemovalApplication, verified_on: datetime.date) -> None:
    if verified_on < application.applied_on:
        raise ValidationError(
            {"verified_on": f"核实日期不能早于申请日期{application.applied_on}。"}
        )
    application.verified_on = verified_on
    application.due_on = removal_due_on(list_type=application.list_type, verified_on=verified_on)


def _pending(application: CreditRemovalApplication) -> CreditRemovalApplication:
    application = CreditRemovalApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != RemovalApplicationStatus.PENDING:
        raise ValidationError({"status": f"该申请已办结（{application.get_status_display()}）。"})
    return application


@transaction.atomic
def removal_application_verify(
    *,
    application: CreditRemovalApplication,
    verified_on: datetime.date,
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> CreditRemovalApplication:
    """核实: the obligation is found fulfilled on `verified_on`; the removal decision is due
    within five working days (`due_on`)."""
    application = _pending(application)
    if application.verified_on is not None:
        raise ValidationError({"verified_on": f"该申请已于{application.verified_on}核实。"})
    _set_verified(application, verified_on)
    return _save(application, actor, at)


@transaction.atomic
def removal_application_refuse(
    *,
    application: CreditRemovalApplication,
    on: datetime.date,
    reason: str,
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> CreditRemovalApplication:
    """不予移出: the obligation is not fulfilled; the reason is stated."""
    application = _pending(application)
    if not (reason or "").strip():
        raise ValidationError({"refusal_reason": "请填写不予移出的理由。"})
    if on < application.applied_on:
        raise ValidationError({"decided_on": f"办结日期不能早于申请日期{application.applied_on}。"})
    application.status = RemovalApplicationStatus.REFUSED
    application.decided_on = on
    application.refusal_reason = reason.strip()
    return _save(application, actor, at)


def removal_applications_close(
    *, removal: CreditRemoval, at: datetime.datetime | None = None
) -> int:
    """A removal decision answers the pending applications of its organization and list made
    by its date (called by the credit services in the decision's transaction)."""
    count = 0
    for application in CreditRemovalApplication.objects.select_for_update().filter(
        organization_id=removal.organization_id,
        list_type=removal.list_type,
        status=RemovalApplicationStatus.PENDING,
        applied_on__lte=removal.decided_on,
    ):
        application.status = RemovalApplicationStatus.REMOVED
        application.decided_on = removal.decided_on
        application.removal = removal
        _save(application, removal.approved_by, at)
        count += 1
    return count
