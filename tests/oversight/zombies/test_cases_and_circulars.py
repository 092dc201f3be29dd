"""Zombie cases (R-ZMB-02): opening from a flag, the stage table, the register moving with it,
progress per unit, and the monthly circulars per unit (R-ZMB-03)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from oversight.credit.choices import CreditGround
from oversight.inspections.models import Circular
from oversight.zombies.choices import ZOMBIE_TRANSITIONS, ZombieCriterion, ZombieStage
from oversight.zombies.circulars import CASE_HEADERS, zombie_circulars_issue
from oversight.zombies.models import ZombieCase
from oversight.zombies.selectors import zombie_progress_by_unit
from oversight.zombies.services import _CLOSING_STAGES, zombie_case_open, zombie_case_transition
from registry.choices import LifecycleStatus
from registry.services import organization_transition
from tests.oversight.factories import AuditFactory, ZombieCaseFactory
from tests.oversight.zombies.helpers import (
    C1,
    C4,
    D,
    detect,
    listing,
    org,
    remove,
)
from tests.registry.factories import SupervisingUnitFactory

pytestmark = pytest.mark.django_db

# ------------------------------------------------------------------ cases (R-ZMB-02)


@pytest.fixture
def flagged_org():
    o = org(established_on=D(2019, 1, 1))
    flag = detect(D(2022, 7, 1))[o.pk]
    return o, flag


def test_confirming_a_flag_opens_one_case(flagged_org, staff_user):
    o, flag = flagged_org
    case = zombie_case_open(
        flag=flag, actor=staff_user, identified_on=D(2022, 7, 5), responsible_person="王五"
    )
    assert case.stage == ZombieStage.IDENTIFIED
    assert case.criteria == flag.criteria
    assert case.confirmed_by == staff_user
    with pytest.raises(ValidationError) as exc:
        zombie_case_open(organization=o, actor=staff_user, identified_on=D(2022, 7, 6))
    assert "未办结" in str(exc.value.message_dict["organization"])


def test_opening_needs_criteria_and_a_registered_organization(staff_user):
    o = org()
    with pytest.raises(ValidationError) as exc:
        zombie_case_open(organization=o, actor=staff_user, identified_on=D(2022, 7, 5))
    assert "criteria" in exc.value.message_dict
    case = zombie_case_open(
        organization=o, criteria=[C4], actor=staff_user, identified_on=D(2022, 7, 5)
    )
    assert case.criteria == [C4]
    gone = org(established_on=D(2023, 1, 1))
    with pytest.raises(ValidationError) as exc:
        zombie_case_open(
            organization=gone, criteria=[C4], actor=staff_user, identified_on=D(2022, 7, 5)
        )
    assert "organization" in exc.value.message_dict


def test_identified_on_not_before_the_detection(flagged_org):
    _o, flag = flagged_org
    with pytest.raises(ValidationError) as exc:
        zombie_case_open(flag=flag, identified_on=D(2022, 6, 30))
    assert "identified_on" in exc.value.message_dict


# 核准注销 and 撤销登记 are documented decisions (R-XC-03); the case passes them to the register.
DECISION = {
    "document_no": "深福民撤字〔2022〕1号",
    "authority": "深圳市福田区民政局",
    "facts": "经公告送达期满仍无法取得联系",
}


def _case_in(stage: str) -> ZombieCase:
    """A case in `stage`, with the organization where that stage leaves it."""
    o = org()
    case = ZombieCaseFactory(organization=o, stage=stage, identified_on=D(2022, 7, 1))
    if stage == ZombieStage.DEREGISTERING:
        organization_transition(organization=o, to="deregistering", on=D(2022, 7, 2))
    return case


ALL_PAIRS = [(a, b) for a in ZombieStage.values for b in ZombieStage.values]


@pytest.mark.parametrize(("current", "to"), ALL_PAIRS)
def test_transitions_follow_the_table(current, to):
    case = _case_in(current)
    AuditFactory(organization=case.organization, completed_on=D(2022, 7, 3))
    allowed = to in ZOMBIE_TRANSITIONS[current]
    if allowed:
        case = zombie_case_transition(case=case, to=to, on=D(2022, 8, 1), **DECISION)
        assert case.stage == to
    else:
        with pytest.raises(ValidationError) as exc:
            zombie_case_transition(case=case, to=to, on=D(2022, 8, 1))
        assert "stage" in exc.value.message_dict
        case.refresh_from_db()
        assert case.stage == current


@pytest.mark.parametrize(
    ("path", "status", "date_field"),
    [
        (["notified", "deregistering"], LifecycleStatus.DEREGISTERING, "deregistration_started_on"),
        (
            ["notified", "deregistering", "deregistered"],
            LifecycleStatus.DEREGISTERED,
            "deregistered_on",
        ),
        (["notified", "revoked"], LifecycleStatus.REVOKED, "revoked_on"),
        (["notified", "deregistering", "restored"], LifecycleStatus.ACTIVE, None),
        (["restored"], LifecycleStatus.ACTIVE, None),
    ],
)
def test_stages_move_the_organization_on_the_register(path, status, date_field, staff_user):
    o = org()
    # D13: the liquidation audit reports after the deregistration began (2022-08-02).
    AuditFactory(organization=o, completed_on=D(2022, 8, 2))
    case = zombie_case_open(
        organization=o, criteria=[C1], actor=staff_user, identified_on=D(2022, 7, 1)
    )
    for day, stage in enumerate(path, start=1):
        case = zombie_case_transition(
            case=case,
            to=stage,
            on=D(2022, 8, day),
            actor=staff_user,
            notes=f"第{day}步",
            **DECISION,
        )
    o.refresh_from_db()
    assert o.status == status
    if date_field:
        assert getattr(o, date_field) == D(2022, 8, len(path))
    assert case.closed_on == (D(2022, 8, len(path)) if path[-1] in _CLOSING_STAGES else None)
    assert f"第{len(path)}步" in case.notes
    assert case.history.first().history_user == staff_user


def test_deregistration_without_a_liquidation_audit_is_refused_with_the_guard_message():
    """D11/R-AUD-04: the case cannot close as deregistered before the audit report exists;
    nothing changes, neither the case nor the register."""
    case = _case_in(ZombieStage.DEREGISTERING)
    with pytest.raises(ValidationError) as exc:
        zombie_case_transition(case=case, to="deregistered", on=D(2022, 8, 1), **DECISION)
    assert "注销清算审计" in " ".join(exc.value.message_dict["stage"])
    case.refresh_from_db()
    case.organization.refresh_from_db()
    assert case.stage == ZombieStage.DEREGISTERING
    assert case.organization.status == LifecycleStatus.DEREGISTERING


def test_a_step_cannot_be_dated_before_the_previous_one():
    case = _case_in(ZombieStage.IDENTIFIED)
    with pytest.raises(ValidationError) as exc:
        zombie_case_transition(case=case, to="notified", on=D(2022, 6, 30))
    assert "on" in exc.value.message_dict
    case = zombie_case_transition(case=case, to="notified", on=D(2022, 7, 10))
    assert case.notified_on == D(2022, 7, 10)


def test_progress_per_unit_in_one_query():
    a, b = SupervisingUnitFactory(code="PA"), SupervisingUnitFactory(code="PB")
    for stage in ("identified", "identified", "deregistered"):
        ZombieCaseFactory(organization=org(supervising_unit=a), stage=stage)
    ZombieCaseFactory(organization=org(supervising_unit=b), stage="notified")
    ZombieCaseFactory(organization=org(supervising_unit=None), stage="revoked")
    with CaptureQueriesContext(connection) as ctx:
        progress = zombie_progress_by_unit()
    assert len(ctx.captured_queries) == 1
    by_code = {row["unit_code"]: row for row in progress}
    assert by_code["PA"]["stages"]["identified"] == 2
    assert by_code["PA"]["stages"]["deregistered"] == 1
    assert by_code["PA"]["total"] == 3
    assert by_code["PB"]["stages"] == {**dict.fromkeys(ZombieStage.values, 0), "notified": 1}
    assert by_code[None]["stages"]["revoked"] == 1
    assert [row["unit_code"] for row in progress] == ["PA", "PB", None]


# ------------------------------------------------------------------ circulars


def _sheet_rows(circular: Circular, title: str) -> list[tuple]:
    circular.attachment.open("rb")
    try:
        wb = load_workbook(io.BytesIO(circular.attachment.read()), read_only=True)
    finally:
        circular.attachment.close()
    return [tuple(r) for r in wb[title].iter_rows(values_only=True)]


def test_monthly_circular_per_unit_with_cases_and_listings():
    a, b, c = (SupervisingUnitFactory(code=code) for code in ("CA", "CB", "CC"))
    a1, a2 = org(supervising_unit=a), org(supervising_unit=a)
    ZombieCaseFactory(organization=a1, stage="notified", criteria=[C1, C4])
    ZombieCaseFactory(organization=a2, stage="deregistered")
    listed_a = listing(a1)
    remove(listing(org(supervising_unit=b)), decided_on=D(2022, 9, 20))  # B: nothing in force
    listing(org(supervising_unit=c), ground=CreditGround.A1_ANNUAL_REPORT)

    issued = zombie_circulars_issue(as_of=D(2022, 10, 8))
    assert [x.supervising_unit.code for x in issued] == ["CA", "CC"]
    circular_a = issued[0]
    assert "2022年10月" in circular_a.title
    cases = _sheet_rows(circular_a, "僵尸型社会组织案件")
    assert cases[0] == tuple(CASE_HEADERS)
    assert {r[0] for r in cases[1:]} == {a1.uscc, a2.uscc}
    row_a1 = next(r for r in cases[1:] if r[0] == a1.uscc)
    assert row_a1[3] == "已告知"
    assert ZombieCriterion(C4).label in row_a1[2]
    listings_rows = _sheet_rows(circular_a, "信用名录")
    assert listings_rows[1:] == [
        (
            a1.uscc,
            listed_a.organization_name,
            "活动异常名录",
            CreditGround.A6_UNREACHABLE.label,
            listed_a.decision_no,
            datetime.datetime(2022, 9, 1),
            datetime.datetime(2022, 9, 1),
            datetime.datetime.combine(listed_a.review_due_on, datetime.time()),
        )
    ]
    assert len(_sheet_rows(issued[1], "僵尸型社会组织案件")) == 1  # headers only

    again = zombie_circulars_issue(as_of=D(2022, 10, 28))
    assert [x.pk for x in again] == [x.pk for x in issued]
    assert Circular.objects.count() == 2
    next_month = zombie_circulars_issue(as_of=D(2022, 11, 1))
    assert Circular.objects.count() == 4
    assert {x.pk for x in next_month}.isdisjoint({x.pk for x in issued})


def test_a_reworded_monthly_circular_is_not_issued_again():
    """Issue 10.11: the month's circular is recognised by its key, not its title."""
    a = SupervisingUnitFactory(code="CK")
    ZombieCaseFactory(organization=org(supervising_unit=a), stage="notified", criteria=[C1])
    [first] = zombie_circulars_issue(as_of=D(2022, 10, 8))
    assert first.issue_key == "zombie_progress:2022-10:CK"
    Circular.objects.filter(pk=first.pk).update(title="关于10月清理整治情况的通报（修订稿）")
    [again] = zombie_circulars_issue(as_of=D(2022, 10, 20))
    assert again.pk == first.pk and Circular.objects.count() == 1
