"""Writes on the register that carry rules: lifecycle transitions and registration changes.

Other apps add their preconditions (e.g. the audits of D11, which oversight owns) with
`register_transition_guard` / `register_legal_representative_guard` from their AppConfig,
so that registry never imports them (STYLE.md: dependencies flow one way).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.actors import saved_user

from .choices import LIFECYCLE_TRANSITIONS, LifecycleStatus
from .models import Organization

# A guard returns a reason (Chinese, shown to staff) when the change must be refused.
TransitionGuard = Callable[[Organization, str, datetime.date], str | None]
LegalRepresentativeGuard = Callable[[Organization, str, datetime.date], str | None]

_transition_guards: list[TransitionGuard] = []
_legal_representative_guards: list[LegalRepresentativeGuard] = []


def register_transition_guard(guard: TransitionGuard) -> TransitionGuard:
    if guard not in _transition_guards:
        _transition_guards.append(guard)
    return guard


def register_legal_representative_guard(
    guard: LegalRepresentativeGuard,
) -> LegalRepresentativeGuard:
    if guard not in _legal_representative_guards:
        _legal_representative_guards.append(guard)
    return guard


def _set_history_user(obj: Any, actor: Any) -> None:
    # simple-history reads `_history_user` when the change is made outside a request.
    if saved_user(actor) is not None:
        obj._history_user = actor


@transaction.atomic
def organization_transition(
    *,
    organization: Organization,
    to: str,
    on: datetime.date | None = None,
    actor: Any = None,
    reason: str = "",
) -> Organization:
    """Move an organization along its lifecycle (DESIGN.md §3), refusing what the rules forbid."""
    on = on or timezone.localdate()
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    allowed = LIFECYCLE_TRANSITIONS.get(org.status, {})
    if to not in allowed:
        raise ValidationError(
            {
                "status": f"“{org.get_status_display()}”的组织不能变更为"
                f"“{LifecycleStatus(to).label if to in LifecycleStatus.values else to}”。"
            }
        )
    if on < org.established_on:
        raise ValidationError({"status": "变更日期不能早于成立日期。"})
    for guard in _transition_guards:
        refusal = guard(org, to, on)
        if refusal:
            raise ValidationError({"status": refusal})

    if to == LifecycleStatus.DEREGISTERING:
        org.deregistration_started_on = on
    elif to == LifecycleStatus.DEREGISTERED:
        org.deregistered_on = on
    elif to == LifecycleStatus.REVOKED:
        org.revoked_on = on
    elif to == LifecycleStatus.ACTIVE:
        org.deregistration_started_on = None
    org.status = to
    org._change_reason = reason or LIFECYCLE_TRANSITIONS[organization.status][to]
    _set_history_user(org, actor)
    org.save()
    organization.refresh_from_db()
    return org


REGISTRATION_FIELDS = (
    "name",
    "org_type",
    "is_industry_association",
    "industry_category",
    "supervising_unit",
    "legal_representative",
    "domicile",
    "phone",
    "business_scope",
    "registered_capital",
    "registration_certificate_no",
    "established_on",
)


def organization_check_change(
    *, organization: Organization, changes: dict[str, Any], on: datetime.date | None = None
) -> None:
    """Refuse a 变更登记 the rules forbid (R-AUD-01/D11: legal representative needs an audit)."""
    on = on or timezone.localdate()
    if organization.pk is None:
        return
    new_rep = changes.get("legal_representative")
    if new_rep is not None and new_rep != organization.legal_representative:
        for guard in _legal_representative_guards:
            refusal = guard(organization, new_rep, on)
            if refusal:
                raise ValidationError({"legal_representative": refusal})
    new_type = changes.get("org_type")
    if new_type is not None and new_type != organization.org_type:
        # The type is coded into the USCC (position 2), which never changes (R-USCC-02).
        raise ValidationError({"org_type": "组织类型写在统一社会信用代码第2位，登记后不能更改。"})


@transaction.atomic
def organization_register(*, actor: Any = None, **fields: Any) -> Organization:
    """成立登记: put a new organization on the register."""
    org = Organization(**fields)
    org.full_clean()
    _set_history_user(org, actor)
    org._change_reason = "成立登记"
    org.save()
    return org


@transaction.atomic
def organization_change(
    *, organization: Organization, actor: Any = None, reason: str = "变更登记", **changes: Any
) -> Organization:
    """变更登记: change registration fields, keeping the history (R-ORG-11)."""
    unknown = set(changes) - set(REGISTRATION_FIELDS)
    if unknown:
        raise ValidationError({f: "该字段不能通过变更登记修改。" for f in sorted(unknown)})
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    organization_check_change(organization=org, changes=changes)
    for field, value in changes.items():
        setattr(org, field, value)
    org.full_clean()
    _set_history_user(org, actor)
    org._change_reason = reason
    org.save()
    return org
