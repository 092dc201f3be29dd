"""Writes on the register that carry rules: lifecycle transitions and registration changes.

Other apps add their preconditions (e.g. the audits of D11, which oversight owns) with
`register_transition_guard` / `register_legal_representative_guard` from their AppConfig,
so that registry never imports them (STYLE.md: dependencies flow one way).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from common.actors import saved_user
from common.history import history_stamp

from .choices import (
    DECISION_KIND_FOR_STATUS,
    LEGAL_STATUS_DECISIONS,
    LIFECYCLE_TRANSITIONS,
    LifecycleStatus,
)
from .models import LifecycleDecision, Organization, Rating

# A guard returns a reason (Chinese, shown to staff) when the change must be refused.
TransitionGuard = Callable[[Organization, str, datetime.date], str | None]
LegalRepresentativeGuard = Callable[[Organization, str, datetime.date], str | None]
# The same guard over many organizations at once, for bulk writes (one query, not one per
# row): given (organization, new representative) pairs, the refusals by position.
LegalRepresentativeBulkGuard = Callable[
    [Sequence[tuple[Organization, str]], datetime.date], dict[int, str]
]

_transition_guards: list[TransitionGuard] = []
_legal_representative_guards: list[LegalRepresentativeGuard] = []
_legal_representative_bulk_guards: dict[LegalRepresentativeGuard, LegalRepresentativeBulkGuard] = {}


def register_transition_guard(guard: TransitionGuard) -> TransitionGuard:
    if guard not in _transition_guards:
        _transition_guards.append(guard)
    return guard


def register_legal_representative_guard(
    guard: LegalRepresentativeGuard, *, bulk: LegalRepresentativeBulkGuard | None = None
) -> LegalRepresentativeGuard:
    """`bulk` answers the same question for many organizations in one query; without it a
    bulk write (the Excel import) asks `guard` once per changed representative."""
    if guard not in _legal_representative_guards:
        _legal_representative_guards.append(guard)
    if bulk is not None:
        _legal_representative_bulk_guards[guard] = bulk
    return guard


@transaction.atomic
def organization_transition(
    *,
    organization: Organization,
    to: str,
    on: datetime.date | None = None,
    actor: Any = None,
    reason: str = "",
    at: datetime.datetime | None = None,
    document_no: str = "",
    authority: str = "",
    facts: str = "",
    evidence: File | None = None,
) -> Organization:
    """Move an organization along its lifecycle (DESIGN.md §3, D13), refusing what the rules
    forbid, and record the decision (LifecycleDecision) in the same transaction. 撤销登记 and
    核准注销 change legal status, so they need `document_no`, `authority` and `evidence` or
    `facts` (R-XC-03); the other transitions may carry them. `at` dates the history row
    (default now; the demo passes its own time)."""
    on = on or timezone.localdate()
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    from_status = org.status
    _check_transition(org, to, on)
    kind = DECISION_KIND_FOR_STATUS[to]
    document_no, authority, facts = document_no.strip(), authority.strip(), facts.strip()
    if kind in LEGAL_STATUS_DECISIONS:
        _check_decision_documented(
            label=LIFECYCLE_TRANSITIONS[from_status][to],
            document_no=document_no,
            authority=authority,
            facts=facts,
            evidence=evidence,
        )
    for guard in _transition_guards:
        refusal = guard(org, to, on)
        if refusal:
            raise ValidationError({"status": refusal})

    _set_lifecycle_dates(org, to, on)
    history_stamp(org, actor=actor, at=at, reason=reason or LIFECYCLE_TRANSITIONS[from_status][to])
    org.save()
    LifecycleDecision.objects.create(
        organization=org,
        organization_uscc=org.uscc,
        organization_name=org.name,
        kind=kind,
        from_status=from_status,
        to_status=to,
        decided_on=on,
        document_no=document_no,
        authority=authority,
        facts=facts,
        evidence=evidence or "",
        actor=saved_user(actor),
    )
    organization.refresh_from_db()
    return org


def _set_lifecycle_dates(org: Organization, to: str, on: datetime.date) -> None:
    if to == LifecycleStatus.DEREGISTERING:
        org.deregistration_started_on = on
    elif to == LifecycleStatus.DEREGISTERED:
        org.deregistered_on = on  # a revoked organization keeps its revoked_on (D13)
    elif to == LifecycleStatus.REVOKED:
        org.revoked_on = on
    elif to == LifecycleStatus.ACTIVE:
        org.deregistration_started_on = None
    org.status = to


def _check_transition(org: Organization, to: str, on: datetime.date) -> None:
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
    # A decision follows the one it builds on: 核准注销 after 受理注销 or 撤销登记.
    earlier = [d for d in (org.deregistration_started_on, org.revoked_on) if d is not None]
    if earlier and on < max(earlier):
        raise ValidationError({"status": f"变更日期不能早于上一次登记状态变更（{max(earlier)}）。"})


def _check_decision_documented(
    *, label: str, document_no: str, authority: str, facts: str, evidence: File | None
) -> None:
    """R-XC-03: a decision that changes legal status names its document, its authority and
    what it rests on; every missing field is reported at once."""
    errors = {}
    if not document_no.strip():
        errors["document_no"] = f"{label}须填写决定文号（R-XC-03）。"
    if not authority.strip():
        errors["authority"] = f"{label}须填写决定机关（R-XC-03）。"
    if not facts.strip() and not evidence:
        errors["facts"] = f"{label}须上传证据材料或填写事实与理由（R-XC-03）。"
    if errors:
        raise ValidationError(errors)


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
    if organization.pk is None:
        return
    refusal = organization_change_refusals(changes=[(organization, changes)], on=on).get(0)
    if refusal is not None:
        raise refusal


def organization_change_refusals(
    *, changes: Sequence[tuple[Organization, dict[str, Any]]], on: datetime.date | None = None
) -> dict[int, ValidationError]:
    """The rules of 变更登记 over many organizations at once, set-based: the refusal of each
    refused change, by its position in `changes` (the one definition, for one or many)."""
    on = on or timezone.localdate()
    refusals: dict[int, dict[str, list[str]]] = {}
    for i, (org, values) in enumerate(changes):
        unknown = sorted(set(values) - set(REGISTRATION_FIELDS))
        for name in unknown:
            # R-USCC-02: the code is kept for life; lifecycle fields change by transition.
            refusals.setdefault(i, {}).setdefault(name, []).append("该字段不能通过变更登记修改。")
        new_type = values.get("org_type")
        if new_type is not None and new_type != org.org_type:
            # The type is coded into the USCC (position 2), which never changes (R-USCC-02).
            refusals.setdefault(i, {}).setdefault("org_type", []).append(
                "组织类型写在统一社会信用代码第2位，登记后不能更改。"
            )
    reps = [
        (i, org, values["legal_representative"])
        for i, (org, values) in enumerate(changes)
        if values.get("legal_representative") is not None
        and values["legal_representative"] != org.legal_representative
    ]
    for guard in _legal_representative_guards:
        refused = _legal_representative_refusals(guard, reps, on)
        for i, reason in refused.items():
            refusals.setdefault(i, {}).setdefault("legal_representative", []).append(reason)
        reps = [rep for rep in reps if rep[0] not in refused]  # the first refusal suffices
    return {i: ValidationError(errors) for i, errors in refusals.items()}


def _legal_representative_refusals(
    guard: LegalRepresentativeGuard, reps: list[tuple[int, Organization, str]], on: datetime.date
) -> dict[int, str]:
    if not reps:
        return {}
    bulk = _legal_representative_bulk_guards.get(guard)
    if bulk is not None:
        found = bulk([(org, new_rep) for _, org, new_rep in reps], on)
        return {reps[j][0]: reason for j, reason in found.items() if reason}
    return {i: r for i, org, new_rep in reps if (r := guard(org, new_rep, on))}


@transaction.atomic
def organization_register(*, actor: Any = None, **fields: Any) -> Organization:
    """成立登记: put a new organization on the register."""
    org = Organization(**fields)
    org.full_clean()
    history_stamp(org, actor=actor, reason="成立登记")
    org.save()
    return org


@transaction.atomic
def organization_change(
    *, organization: Organization, actor: Any = None, reason: str = "变更登记", **changes: Any
) -> Organization:
    """变更登记: change registration fields, keeping the history (R-ORG-11)."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    organization_check_change(organization=org, changes=changes)
    for field, value in changes.items():
        setattr(org, field, value)
    org.full_clean()
    history_stamp(org, actor=actor, reason=reason)
    org.save()
    return org


@transaction.atomic
def rating_award(
    *,
    organization: Organization,
    grade: str,
    awarded_on: datetime.date,
    actor: Any = None,
    reason: str = "等级评估",
) -> Rating:
    """等级评估: record a grade; rule version and validity follow from the award date (D8)."""
    rating = Rating(organization=organization, grade=grade, awarded_on=awarded_on)
    # Rule version and validity are computed by Rating.save() from the award date.
    rating.full_clean(exclude=["rule_version", "valid_from", "expires_on"])
    history_stamp(rating, actor=actor, reason=reason)
    rating.save()
    return rating
