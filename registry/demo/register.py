"""The demo register's writes: every planned organization through the registry's services,
with its lifecycle history dated as planned."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from registry.choices import (
    DECISION_KIND_FOR_STATUS,
    LIFECYCLE_TRANSITIONS,
    REGISTERED_STATUSES,
    LifecycleDecisionKind,
    LifecycleStatus,
    OrganizationType,
)
from registry.demo.plan import demo_register_plan
from registry.demo.reference import DEMO_CHANGE_REASON
from registry.demo.units import _category_ids, _unit_ids, supervising_units_seed
from registry.models import LifecycleDecision, Organization, Rating
from registry.rating_rules import rating_validity
from registry.selectors import organizations_by_uscc


def _at(day: datetime.date) -> datetime.datetime:
    """The moment a demo event is dated in the history: 09:30 local time on its day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def _lifecycle_history(org: Organization) -> list[tuple[datetime.date, str, str, dict]]:
    """(day, history type, reason, field overrides) of each change, oldest first, so the
    history of a demo organization reads like one that went through the services."""
    active = {
        "status": LifecycleStatus.ACTIVE,
        "deregistration_started_on": None,
        "deregistered_on": None,
        "revoked_on": None,
    }
    events = [(org.established_on, "+", f"成立登记（{DEMO_CHANGE_REASON}）", active)]
    labels = LIFECYCLE_TRANSITIONS
    if org.deregistration_started_on:
        events.append(
            (
                org.deregistration_started_on,
                "~",
                labels[LifecycleStatus.ACTIVE][LifecycleStatus.DEREGISTERING],
                {
                    **active,
                    "status": LifecycleStatus.DEREGISTERING,
                    "deregistration_started_on": org.deregistration_started_on,
                },
            )
        )
    if org.deregistered_on:
        events.append(
            (
                org.deregistered_on,
                "~",
                labels[LifecycleStatus.DEREGISTERING][LifecycleStatus.DEREGISTERED],
                {
                    **active,
                    "status": LifecycleStatus.DEREGISTERED,
                    "deregistration_started_on": org.deregistration_started_on,
                    "deregistered_on": org.deregistered_on,
                },
            )
        )
    if org.revoked_on:
        events.append(
            (
                org.revoked_on,
                "~",
                labels[LifecycleStatus.ACTIVE][LifecycleStatus.REVOKED],
                {**active, "status": LifecycleStatus.REVOKED, "revoked_on": org.revoked_on},
            )
        )
    return events


# The demo's decisions as the bureau writes them (R-XC-03): a numbered document per kind and
# year, the grounds in the regulation of the organization's type.
_DOCUMENT_WORD = {
    LifecycleDecisionKind.REVOCATION: "撤字",
    LifecycleDecisionKind.DEREGISTRATION: "注字",
}
_REGULATION = {
    OrganizationType.SOCIAL_GROUP: "《社会团体登记管理条例》",
    OrganizationType.PRIVATE_NON_ENTERPRISE: "《民办非企业单位登记管理暂行条例》",
    OrganizationType.FOUNDATION: "《基金会管理条例》",
}


def _decision_facts(kind: str, org_type: str) -> str:
    if kind == LifecycleDecisionKind.REVOCATION:
        return (
            "该组织未按规定报送年度工作报告、接受监督检查，经责令限期改正逾期未改正，"
            f"依据{_REGULATION[org_type]}的有关规定撤销登记。"
        )
    if kind == LifecycleDecisionKind.DEREGISTRATION:
        return "该组织已在业务主管单位指导下完成清算，清算审计报告已出具，准予注销登记。"
    return "受理该组织的注销登记申请，清算期间不得开展清算以外的活动。"


def _demo_decisions(plan, ids: dict[str, int], todo: set[str]) -> list[LifecycleDecision]:
    """The lifecycle decisions of the demo organizations in `todo`, numbered over the whole
    plan (kind, year, then day and code), so a partial seed numbers them as a full one."""
    events = []
    for p in plan:
        if p.deregistration_started_on:
            events.append(
                (
                    p.deregistration_started_on,
                    p,
                    LifecycleStatus.ACTIVE,
                    LifecycleStatus.DEREGISTERING,
                )
            )
        if p.deregistered_on:
            events.append(
                (p.deregistered_on, p, LifecycleStatus.DEREGISTERING, LifecycleStatus.DEREGISTERED)
            )
        if p.revoked_on:
            events.append((p.revoked_on, p, LifecycleStatus.ACTIVE, LifecycleStatus.REVOKED))
    serials: dict[tuple[str, int], int] = {}
    decisions = []
    for day, p, from_status, to_status in sorted(events, key=lambda e: (e[0], e[1].uscc)):
        kind = DECISION_KIND_FOR_STATUS[to_status]
        document_no = ""
        if kind in _DOCUMENT_WORD:
            serial = serials[kind, day.year] = serials.get((kind, day.year), 0) + 1
            document_no = f"深福民{_DOCUMENT_WORD[kind]}〔{day.year}〕{serial}号"
        if p.uscc not in todo:
            continue
        decisions.append(
            LifecycleDecision(
                organization_id=ids[p.uscc],
                organization_uscc=p.uscc,
                organization_name=p.name,
                kind=kind,
                from_status=from_status,
                to_status=to_status,
                decided_on=day,
                document_no=document_no,
                authority=settings.REGISTRY_AUTHORITY_NAME if document_no else "",
                facts=_decision_facts(kind, p.org_type),
            )
        )
    return decisions


