"""Writes of the credit lists (DOMAIN.md §3, DESIGN.md §4.4): the daily rules job, the four-eyes
proposal workflow, and direct listing and removal decisions on grounds the rules cannot see.

Every decision is a new immutable row (CreditListing or CreditRemoval; database triggers
refuse UPDATE and DELETE, R-CRD-11, R-XC-03). Proposals are the only mutable records here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.policy import policy_label
from oversight.credit import rules
from oversight.credit.applications import removal_applications_close
from oversight.credit.choices import (
    ABNORMAL_GROUNDS,
    SERIOUS_GROUNDS,
    CreditGround,
    CreditList,
    DecisionAction,
    ProposalStatus,
    RemovalGround,
)
from oversight.credit.evaluation import rules_evaluate_for
from oversight.credit.models import CreditListing, CreditProposal, CreditRemoval
from oversight.credit.numbers import _nth, credit_decision_numbers_allocate
from registry.models import Organization

FOUR_EYES = "双人审核：提议人和批准人不能是同一人。"


# ------------------------------------------------------------------ low-level writes


def _check_four_eyes(proposed_by, approved_by) -> None:
    if proposed_by is None or approved_by is None:
        raise ValidationError("双人审核：须有提议人和批准人。")
    if proposed_by.pk == approved_by.pk:
        raise ValidationError(FOUR_EYES)


def _write_listing(
    *,
    organization: Organization,
    list_type: str,
    ground: str,
    facts: str,
    evidence: dict,
    decided_on: datetime.date,
    decision_no: str,
    proposed_by,
    approved_by,
    action: str = DecisionAction.LIST,
    effective_on: datetime.date | None = None,
    served_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> CreditListing:
    return CreditListing.objects.create(
        created_at=at or timezone.now(),
        organization=organization,
        organization_name=organization.name,
        list_type=list_type,
        action=action,
        ground=ground,
        facts=facts,
        # The period the review date was computed with (issue 16: decisions record it).
        evidence={
            **evidence,
            "review_periods": rules.review_periods(
                list_type=list_type, ground=ground, on=decided_on
            ),
        },
        decided_on=decided_on,
        effective_on=effective_on or decided_on,
        authority=settings.CREDIT_AUTHORITY,
        decision_no=decision_no,
        served_on=served_on,
        review_due_on=rules.review_due_on(
            list_type=list_type, ground=ground, decided_on=decided_on
        ),
        proposed_by=proposed_by,
        approved_by=approved_by,
    )


def _write_removal(
    *,
    organization: Organization,
    list_type: str,
    listing_ids: Sequence[int],
    ground: str,
    facts: str,
    evidence: dict,
    decided_on: datetime.date,
    decision_no: str,
    proposed_by,
    approved_by,
    at: datetime.datetime | None = None,
) -> CreditRemoval:
    """A removal closes every active listing of the list; `listing_ids` is what the decision
    was taken on, and it must still be exactly that set (else the situation has changed)."""
    active = sorted(
        rules.active_listing_rows(
            on=decided_on, list_type=list_type, org_ids=[organization.pk]
        ).values_list("pk", flat=True)
    )
    if not active:
        raise ValidationError(f"{organization.name}不在{CreditList(list_type).label}中。")
    if sorted(listing_ids) != active:
        raise ValidationError(
            f"{organization.name}的{CreditList(list_type).label}列入情况已变化，请重新计算。"
        )
    removal = CreditRemoval.objects.create(
        created_at=at or timezone.now(),
        organization=organization,
        list_type=list_type,
        ground=ground,
        facts=facts,
        evidence=evidence,
        decided_on=decided_on,
        authority=settings.CREDIT_AUTHORITY,
        decision_no=decision_no,
        proposed_by=proposed_by,
        approved_by=approved_by,
    )
    removal.listings.add(*active)
    # R-CRD-07: the decision answers the organization's pending removal applications.
    removal_applications_close(removal=removal, at=at)
    return removal


# ------------------------------------------------------------------ direct decisions


@transaction.atomic
def credit_listing_create(
    *,
    organization: Organization,
    list_type: str,
    ground: str,
    facts: str,
    decided_on: datetime.date,
    proposed_by,
    approved_by,
    evidence: dict | None = None,
    effective_on: datetime.date | None = None,
    served_on: datetime.date | None = None,
    rule_key: str | None = None,
    at: datetime.datetime | None = None,
) -> CreditListing:
    """列入决定 on a ground the rules cannot see (e.g. R-CRD-02(2)(4)(7), R-CRD-05(6)(8)), taken
    by two people. R-CRD-05(1) is only reached by escalation (转列). `rule_key` names the
    cause when the rules could see it, so they do not propose it again. `at` is the record's
    time (default now)."""
    allowed = ABNORMAL_GROUNDS if list_type == CreditList.ABNORMAL else SERIOUS_GROUNDS
    if ground not in {g.value for g in allowed}:
        raise ValidationError(
            {
                "ground": "列入依据与名录不符：活动异常名录依据 R-CRD-02，严重违法失信名单依据 R-CRD-05。"
            }
        )
    if ground == CreditGround.S1_ABNORMAL_TWO_YEARS:
        raise ValidationError(
            {
                "ground": "列入活动异常名录满"
                f"{policy_label(rules.ESCALATION, on=decided_on)}的，通过转列办理（R-CRD-05第1项）。"
            }
        )
    if not facts.strip():
        raise ValidationError({"facts": "请填写事实说明。"})
    _check_four_eyes(proposed_by, approved_by)
    [number] = credit_decision_numbers_allocate(year=decided_on.year, count=1)
    return _write_listing(
        organization=organization,
        list_type=list_type,
        ground=ground,
        facts=facts,
        evidence={**(evidence or {}), **({"rule_key": rule_key} if rule_key else {})},
        decided_on=decided_on,
        decision_no=number,
        proposed_by=proposed_by,
        approved_by=approved_by,
        effective_on=effective_on,
        served_on=served_on,
        at=at,
    )


def _removal_allowed(
    *, organization: Organization, list_type: str, ground: str, on: datetime.date
) -> tuple[list[int], str | None]:
    """The active listings a removal on `ground` would close, and why it is refused (None when
    the rules allow it on `on`)."""
    rows = list(
        rules.active_listing_rows(on=on, list_type=list_type, org_ids=[organization.pk]).values(
            *rules._LISTING_FIELDS
        )
    )
    ids = [x["pk"] for x in rows]
    if not rows:
        return ids, f"{organization.name}不在{CreditList(list_type).label}中。"
    if ground == RemovalGround.CORRECTED:
        return ids, None  # R-CRD-10: a confirmed error is corrected whatever the date
    if ground == RemovalGround.ESCALATED:
        return ids, "转入严重违法失信名单须通过转列事项办理（R-CRD-05第1项）。"
    if list_type == CreditList.ABNORMAL:
        if ground not in (RemovalGround.RECTIFIED, RemovalGround.NOTHING_TO_RECTIFY):
            return ids, (
                "活动异常名录的移出依据为已完成整改或列入满"
                f"{policy_label(rules.AUTO_REMOVAL, on=on)}无需整改（R-CRD-07）。"
            )
        cures = rules.listing_cures(rows, on=on)
        for x in rows:
            needs = x["ground"] in rules.NEEDS_RECTIFICATION
            if ground == RemovalGround.NOTHING_TO_RECTIFY and needs:
                return ids, f"{x['decision_no']}的列入依据须完成整改后移出（R-CRD-07）。"
            if cures[x["pk"]] is not None:
                continue
            if needs and not _cure_visible_in_records(x):
                continue  # e.g. R-CRD-02(2): verified by staff, stated in the facts
            due = rules.auto_removal_due_on(x["decided_on"], on=on)
            if not needs:
                months = policy_label(rules.AUTO_REMOVAL, on=on)
                return (
                    ids,
                    f"{x['decision_no']}列入未满{months}（{due}期满），不能移出（R-CRD-07）。",
                )
            return ids, f"{x['decision_no']}所列情形尚未整改完毕，不能移出（R-CRD-07）。"
        return ids, None
    if ground not in (RemovalGround.SERIOUS_TWO_YEARS, RemovalGround.DEREGISTERED):
        return (
            ids,
            f"严重违法失信名单的移出依据为满{policy_label(rules.SERIOUS_REMOVAL, on=on)}"
            "未再发生列入情形或已办结注销登记（R-CRD-08）。",
        )
    allowed = [
        c
        for c in rules_evaluate_for(organization_ids=[organization.pk], as_of=on)
        if c.action == DecisionAction.REMOVE and c.list_type == CreditList.SERIOUS
    ]
    if not allowed or allowed[0].ground != ground:
        return ids, (
            "不符合移出严重违法失信名单的条件（R-CRD-08）：须列入满"
            f"{policy_label(rules.SERIOUS_REMOVAL, on=on)}且期间未再发生列入情形；因吊销登记证书或"
            "撤销成立登记列入的，须办结注销登记；因列入活动异常名录转列的，须履行相关义务。"
        )
    return ids, None


def _cure_visible_in_records(listing: dict) -> bool:
    ev = listing["evidence"] or {}
    return {
        CreditGround.A1_ANNUAL_REPORT: "report_year" in ev,
        CreditGround.A3_RECTIFICATION: "inspection_id" in ev,
        CreditGround.A6_UNREACHABLE: "last_sent_on" in ev,
    }.get(listing["ground"], False)


@transaction.atomic
def credit_removal_create(
    *,
    organization: Organization,
    list_type: str,
    ground: str,
    facts: str,
    decided_on: datetime.date,
    proposed_by,
    approved_by,
    evidence: dict | None = None,
    at: datetime.datetime | None = None,
) -> CreditRemoval:
    """移出决定 taken by two people, refused unless the rules allow it on `decided_on`
    (R-CRD-07/08/10): it closes every active listing of the list. `at` is the record's time."""
    if not facts.strip():
        raise ValidationError({"facts": "请填写事实说明。"})
    _check_four_eyes(proposed_by, approved_by)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    ids, refusal = _removal_allowed(
        organization=organization, list_type=list_type, ground=ground, on=decided_on
    )
    if refusal:
        raise ValidationError(refusal)
    [number] = credit_decision_numbers_allocate(year=decided_on.year, count=1)
    return _write_removal(
        organization=organization,
        list_type=list_type,
        listing_ids=ids,
        ground=ground,
        facts=facts,
        evidence=evidence or {},
        decided_on=decided_on,
        decision_no=number,
        proposed_by=proposed_by,
        approved_by=approved_by,
        at=at,
    )


