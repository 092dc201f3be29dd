"""Zombie cases: confirm a flag into a case and move it through its stages, moving the register with it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from common.actors import saved_user
from common.history import history_stamp
from common.policy import policy_label, policy_value
from common.scoping import user_scope_unit_id
from oversight.zombies.choices import (
    ZOMBIE_NOTICE_DAYS,
    ZOMBIE_OPEN_STAGES,
    ZOMBIE_TRANSITIONS,
    FlagSource,
    ZombieCriterion,
    ZombieStage,
)
from oversight.zombies.models import ZombieCase, ZombieFlag
from registry.choices import LifecycleStatus
from registry.models import Organization, SupervisingUnit
from registry.services import organization_transition

# ------------------------------------------------------------------ designation (R-ZMB-01(5))


def _designating_unit(
    org: Organization, actor: Any, unit: SupervisingUnit | None
) -> SupervisingUnit | None:
    """Who designates: a department user always for its own unit, and only organizations that
    unit supervises; bureau staff for the bureau (None) or, recording a supervising unit's
    designation, for the organization's own unit."""
    actor_unit_id = user_scope_unit_id(actor) if saved_user(actor) else None
    if actor_unit_id is not None and not getattr(actor, "is_staff", False):
        if unit is not None and unit.pk != actor_unit_id:
            raise ValidationError({"unit": "部门用户只能以本单位名义认定。"})
        unit = SupervisingUnit.objects.get(pk=actor_unit_id)
    if unit is not None and org.supervising_unit_id != unit.pk:
        raise ValidationError({"organization": f"{org.name}不是{unit.name}主管的社会组织。"})
    return unit


