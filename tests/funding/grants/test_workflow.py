"""The grant workflow: every transition allowed or refused as GRANT_TRANSITIONS says (R-FND-03)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.grants.choices import GRANT_TRANSITIONS, FundRoundStatus, GrantStatus
from funding.grants.models import GrantProject, GrantTransition
from funding.grants.payments import grant_completion_report_submit
from funding.grants.services import (
    fund_round_create,
    fund_round_set_status,
    grant_record_opinion,
    grant_review_record,
    grant_submit,
    grant_transition,
)
from tests.funding.factories import (
    ExpertFactory,
    FundRoundFactory,
    grant_through,
    submitted_grant,
)
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def project_in(status: str) -> GrantProject:
    """A project placed directly in `status` (to probe the table from every state)."""
    project = submitted_grant()
    GrantProject.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()
    return project


ALL_PAIRS = [(a, b) for a in GrantStatus.values for b in GrantStatus.values]
# Targets whose own requirements (reviews, notice, report) are tested separately.
SIMPLE_TARGETS = {
    GrantStatus.PRELIMINARY_REVIEW,
    GrantStatus.EXPERT_REVIEW,
    GrantStatus.REJECTED,
    GrantStatus.IN_PROGRESS,
    GrantStatus.TERMINATED,
}


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_transition_table(source, target):
    project = project_in(source)
    allowed = target in GRANT_TRANSITIONS[source]
    if not allowed:
        with pytest.raises(ValidationError) as exc:
            grant_transition(project=project, to=target, on=D(2021, 9, 10), remarks="理由")
        assert "不能转为" in str(exc.value)
        assert GrantProject.objects.get(pk=project.pk).status == source
    elif target in SIMPLE_TARGETS:
        moved = grant_transition(
            project=project,
            to=target,
            on=D(2021, 9, 10),
            remarks="理由",
            document_no="福民〔2021〕1号",
        )
        assert moved.status == target
        log = GrantTransition.objects.filter(project=project).last()
        assert (log.from_status, log.to_status, log.document_no) == (
            source,
            target,
            "福民〔2021〕1号",
        )


def test_overlapping_open_rounds_refused():
    FundRoundFactory(number=10, opens_on=D(2021, 9, 1), closes_on=D(2021, 9, 30))
    with pytest.raises(ValidationError) as exc:
        fund_round_create(
            number=11,
            year=2021,
            title="第11期",
            opens_on=D(2021, 9, 30),
            closes_on=D(2021, 10, 31),
            budget="9550000",
            status=FundRoundStatus.OPEN,
        )
    assert "重叠" in str(exc.value)
    later = fund_round_create(
        number=11,
        year=2021,
        title="第11期",
        opens_on=D(2021, 9, 30),
        closes_on=D(2021, 10, 31),
        budget="9550000",
    )
    with pytest.raises(ValidationError):
        fund_round_set_status(fund_round=later, status=FundRoundStatus.OPEN)
    assert fund_round_create(
        number=12,
        year=2021,
        title="第12期",
        opens_on=D(2021, 10, 1),
        closes_on=D(2021, 10, 31),
        budget="1",
        status=FundRoundStatus.OPEN,
    ).pk


def test_submission_needs_an_open_round_and_its_window():
    closed = FundRoundFactory(status=FundRoundStatus.CLOSED)
    with pytest.raises(ValidationError, match="不在申报期"):
        submitted_grant(fund_round=closed)
    with pytest.raises(ValidationError, match="申报日期须在"):
        submitted_grant(on=D(2021, 10, 1))


def test_amounts_are_yuan_with_two_decimals_and_budget_lines_add_up():
    with pytest.raises(ValidationError, match="两位小数"):
        submitted_grant(requested="100.005")
    with pytest.raises(ValidationError, match="大于0"):
        submitted_grant(requested="0")
    fund_round = FundRoundFactory()
    with pytest.raises(ValidationError, match="预算明细合计"):
        grant_submit(
            fund_round=fund_round,
            organization=OrganizationFactory(),
            title="t",
            category="community",
            requested_amount="1000",
            on=fund_round.opens_on,
            budget_lines=[("人员", "600"), ("活动", "300")],
        )


def test_public_notice_needs_reviews_and_an_amount_not_above_requested():
    project = grant_through(submitted_grant(requested="100000"), GrantStatus.EXPERT_REVIEW)
    with pytest.raises(ValidationError, match="专家评审不足"):
        grant_transition(project=project, to=GrantStatus.PUBLIC_NOTICE, approved_amount="1")
    for _ in range(3):
        grant_review_record(project=project, expert=ExpertFactory(), score=90, on=D(2021, 9, 28))
    with pytest.raises(ValidationError, match="不能超过申请金额"):
        grant_transition(project=project, to=GrantStatus.PUBLIC_NOTICE, approved_amount="100000.01")
    noticed = grant_transition(
        project=project, to=GrantStatus.PUBLIC_NOTICE, on=D(2021, 9, 29), approved_amount="100000"
    )
    assert noticed.approved_amount == Decimal("100000.00")


def test_approval_waits_five_working_days_over_national_day():
    project = grant_through(submitted_grant(), GrantStatus.PUBLIC_NOTICE, notice_on=D(2021, 9, 29))
    assert project.notice_ends_on == D(2021, 10, 12)  # D12 over the 2021 holiday
    with pytest.raises(ValidationError, match="期满后方可立项"):
        grant_transition(project=project, to=GrantStatus.APPROVED, on=D(2021, 10, 12))
    approved = grant_transition(project=project, to=GrantStatus.APPROVED, on=D(2021, 10, 13))
    assert approved.approved_on == D(2021, 10, 13)


def test_approval_refuses_to_exceed_the_round_budget():
    fund_round = FundRoundFactory(budget=Decimal("150000"))
    first = grant_through(submitted_grant(fund_round=fund_round), GrantStatus.APPROVED)
    assert first.approved_amount == Decimal("80000.00")
    second = grant_through(submitted_grant(fund_round=fund_round), GrantStatus.PUBLIC_NOTICE)
    with pytest.raises(ValidationError, match="超过预算"):
        grant_transition(
            project=second,
            to=GrantStatus.APPROVED,
            on=second.notice_ends_on + datetime.timedelta(1),
        )


def test_rejection_and_termination_need_reasons():
    project = submitted_grant()
    with pytest.raises(ValidationError, match="须说明理由"):
        grant_transition(project=project, to=GrantStatus.REJECTED)


def test_completion_needs_the_report():
    project = grant_through(submitted_grant(), GrantStatus.IN_PROGRESS)
    with pytest.raises(ValidationError, match="结项报告"):
        grant_transition(project=project, to=GrantStatus.COMPLETED)
    grant_completion_report_submit(
        project=project,
        activities_held=24,
        people_served=1800,
        evaluation_result="good",
        evaluator="深圳某评估中心",
        on=D(2022, 6, 1),
    )
    assert grant_transition(project=project, to=GrantStatus.COMPLETED).status == "completed"


def test_expert_with_a_conflict_must_recuse_for_two_years_after_it_ends():
    from funding.grants.models import ExpertConflict

    project = grant_through(submitted_grant(), GrantStatus.EXPERT_REVIEW)
    expert = ExpertFactory()
    ExpertConflict.objects.create(
        expert=expert, organization=project.organization, reason="曾任理事", ended_on=D(2019, 9, 29)
    )
    with pytest.raises(ValidationError, match="应当回避"):
        grant_review_record(project=project, expert=expert, score=80, on=D(2021, 9, 28))
    # Two full years after the relationship ended the expert may score.
    assert grant_review_record(project=project, expert=expert, score=80, on=D(2021, 9, 29)).pk


def test_supervisor_opinion_once_and_disagreement_needs_reasons():
    project = submitted_grant()
    with pytest.raises(ValidationError, match="须说明理由"):
        grant_record_opinion(project=project, opinion="disagree")
    grant_record_opinion(project=project, opinion="agree", on=D(2021, 9, 5))
    with pytest.raises(ValidationError, match="不能重复"):
        grant_record_opinion(project=project, opinion="agree")