@dataclass(frozen=True)
class DemoSeedResult:
    planned: int
    registered: int  # of the planned organizations, on the register on DEMO_AS_OF
    created: int
    ratings_created: int
    units_created: int


@transaction.atomic
def demo_register_seed() -> DemoSeedResult:
    """Write the Futian demo register; organizations already present (by USCC) are left as
    they are, so a second run creates nothing and a partial set is completed."""
    units_created, _ = supervising_units_seed()
    plan = demo_register_plan()
    existing = organizations_by_uscc([p.uscc for p in plan], only=("uscc",))
    todo = [p for p in plan if p.uscc not in existing]
    registered = sum(p.status in REGISTERED_STATUSES for p in plan)
    if not todo:
        return DemoSeedResult(len(plan), registered, 0, 0, units_created)

    orgs, ids = _create_organizations(todo=todo)
    _write_lifecycle_history(orgs=orgs)
    LifecycleDecision.objects.bulk_create(
        _demo_decisions(plan, ids, {p.uscc for p in todo}), batch_size=500
    )
    ratings = _create_ratings(todo=todo, orgs=orgs)
    return DemoSeedResult(len(plan), registered, len(orgs), len(ratings), units_created)


def _create_organizations(*, todo: list) -> tuple[list[Organization], dict[str, int]]:
    """The planned organizations written in bulk, each given back its primary key; and
    their ids by USCC."""
    unit_ids, category_ids = _unit_ids(), _category_ids()
    orgs = [
        Organization(
            uscc=p.uscc,
            name=p.name,
            org_type=p.org_type,
            is_industry_association=p.is_industry_association,
            industry_category_id=category_ids[p.category],
            supervising_unit_id=unit_ids[p.unit_code] if p.unit_code else None,
            legal_representative=p.legal_representative,
            domicile=p.domicile,
            phone=p.phone,
            business_scope=p.business_scope,
            registered_capital=p.registered_capital,
            registration_certificate_no=p.registration_certificate_no,
            established_on=p.established_on,
            status=p.status,
            deregistration_started_on=p.deregistration_started_on,
            deregistered_on=p.deregistered_on,
            revoked_on=p.revoked_on,
        )
        for p in todo
    ]
    Organization.objects.bulk_create(orgs, batch_size=500)
    ids = {}
    for start in range(0, len(todo), 500):
        ids.update(
            Organization.objects.filter(
                uscc__in=[p.uscc for p in todo[start : start + 500]]
            ).values_list("uscc", "id")
        )
    for org in orgs:
        org.pk = org.id = ids[org.uscc]
    return orgs, ids


def _write_lifecycle_history(*, orgs: list[Organization]) -> None:
    """bulk_create bypasses save(), so the history is written here (STYLE.md, Audit): one
    row per lifecycle event, dated when it happened."""
    historical = Organization.history.model
    tracked = [f.attname for f in historical.tracked_fields]
    history_rows = []
    for org in orgs:
        current = {name: getattr(org, name) for name in tracked}
        for day, kind, reason, overrides in _lifecycle_history(org):
            history_rows.append(
                historical(
                    **{**current, **overrides},
                    history_date=_at(day),
                    history_type=kind,
                    history_change_reason=reason,
                    history_user=None,
                )
            )
    historical.objects.bulk_create(history_rows, batch_size=500)


def _create_ratings(*, todo: list, orgs: list[Organization]) -> list[Rating]:
    """The planned ratings of the new organizations, with history dated on the award day."""
    ratings = []
    for p, org in zip(todo, orgs, strict=True):
        for grade, awarded_on in p.ratings:
            rule_version, valid_from, expires_on = rating_validity(awarded_on=awarded_on)
            rating = Rating(
                organization_id=org.pk,
                grade=grade,
                awarded_on=awarded_on,
                rule_version=rule_version,
                valid_from=valid_from,
                expires_on=expires_on,
            )
            rating._history_date = _at(awarded_on)
            ratings.append(rating)
    Rating.objects.bulk_create(ratings, batch_size=500)
    Rating.history.bulk_history_create(
        ratings, batch_size=500, default_change_reason=f"等级评估（{DEMO_CHANGE_REASON}）"
    )
    return ratings
