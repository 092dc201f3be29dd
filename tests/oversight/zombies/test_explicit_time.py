"""Services take an explicit time (issue 16 item 7): the demo dates its records with `at=`
instead of patching the clock, and no production module of oversight patches it."""

from __future__ import annotations

import datetime
import pathlib

import pytest
from django.utils import timezone

from oversight.annual_reports.services import annual_report_cycle_get
from oversight.credit.choices import CreditGround, ProposalStatus
from oversight.credit.models import CreditProposal
from oversight.credit.runs import credit_rules_run
from oversight.credit.services import (
    credit_proposal_approve,
    credit_proposal_propose,
    credit_proposal_reject,
)
from oversight.zombies.choices import ZombieStage
from oversight.zombies.detection import zombie_detect
from oversight.zombies.models import ZombieFlag
from oversight.zombies.services import zombie_case_open, zombie_case_transition
from registry.choices import OrganizationType
from tests.oversight.factories import make_clerks, make_listing
from tests.registry.factories import OrganizationFactory

D = datetime.date
OVERSIGHT = pathlib.Path(__file__).resolve().parents[3] / "oversight"


def moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def test_no_production_module_of_oversight_patches_the_clock():
    offenders = [
        str(path.relative_to(OVERSIGHT))
        for path in OVERSIGHT.rglob("*.py")
        if "unittest" in path.read_text(encoding="utf-8") or "mock." in path.read_text("utf-8")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_credit_records_carry_the_time_given():
    org = OrganizationFactory(established_on=D(2015, 3, 1))
    make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2019, 3, 15))
    credit_rules_run(as_of=D(2021, 3, 20), at=moment(D(2021, 3, 20), 2))
    proposal = CreditProposal.objects.get(organization=org, action="escalate")
    assert proposal.created_at == moment(D(2021, 3, 20), 2)
    proposer, approver = make_clerks()
    credit_proposal_propose(proposal=proposal, actor=proposer, at=moment(D(2021, 3, 22), 10))
    credit_proposal_approve(
        proposal=proposal, actor=approver, decided_on=D(2021, 3, 25), at=moment(D(2021, 3, 25), 15)
    )
    proposal.refresh_from_db()
    assert proposal.proposed_at == moment(D(2021, 3, 22), 10)
    assert proposal.decided_at == moment(D(2021, 3, 25), 15)
    assert proposal.listing.created_at == moment(D(2021, 3, 25), 15)
    assert proposal.removal.created_at == moment(D(2021, 3, 25), 15)


@pytest.mark.django_db
def test_a_rejection_carries_the_time_given():
    org = OrganizationFactory(established_on=D(2015, 3, 1))
    make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2019, 3, 15))
    credit_rules_run(as_of=D(2021, 3, 20))
    proposal = CreditProposal.objects.get(organization=org, action="escalate")
    [clerk] = make_clerks(1)
    credit_proposal_reject(
        proposal=proposal, actor=clerk, reason="另案处理", at=moment(D(2021, 3, 23), 11)
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decided_at == moment(D(2021, 3, 23), 11)


@pytest.mark.django_db
def test_zombie_flags_cases_and_the_register_carry_the_time_given():
    annual_report_cycle_get(year=2020, at=moment(D(2020, 12, 1), 9))
    org = OrganizationFactory(org_type=OrganizationType.SOCIAL_GROUP, established_on=D(2015, 3, 1))
    zombie_detect(as_of=D(2021, 9, 1), at=moment(D(2021, 9, 1), 10))
    flag = ZombieFlag.objects.get(organization=org, as_of=D(2021, 9, 1))
    assert flag.created_at == moment(D(2021, 9, 1), 10)
    case = zombie_case_open(flag=flag, identified_on=D(2021, 9, 6), at=moment(D(2021, 9, 6), 10))
    assert case.history.get().history_date == moment(D(2021, 9, 6), 10)
    zombie_case_transition(
        case=case, to=ZombieStage.NOTIFIED, on=D(2021, 10, 8), at=moment(D(2021, 10, 8), 10)
    )
    case = zombie_case_transition(
        case=case,
        to=ZombieStage.DEREGISTERING,
        on=D(2022, 7, 4),
        at=moment(D(2022, 7, 4), 10),
    )
    assert case.history.order_by("-history_id").first().history_date == moment(D(2022, 7, 4), 10)
    org.refresh_from_db()
    assert org.history.order_by("-history_id").first().history_date == moment(D(2022, 7, 4), 10)
    cycle = annual_report_cycle_get(year=2020)
    assert cycle.history.get().history_date == moment(D(2020, 12, 1), 9)