def _startswith_any(prefixes: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(rule_key__startswith=prefix)
    return q


# ------------------------------------------------------------------ four eyes


def _locked(proposal: CreditProposal) -> CreditProposal:
    return CreditProposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def credit_proposal_propose(
    *, proposal: CreditProposal, actor, at: datetime.datetime | None = None
) -> CreditProposal:
    """提议: a clerk takes up what the rules suggested; a second clerk must approve it.
    `at` is the time of the proposal (default now)."""
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.SUGGESTED:
        raise ValidationError(f"只有“{ProposalStatus.SUGGESTED.label}”的事项可以提议。")
    proposal.status = ProposalStatus.PROPOSED
    proposal.proposed_by = actor
    proposal.proposed_at = at or timezone.now()
    proposal.save(update_fields=["status", "proposed_by", "proposed_at"])
    return proposal


@transaction.atomic
def credit_proposal_reject(
    *, proposal: CreditProposal, actor, reason: str, at: datetime.datetime | None = None
) -> CreditProposal:
    """驳回: the rule's suggestion is not taken up; the cause is not proposed again."""
    proposal = _locked(proposal)
    if proposal.status not in (ProposalStatus.SUGGESTED, ProposalStatus.PROPOSED):
        raise ValidationError("只有待提议或待审批的事项可以驳回。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写驳回理由。"})
    if proposal.proposed_by_id is not None and proposal.proposed_by_id == actor.pk:
        raise ValidationError(FOUR_EYES)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = at or timezone.now()
    proposal.rejection_reason = reason.strip()[:300]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
    return proposal