@transaction.atomic
def zombie_designate(
    *,
    organization: Organization,
    reason: str,
    actor: Any,
    on: datetime.date,
    unit: SupervisingUnit | None = None,
) -> ZombieFlag:
    """认定 under R-ZMB-01(5): the bureau or the supervising unit designates an organization
    on the register on `on` as a zombie, with its reason; a flag of source `designated` that
    detection never replaces or removes, confirmed into a case like any flag. A department
    user designates for its own unit (`unit` is then that unit); one designation per
    organization and day."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写认定理由（R-ZMB-01第5项）。"})
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    unit = _designating_unit(org, actor, unit)
    if not Organization.objects.registered_on(on).filter(pk=org.pk).exists():
        raise ValidationError({"organization": f"{org.name}在{on}不在登记状态。"})
    designated = ZombieFlag.objects.filter(organization=org, as_of=on, source=FlagSource.DESIGNATED)
    if designated.exists():
        raise ValidationError({"organization": f"{org.name}已于{on}被认定。"})
    user = saved_user(actor)
    code = ZombieCriterion.DESIGNATED.value
    flag = ZombieFlag(
        organization=org,
        as_of=on,
        source=FlagSource.DESIGNATED,
        criteria=[code],
        reason=reason,
        designated_by=user,
        designating_unit=unit,
        evidence={
            code: {
                "reason": reason,
                "designated_on": on.isoformat(),
                "designated_by": (user.get_full_name() or user.get_username()) if user else "",
                "unit": unit.name if unit else "登记管理机关",
            }
        },
    )
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as exc:  # a concurrent designation of the same day won
        raise ValidationError({"organization": f"{org.name}已于{on}被认定。"}) from exc
    return flag


# ------------------------------------------------------------------ cleanup cases (R-ZMB-02)


def _registry_error(exc: ValidationError, key: str = "stage") -> ValidationError:
    # The register refuses in its own words (e.g. D11's liquidation audit); the case form
    # shows them on its own field.
    return ValidationError({key: exc.messages})


@transaction.atomic
def zombie_case_open(
    *,
    flag: ZombieFlag | None = None,
    organization: Organization | None = None,
    actor: Any = None,
    identified_on: datetime.date,
    responsible_person: str = "",
    criteria: list[str] | None = None,
    at: datetime.datetime | None = None,
) -> ZombieCase:
    """认定: staff confirm a candidate into a cleanup case (R-ZMB-02), from its flag or, for
    an organization, with the criteria stated (default: those of its latest flag). One open
    case per organization (a database constraint backs this check). `at` dates the history
    row (default now)."""
    if flag is None and organization is None:
        raise ValidationError({"organization": "须指定风险标记或社会组织。"})
    if flag is not None:
        if organization is not None and organization.pk != flag.organization_id:
            raise ValidationError({"organization": "风险标记不属于该组织。"})
        organization = flag.organization
        if identified_on < flag.as_of:
            raise ValidationError({"identified_on": f"认定日期不能早于检测日期{flag.as_of}。"})
        criteria = list(flag.criteria) if criteria is None else criteria
    elif criteria is None:
        latest = _latest_flag(organization, on=identified_on)
        if latest is None:
            raise ValidationError(
                {"criteria": "该组织没有僵尸风险标记，须说明符合的认定标准（R-ZMB-01）。"}
            )
        flag, criteria = latest, list(latest.criteria)
    unknown = [c for c in criteria if c not in ZombieCriterion.values]
    if not criteria or unknown:
        raise ValidationError({"criteria": "认定标准须为 R-ZMB-01 第(1)至(5)项中的一项或多项。"})
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if not Organization.objects.registered_on(identified_on).filter(pk=org.pk).exists():
        raise ValidationError({"organization": f"{org.name}在{identified_on}不在登记状态。"})
    if ZombieCase.objects.filter(organization=org, stage__in=ZOMBIE_OPEN_STAGES).exists():
        raise ValidationError({"organization": "该组织已有未办结的清理整治案件。"})
    case = ZombieCase(
        organization=org,
        flag=flag,
        criteria=criteria,
        identified_on=identified_on,
        responsible_person=responsible_person,
        confirmed_by=saved_user(actor),
    )
    history_stamp(case, actor=actor, at=at)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:  # a concurrent confirmation won the race
        raise ValidationError({"organization": "该组织已有未办结的清理整治案件。"}) from exc
    return case


def _latest_flag(organization: Organization, *, on: datetime.date) -> ZombieFlag | None:
    """The organization's latest flag by `on`. A designation (R-ZMB-01(5)) states why staff
    chose the organization: on the day a detection also flagged it, the designation wins."""
    return (
        ZombieFlag.objects.filter(organization=organization, as_of__lte=on)
        .order_by(
            "-as_of",
            Case(When(source=FlagSource.DESIGNATED, then=Value(0)), default=Value(1)),
            "-pk",
        )
        .first()
    )


def notice_period_end(published_on: datetime.date) -> datetime.date:
    """The last day of a notice's period (R-ZMB-02: the period in force on the day of
    publication, 60 calendar days by default, that day not counted)."""
    return published_on + datetime.timedelta(days=policy_value(ZOMBIE_NOTICE_DAYS, on=published_on))


def _check_notice_period(case: ZombieCase, on: datetime.date) -> None:
    """R-ZMB-02 [S65]: an organization that cannot be reached (criterion R-ZMB-01(4), or a case
    already served by notice) is revoked only after its notice's period has ended: from the
    day after `notice_ends_on`."""
    unreachable = ZombieCriterion.UNREACHABLE.value in case.criteria
    if case.notice_published_on is None:
        if unreachable:
            raise ValidationError(
                {
                    "stage": f"无法取得联系的组织须先公告{policy_label(ZOMBIE_NOTICE_DAYS, on=on)}，"
                    "期满后方可撤销登记（R-ZMB-02）。"
                }
            )
        return
    if on <= case.notice_ends_on:
        raise ValidationError(
            {
                "on": f"公告期（{case.notice_published_on}公告，{case.notice_ends_on}届满）"
                "未满，不能撤销登记（R-ZMB-02）。"
            }
        )


# What a case's stage does to the register (DESIGN.md §3): the lifecycle status it needs.
_LIFECYCLE_FOR_STAGE = {
    ZombieStage.DEREGISTERING: LifecycleStatus.DEREGISTERING,
    ZombieStage.DEREGISTERED: LifecycleStatus.DEREGISTERED,
    ZombieStage.REVOKED: LifecycleStatus.REVOKED,
}
_CLOSING_STAGES = (ZombieStage.DEREGISTERED, ZombieStage.REVOKED, ZombieStage.RESTORED)


def _check_transition(*, case: ZombieCase, to: str, on: datetime.date) -> ZombieStage:
    """The move must be one of `ZOMBIE_TRANSITIONS` (R-ZMB-02), dated no earlier than the
    case's last step, and a revocation waits for its notice's period."""
    current = ZombieStage(case.stage)
    if to not in ZombieStage.values or to not in ZOMBIE_TRANSITIONS.get(current, set()):
        target = ZombieStage(to).label if to in ZombieStage.values else to
        raise ValidationError(
            {"stage": f"清理整治案件不能从“{current.label}”变为“{target}”（R-ZMB-02）。"}
        )
    to = ZombieStage(to)
    dates = (case.identified_on, case.notified_on, case.notice_published_on)
    last = max(d for d in dates if d is not None)
    if on < last:
        raise ValidationError({"on": f"办理日期不能早于{last}。"})
    if to == ZombieStage.REVOKED:
        _check_notice_period(case, on)
    return to


def _move_register(
    *, org: Organization, to: ZombieStage, on: datetime.date, actor: Any, at, decision: dict
) -> None:
    """The register follows the case's stage (DESIGN.md §3) through the registry service;
    `decision` (document_no, authority, facts, evidence) goes with the final move."""
    wanted = _LIFECYCLE_FOR_STAGE.get(to)
    moved = {"organization": org, "on": on, "actor": actor, "at": at}
    moved["reason"] = f"僵尸型社会组织清理整治：{to.label}"
    if wanted is not None and org.status != wanted:
        if wanted == LifecycleStatus.DEREGISTERED and org.status == LifecycleStatus.ACTIVE:
            # The register accepts deregistration only from 注销办理中.
            organization_transition(to=LifecycleStatus.DEREGISTERING, **moved)
        organization_transition(to=wanted, **moved, **decision)
    elif to == ZombieStage.RESTORED and org.status == LifecycleStatus.DEREGISTERING:
        organization_transition(to=LifecycleStatus.ACTIVE, **moved)


def _record_stage(
    *, case: ZombieCase, to: ZombieStage, on: datetime.date, notes: str, actor: Any, at
) -> None:
    """The case's own dates, its running notes line and its new stage, history-kept."""
    if to == ZombieStage.NOTIFIED:
        case.notified_on = on
    if to == ZombieStage.NOTICE:
        case.notice_published_on = on
        case.notice_ends_on = notice_period_end(on)
    if to in _CLOSING_STAGES:
        case.closed_on = on
    line = f"{on} {to.label}" + (f"：{notes.strip()}" if notes.strip() else "")
    case.notes = f"{case.notes}\n{line}".strip()
    case.stage = to
    history_stamp(case, actor=actor, at=at)
    case.save()


