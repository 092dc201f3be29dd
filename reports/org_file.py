"""一户一档: everything the bureau holds about one organization, as one list of dated events
(registration and changes, annual reports, inspections and audits, credit decisions, zombie
flags and cases, party organization, grants, ratings, services). One query per source."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.urls import reverse

from funding.grants.models import GrantProject
from funding.services_records.models import ServiceRecord
from oversight.annual_reports.models import AnnualReport
from oversight.credit.models import CreditListing, CreditRemoval, Penalty
from oversight.inspections.models import Audit, Inspection, Interview, JointInspection
from oversight.zombies.models import ZombieCase, ZombieFlag
from partybuilding.models import PartyOrganizationCoverage
from registry.models import Organization, Rating

REGISTRATION = "登记"
ANNUAL_REPORT = "年度报告"
INSPECTION = "检查审计"
CREDIT = "信用"
ZOMBIE = "僵尸型社会组织"
PARTY = "党建"
GRANT = "资助项目"
RATING = "等级评估"
SERVICE = "服务记录"


@dataclass(frozen=True)
class Event:
    on: datetime.date
    category: str
    title: str
    detail: str = ""
    url: str = ""


def _change(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def organization_file(organization: Organization) -> list[Event]:
    """The organization's events, oldest first (ties in the order of the sources)."""
    events = [
        *_registration(organization),
        *_annual_reports(organization),
        *_inspections(organization),
        *_credit(organization),
        *_zombies(organization),
        *_party(organization),
        *_funding(organization),
    ]
    return sorted(events, key=lambda e: e.on)


def _registration(org: Organization) -> Iterator[Event]:
    yield Event(org.established_on, REGISTRATION, "成立登记", f"{org.get_org_type_display()}",
                _change(org))  # fmt: skip
    history = org.history.order_by("history_date", "history_id")
    previous = None
    for record in history:
        if previous is not None and record.history_type == "~":
            changed = record.diff_against(previous).changes
            fields = "、".join(
                str(Organization._meta.get_field(c.field).verbose_name) for c in changed
            )
            if fields:
                reason = record.history_change_reason or "变更"
                yield Event(record.history_date.date(), REGISTRATION, f"{reason}：{fields}")
        previous = record
    if org.deregistration_started_on:
        yield Event(org.deregistration_started_on, REGISTRATION, "受理注销登记")
    if org.deregistered_on:
        yield Event(org.deregistered_on, REGISTRATION, "注销登记")
    if org.revoked_on:
        yield Event(org.revoked_on, REGISTRATION, "撤销登记")


def _annual_reports(org: Organization) -> Iterator[Event]:
    for r in AnnualReport.objects.filter(organization=org).order_by("year"):
        yield Event(r.submitted_on, ANNUAL_REPORT, f"报送{r.year}年度工作报告",
                    r.get_status_display(), _change(r))  # fmt: skip
        if r.reviewed_on:
            result = r.get_result_display() if r.result else "已审查"
            yield Event(r.reviewed_on, ANNUAL_REPORT, f"{r.year}年度报告审查：{result}", "",
                        _change(r))  # fmt: skip


def _inspections(org: Organization) -> Iterator[Event]:
    for i in Inspection.objects.filter(organization=org).select_related("draw"):
        title = f"{i.draw.year}年{i.draw.get_kind_display()}：抽中（第 {i.position} 位）"
        yield Event(i.draw.created_at.date(), INSPECTION, title, i.get_status_display(), _change(i))
        if i.completed_on:
            outcome = i.get_outcome_display() if i.outcome else ""
            yield Event(i.completed_on, INSPECTION, "检查完成", outcome, _change(i))
        if i.published_on:
            yield Event(i.published_on, INSPECTION, "检查结果公示", "", _change(i))
    for a in Audit.objects.filter(organization=org):
        yield Event(a.commissioned_on, INSPECTION, f"委托{a.get_kind_display()}", a.firm,
                    _change(a))  # fmt: skip
    for j in JointInspection.objects.filter(organizations=org):
        yield Event(j.held_on, INSPECTION, f"联合检查：{j.title}", "", _change(j))
    for v in Interview.objects.filter(organization=org):
        yield Event(v.held_on, INSPECTION, "约谈", v.reason[:80], _change(v))


def _credit(org: Organization) -> Iterator[Event]:
    for p in Penalty.objects.filter(organization=org):
        yield Event(p.decided_on, CREDIT, f"行政处罚：{p.get_kind_display()}", p.decision_no,
                    _change(p))  # fmt: skip
    for li in CreditListing.objects.filter(organization=org):
        yield Event(li.decided_on, CREDIT, f"列入{li.get_list_type_display()}",
                    f"{li.get_ground_display()}（{li.decision_no}）", _change(li))  # fmt: skip
    for rm in CreditRemoval.objects.filter(organization=org):
        yield Event(rm.decided_on, CREDIT, f"移出{rm.get_list_type_display()}",
                    f"{rm.get_ground_display()}（{rm.decision_no}）", _change(rm))  # fmt: skip


def _zombies(org: Organization) -> Iterator[Event]:
    for f in ZombieFlag.objects.filter(organization=org):
        yield Event(f.as_of, ZOMBIE, "疑似僵尸型社会组织检测", "、".join(f.criteria), _change(f))
    for c in ZombieCase.objects.filter(organization=org):
        yield Event(c.identified_on, ZOMBIE, "认定为僵尸型社会组织", c.get_stage_display(),
                    _change(c))  # fmt: skip
        if c.notified_on:
            yield Event(c.notified_on, ZOMBIE, "告知", "", _change(c))
        if c.closed_on:
            yield Event(c.closed_on, ZOMBIE, f"办结：{c.get_stage_display()}", "", _change(c))


def _party(org: Organization) -> Iterator[Event]:
    coverages = PartyOrganizationCoverage.objects.filter(organization=org).select_related(
        "party_organization"
    )
    for cov in coverages:
        po = cov.party_organization
        yield Event(cov.joined_on, PARTY, f"纳入党组织：{po.name}", po.get_formation_display(),
                    _change(po))  # fmt: skip
        if cov.left_on:
            yield Event(cov.left_on, PARTY, f"退出党组织：{po.name}", "", _change(po))


def _funding(org: Organization) -> Iterator[Event]:
    for g in GrantProject.objects.filter(organization=org).select_related("round"):
        yield Event(g.submitted_on, GRANT, f"申报第{g.round.number}期资助项目：{g.title}",
                    g.get_status_display(), _change(g))  # fmt: skip
        if g.approved_on:
            yield Event(g.approved_on, GRANT, f"立项：{g.title}",
                        f"资助 {g.approved_amount or 0} 元", _change(g))  # fmt: skip
    for r in Rating.objects.filter(organization=org):
        yield Event(r.awarded_on, RATING, f"评定为 {r.get_grade_display()}",
                    f"有效期至 {r.expires_on:%Y-%m-%d}", _change(r))  # fmt: skip
    yield from _services(ServiceRecord.objects.filter(organization=org))


def _services(records: Iterable[ServiceRecord]) -> Iterator[Event]:
    for s in records:
        yield Event(s.served_on, SERVICE, s.get_kind_display(), s.notes, _change(s))