@transaction.atomic
def credit_proposal_approve(
    *,
    proposal: CreditProposal,
    actor,
    decided_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> CreditProposal:
    """批准: a second clerk approves a proposed decision; the rule is checked again on the
    decision date and the decision record is written with a new document number."""
    [approved] = credit_proposals_approve_bulk(
        proposals=[proposal], actor=actor, decided_on=decided_on, at=at
    )
    return approved


# Within one organization: removals first, then escalations, then new listings (a listing
# approved with an escalation is a new event on top of it, not one the escalation closes).
_ORDER = {DecisionAction.REMOVE: 0, DecisionAction.ESCALATE: 1, DecisionAction.LIST: 2}


def _label(p: CreditProposal) -> str:
    return f"{p.organization.name}（{p.get_action_display()}{p.get_list_type_display()}）"


def _check_approvable(*, locked: list[CreditProposal], actor, decided_on: datetime.date) -> dict:
    """All or nothing: every proposal proposed by someone else (four eyes) and its rule still
    met on `decided_on`; returns the fresh candidates by rule key. Locks the organizations."""
    errors = [
        f"{_label(p)}：须先提议，当前状态为“{p.get_status_display()}”。"
        if p.status != ProposalStatus.PROPOSED
        else f"{_label(p)}：{FOUR_EYES}"
        for p in locked
        if p.status != ProposalStatus.PROPOSED or p.proposed_by_id == actor.pk
    ]
    if errors:
        raise ValidationError(errors)
    org_ids = sorted({p.organization_id for p in locked})
    list(
        Organization.objects.select_for_update()
        .filter(pk__in=org_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    fresh = {c.rule_key: c for c in rules_evaluate_for(as_of=decided_on, organization_ids=org_ids)}
    errors = [
        f"{_label(p)}：截至{decided_on}已不符合规则（{p.ground}），不能批准。"
        for p in locked
        if p.rule_key not in fresh
    ]
    if errors:
        raise ValidationError(errors)
    return fresh


def _approve_for_organization(
    *, proposals: list[CreditProposal], fresh: dict, number: str, actor, decided_on, now
) -> None:
    """One organization's approved proposals under one document number (之二, 之三… for a
    second decision of the same kind), in `_ORDER`."""
    listings_n = removals_n = 0
    for p in sorted(proposals, key=lambda p: (_ORDER[p.action], p.pk)):
        c = fresh[p.rule_key]
        evidence = {
            **c.proposal_fields(as_of=decided_on)["evidence"],
            "rule_key": p.rule_key,
            "proposal_id": p.pk,
        }
        common: dict[str, Any] = {
            "organization": p.organization,
            "facts": c.explanation,
            "evidence": evidence,
            "decided_on": decided_on,
            "proposed_by": p.proposed_by,
            "approved_by": actor,
            "at": now,
        }
        escalate = p.action == DecisionAction.ESCALATE
        if p.action in (DecisionAction.REMOVE, DecisionAction.ESCALATE):
            removals_n += 1
            p.removal = _write_removal(
                list_type=CreditList.ABNORMAL if escalate else p.list_type,
                listing_ids=c.evidence["listing_ids"],
                ground=RemovalGround.ESCALATED if escalate else p.ground,
                decision_no=_nth(number, removals_n),
                **common,
            )
        if p.action in (DecisionAction.LIST, DecisionAction.ESCALATE):
            listings_n += 1
            p.listing = _write_listing(
                list_type=p.list_type,
                ground=p.ground,
                action=p.action,
                decision_no=_nth(number, listings_n),
                **common,
            )
        p.status, p.decided_by, p.decided_at = ProposalStatus.APPROVED, actor, now
        p.explanation = c.explanation
        fields = ["status", "decided_by", "decided_at", "listing", "removal", "explanation"]
        p.save(update_fields=fields)


@transaction.atomic
def credit_proposals_approve_bulk(
    *,
    proposals: Iterable[CreditProposal],
    actor,
    decided_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> list[CreditProposal]:
    """Bulk approval (admin): all or nothing; one document number per organization (a second
    decision of the same kind for the same organization gets 之二, 之三…). `at` is the time
    of the approval and of the records written (default now)."""
    decided_on = decided_on or timezone.localdate()
    ids = sorted({p.pk for p in proposals})
    locked = list(
        CreditProposal.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("organization", "proposed_by")
        .order_by("pk")
    )
    fresh = _check_approvable(locked=locked, actor=actor, decided_on=decided_on)
    by_org: dict[int, list[CreditProposal]] = defaultdict(list)
    for p in locked:
        by_org[p.organization_id].append(p)
    numbers = credit_decision_numbers_allocate(year=decided_on.year, count=len(by_org))
    now = at or timezone.now()
    for number, org_id in zip(numbers, sorted(by_org), strict=True):
        _approve_for_organization(
            proposals=by_org[org_id],
            fresh=fresh,
            number=number,
            actor=actor,
            decided_on=decided_on,
            now=now,
        )
    return locked
