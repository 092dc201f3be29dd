"""Writes of party building that carry rules (DOMAIN.md §8). Keyword-only, `actor` last;
each writes its history with the actor; nothing is deleted, records end on a date."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from common.history import history_stamp
from registry.models import Organization

from .choices import MemberCountSource
from .models import (
    DemonstrationPoint,
    Instructor,
    InstructorAssignment,
    PartyMemberCount,
    PartyOrganization,
    PartyOrganizationCoverage,
    SuperiorBody,
    VolunteerActivity,
    VolunteerDomain,
    active_on_q,
)
from .rules import CoverageRow, coverage_problems

CHANGEABLE_FIELDS = (
    "name",
    "level",
    "superior_body",
    "secretary",
    "full_members",
    "probationary_members",
    "has_branch_committee",
    "approval_doc_no",
)


def _org_names(ids: set[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))


def coverage_conflicts(
    *, rows: Sequence[CoverageRow], exclude_party_organization_id: int | None
) -> list[tuple[int, str]]:
    """Rows whose organization another party organization covers at an overlapping time, or
    that start before the organization was established: (row index, reason)."""
    ids = {r.organization_id for r in rows}
    others: dict[int, list[tuple[CoverageRow, str]]] = {}
    qs = PartyOrganizationCoverage.objects.filter(organization_id__in=ids).select_related(
        "party_organization"
    )
    if exclude_party_organization_id is not None:
        qs = qs.exclude(party_organization_id=exclude_party_organization_id)
    for cov in qs:
        others.setdefault(cov.organization_id, []).append(
            (
                CoverageRow(cov.organization_id, cov.joined_on, cov.left_on),
                cov.party_organization.name,
            )
        )
    established = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "established_on"))
    found: list[tuple[int, str]] = []
    for i, row in enumerate(rows):
        if (
            established.get(row.organization_id)
            and row.joined_on < established[row.organization_id]
        ):
            found.append(
                (i, f"纳入日期早于该组织的成立日期（{established[row.organization_id]}）。")
            )
        for other, name in others.get(row.organization_id, []):
            if row.overlaps(other):
                found.append(
                    (
                        i,
                        f"该组织在{other.joined_on}起已由“{name}”覆盖，同一时间只能属于一个党组织；"
                        "请先办理退出。",
                    )
                )
    return found


def coverage_check(*, party_organization: PartyOrganization, rows: Sequence[CoverageRow]) -> None:
    """Refuse coverage rows that break R-PTY-01/02 or collide with another party organization."""
    messages: list[str] = []
    names = _org_names({r.organization_id for r in rows})
    for p in coverage_problems(
        formation=party_organization.formation,
        approved_on=party_organization.approved_on,
        dissolved_on=party_organization.dissolved_on,
        rows=list(rows),
    ):
        who = f"“{names.get(rows[p.index].organization_id, '')}”：" if p.index is not None else ""
        messages.append(who + p.message)
    for index, reason in coverage_conflicts(
        rows=rows, exclude_party_organization_id=party_organization.pk
    ):
        messages.append(f"“{names.get(rows[index].organization_id, '')}”：{reason}")
    if messages:
        raise ValidationError({"organizations": list(dict.fromkeys(messages))})


def _rows_of(party_organization: PartyOrganization) -> list[tuple[int, CoverageRow]]:
    return [
        (c.pk, CoverageRow(c.organization_id, c.joined_on, c.left_on))
        for c in party_organization.coverages.order_by("joined_on", "id")
    ]


@transaction.atomic
def party_organization_create(
    *,
    name: str,
    level: str,
    formation: str,
    superior_body: SuperiorBody,
    approved_on: datetime.date,
    full_members: int,
    organizations: Sequence[Organization],
    probationary_members: int = 0,
    has_branch_committee: bool = False,
    secretary: str = "",
    approval_doc_no: str = "",
    actor: Any = None,
) -> PartyOrganization:
    """成立党组织: a new party organization covering `organizations` from its approval date."""
    po = PartyOrganization(
        name=name,
        level=level,
        formation=formation,
        superior_body=superior_body,
        approved_on=approved_on,
        approval_doc_no=approval_doc_no,
        secretary=secretary,
        full_members=full_members,
        probationary_members=probationary_members,
        has_branch_committee=has_branch_committee,
    )
    po.full_clean()
    rows = [CoverageRow(o.pk, approved_on) for o in organizations]
    # Lock the organizations: two clerks must not put one organization in two branches.
    list(Organization.objects.select_for_update().filter(pk__in=[r.organization_id for r in rows]))
    coverage_check(party_organization=po, rows=rows)
    history_stamp(po, actor=actor, reason="成立党组织")
    po.save()
    for org in organizations:
        cov = PartyOrganizationCoverage(
            party_organization=po, organization=org, joined_on=approved_on
        )
        history_stamp(cov, actor=actor, reason="成立党组织")
        cov.save()
    return po


@transaction.atomic
def party_organization_change(
    *,
    party_organization: PartyOrganization,
    actor: Any = None,
    reason: str = "变更",
    **changes: Any,
) -> PartyOrganization:
    """变更党组织信息 (members, level, secretary, superior body); the formation never changes."""
    unknown = set(changes) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {f: "该项不能直接变更；组建方式改变请撤销后重新成立。" for f in sorted(unknown)}
        )
    po = PartyOrganization.objects.select_for_update().get(pk=party_organization.pk)
    for field, value in changes.items():
        setattr(po, field, value)
    po.full_clean()
    history_stamp(po, actor=actor, reason=reason)
    po.save()
    return po


@transaction.atomic
def party_organization_dissolve(
    *, party_organization: PartyOrganization, on: datetime.date, doc_no: str, actor: Any = None
) -> PartyOrganization:
    """撤销党组织: dissolved on `on` (it no longer counts from that day); open coverages end then."""
    po = PartyOrganization.objects.select_for_update().get(pk=party_organization.pk)
    if po.dissolved_on is not None:
        raise ValidationError({"dissolved_on": f"该党组织已于{po.dissolved_on}撤销。"})
    if on <= po.approved_on:
        raise ValidationError({"dissolved_on": "撤销日期必须晚于批准成立日期。"})
    if not doc_no.strip():
        raise ValidationError({"dissolution_doc_no": "撤销党组织须填写撤销文号。"})
    later = po.coverages.filter(joined_on__gte=on)
    if later.exists():
        raise ValidationError({"dissolved_on": "撤销日期之后还有组织纳入，请先核对覆盖记录。"})
    for cov in po.coverages.filter(Q(left_on__isnull=True) | Q(left_on__gt=on)):
        cov.left_on = on
        history_stamp(cov, actor=actor, reason="党组织撤销")
        cov.save()
    po.dissolved_on = on
    po.dissolution_doc_no = doc_no.strip()
    po.full_clean()
    history_stamp(po, actor=actor, reason="撤销党组织")
    po.save()
    return po


@transaction.atomic
def coverage_add(
    *,
    party_organization: PartyOrganization,
    organization: Organization,
    joined_on: datetime.date,
    actor: Any = None,
) -> PartyOrganizationCoverage:
    """纳入: an organization joins a party organization (a joint branch takes in a neighbour)."""
    po = PartyOrganization.objects.select_for_update().get(pk=party_organization.pk)
    Organization.objects.select_for_update().get(pk=organization.pk)
    rows = [*(row for _pk, row in _rows_of(po)), CoverageRow(organization.pk, joined_on)]
    coverage_check(party_organization=po, rows=rows)
    cov = PartyOrganizationCoverage(
        party_organization=po, organization=organization, joined_on=joined_on
    )
    history_stamp(cov, actor=actor, reason="纳入党组织")
    cov.save()
    return cov


@transaction.atomic
def coverage_end(
    *, coverage: PartyOrganizationCoverage, left_on: datetime.date, actor: Any = None
) -> PartyOrganizationCoverage:
    """退出: an organization leaves a party organization on `left_on` (not counted from then)."""
    cov = PartyOrganizationCoverage.objects.select_for_update().get(pk=coverage.pk)
    if cov.left_on is not None:
        raise ValidationError({"left_on": f"该组织已于{cov.left_on}退出。"})
    po = cov.party_organization
    rows = [
        CoverageRow(row.organization_id, row.joined_on, left_on) if pk == cov.pk else row
        for pk, row in _rows_of(po)
    ]
    coverage_check(party_organization=po, rows=rows)
    cov.left_on = left_on
    history_stamp(cov, actor=actor, reason="退出党组织")
    cov.save()
    return cov


def member_count_record(
    *,
    organization: Organization,
    as_of: datetime.date,
    full_members: int,
    probationary_members: int = 0,
    source: str = MemberCountSource.SURVEY,
    note: str = "",
    actor: Any = None,
) -> PartyMemberCount:
    """党员人数登记 (R-PTY-06): one count per organization, date and source; a resend replaces it."""
    count = PartyMemberCount.objects.filter(
        organization=organization, as_of=as_of, source=source
    ).first()
    count = count or PartyMemberCount(organization=organization, as_of=as_of, source=source)
    count.full_members = full_members
    count.probationary_members = probationary_members
    count.note = note
    count.full_clean()
    history_stamp(count, actor=actor, reason="党员人数登记")
    count.save()
    return count


def instructor_assignment_problems(
    *,
    instructor: Instructor,
    organization: Organization,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    exclude_pk: int | None = None,
) -> dict[str, list[str]]:
    """Why an assignment cannot be made (R-PTY-03), by field; empty when it can."""
    errors: dict[str, list[str]] = {}
    if ended_on is not None and ended_on <= started_on:
        errors["ended_on"] = ["结束日期必须晚于指派日期。"]
    if organization.established_on and started_on < organization.established_on:
        errors.setdefault("started_on", []).append(
            f"指派日期早于该组织的成立日期（{organization.established_on}）。"
        )
    covered = PartyOrganizationCoverage.objects.filter(
        active_on_q(started_on, "joined_on", "left_on"),
        active_on_q(
            started_on, "party_organization__approved_on", "party_organization__dissolved_on"
        ),
        organization=organization,
    ).exists()
    if covered:
        errors.setdefault("organization", []).append(
            f"该组织在{started_on}已有党组织覆盖，党建工作指导员只派往尚未建立党组织的社会组织（R-PTY-03）。"
        )
    if instructor.pk is None:  # a new instructor (an import) has no assignment yet
        return errors
    same = InstructorAssignment.objects.filter(instructor=instructor, organization=organization)
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    new = CoverageRow(organization.pk, started_on, ended_on)
    if any(new.overlaps(CoverageRow(organization.pk, a.started_on, a.ended_on)) for a in same):
        errors.setdefault("started_on", []).append("该指导员对该组织的指派期间与已有指派重叠。")
    return errors


@transaction.atomic
def instructor_assign(
    *,
    instructor: Instructor,
    organization: Organization,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    actor: Any = None,
) -> InstructorAssignment:
    """指派党建工作指导员 (工作覆盖, R-PTY-03)."""
    Organization.objects.select_for_update().get(pk=organization.pk)
    errors = instructor_assignment_problems(
        instructor=instructor, organization=organization, started_on=started_on, ended_on=ended_on
    )
    if errors:
        raise ValidationError(errors)
    assignment = InstructorAssignment(
        instructor=instructor, organization=organization, started_on=started_on, ended_on=ended_on
    )
    assignment.full_clean()
    history_stamp(assignment, actor=actor, reason="指派指导员")
    assignment.save()
    return assignment


@transaction.atomic
def instructor_assignment_end(
    *, assignment: InstructorAssignment, ended_on: datetime.date, actor: Any = None
) -> InstructorAssignment:
    """结束指派: work coverage through this instructor stops on `ended_on`."""
    row = InstructorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if row.ended_on is not None:
        raise ValidationError({"ended_on": f"该指派已于{row.ended_on}结束。"})
    if ended_on <= row.started_on:
        raise ValidationError({"ended_on": "结束日期必须晚于指派日期。"})
    row.ended_on = ended_on
    history_stamp(row, actor=actor, reason="结束指派")
    row.save()
    return row


@transaction.atomic
def volunteer_activity_record(
    *,
    title: str,
    domain: VolunteerDomain,
    held_on: datetime.date,
    organizations: Sequence[Organization],
    participants: int,
    hours: Decimal,
    description: str = "",
    actor: Any = None,
) -> VolunteerActivity:
    """登记党员志愿服务活动."""
    if not organizations:
        raise ValidationError({"organizations": "请至少选择一个参与的社会组织。"})
    activity = VolunteerActivity(
        title=title,
        domain=domain,
        held_on=held_on,
        participants=participants,
        hours=hours,
        description=description,
    )
    activity.full_clean()
    history_stamp(activity, actor=actor, reason="登记志愿服务活动")
    activity.save()
    activity.organizations.set(organizations)
    return activity


@transaction.atomic
def demonstration_point_designate(
    *,
    organization: Organization,
    title: str,
    designated_on: datetime.date,
    designation_doc_no: str = "",
    actor: Any = None,
) -> DemonstrationPoint:
    """命名党建示范点."""
    open_point = DemonstrationPoint.objects.filter(organization=organization, ended_on__isnull=True)
    if open_point.exists():
        raise ValidationError({"organization": "该组织已是在牌的党建示范点。"})
    point = DemonstrationPoint(
        organization=organization,
        title=title,
        designated_on=designated_on,
        designation_doc_no=designation_doc_no,
    )
    point.full_clean()
    history_stamp(point, actor=actor, reason="命名示范点")
    point.save()
    return point