@transaction.atomic
def zombie_case_transition(
    *,
    case: ZombieCase,
    to: str,
    on: datetime.date | None = None,
    actor: Any = None,
    notes: str = "",
    at: datetime.datetime | None = None,
    document_no: str = "",
    authority: str = "",
    facts: str = "",
    evidence: File | None = None,
) -> ZombieCase:
    """Move a cleanup case along `ZOMBIE_TRANSITIONS` (R-ZMB-02); deregistering, deregistered
    and revoked move the organization on the register too (registry service, with its D11
    guard), restored takes a deregistering organization back to active. One transaction.
    核准注销 and 撤销登记 carry their decision (`document_no`, `authority`, `facts` or
    `evidence`, R-XC-03) to the register, where R-CRD-05(7) reads it. `at` dates the history
    rows of the case and the organization (default now)."""
    on = on or timezone.localdate()
    case = ZombieCase.objects.select_for_update().select_related("organization").get(pk=case.pk)
    to = _check_transition(case=case, to=to, on=on)
    decision = {"document_no": document_no, "authority": authority, "evidence": evidence}
    decision["facts"] = facts or notes.strip()
    try:
        _move_register(org=case.organization, to=to, on=on, actor=actor, at=at, decision=decision)
    except ValidationError as exc:
        raise _registry_error(exc) from exc
    _record_stage(case=case, to=to, on=on, notes=notes, actor=actor, at=at)
    return case
