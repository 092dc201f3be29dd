"""R-CRD-02(2) trigger: ≥ 3 full members, no party organization, grace period over."""

from __future__ import annotations

import datetime

import pytest
from django.test.utils import override_settings

from common.credit_triggers import credit_triggers
from partybuilding.choices import Formation
from partybuilding.credit import TRIGGER_CODE, party_organization_missing_candidates
from partybuilding.services import coverage_end, member_count_record, party_organization_dissolve
from registry.services import organization_transition
from tests.registry.factories import OrganizationFactory, decision_fields

from .factories import make_assignment, make_party_organization

pytestmark = pytest.mark.django_db

D = datetime.date
COUNTED = D(2022, 1, 10)
DUE = D(2022, 7, 10)  # six months later


def ids(on):
    return [row[0] for row in party_organization_missing_candidates(on)]


@pytest.fixture
def org():
    o = OrganizationFactory()
    member_count_record(organization=o, as_of=COUNTED, full_members=3)
    return o


def test_registered_from_apps_ready():
    trigger = next(t for t in credit_triggers() if t.code == TRIGGER_CODE)
    assert (trigger.ground, trigger.list_kind) == ("R-CRD-02(2)", "abnormal")
    assert trigger.candidates is party_organization_missing_candidates


def test_boundary_day(org):
    assert ids(DUE - datetime.timedelta(days=1)) == []
    rows = party_organization_missing_candidates(DUE)
    assert [(r[0], r[1]) for r in rows] == [(org.pk, DUE)]
    assert "R-CRD-02(2)" in rows[0][2] and "正式党员3名" in rows[0][2]


@override_settings(PARTY_ORGANIZATION_GRACE_MONTHS=3)
def test_grace_period_is_configurable(org):
    assert ids(D(2022, 4, 9)) == []
    assert ids(D(2022, 4, 10)) == [org.pk]


def test_two_full_members_never(org):
    member_count_record(
        organization=org, as_of=D(2022, 2, 1), full_members=2, probationary_members=5
    )
    assert ids(D(2023, 1, 1)) == []


def test_run_restarts_after_a_count_below_three(org):
    member_count_record(organization=org, as_of=D(2022, 3, 1), full_members=2)
    member_count_record(organization=org, as_of=D(2022, 4, 1), full_members=4)
    assert ids(DUE) == []
    assert ids(D(2022, 10, 1)) == [org.pk]


def test_covered_organization_is_not_a_candidate(org):
    make_party_organization(
        organizations=[org], approved_on=D(2022, 7, 1), full_members=3, probationary_members=0
    )
    assert ids(DUE) == []


def test_joint_branch_covers_too(org):
    make_party_organization(
        organizations=[org, OrganizationFactory()],
        formation=Formation.JOINT,
        approved_on=D(2022, 7, 1),
    )
    assert ids(DUE) == []


def test_instructor_is_not_enough(org):
    make_assignment(organization=org, started_on=D(2022, 2, 1))
    assert ids(DUE) == [org.pk]


def test_grace_restarts_when_party_organization_ends(org):
    po = make_party_organization(
        organizations=[org], approved_on=D(2021, 1, 1), full_members=3, probationary_members=0
    )
    party_organization_dissolve(party_organization=po, on=D(2022, 3, 1), doc_no="福社党〔2022〕2号")
    assert ids(D(2022, 8, 31)) == []
    assert ids(D(2022, 9, 1)) == [org.pk]


def test_left_joint_branch_restarts_grace(org):
    po = make_party_organization(
        organizations=[org, OrganizationFactory()],
        formation=Formation.JOINT,
        approved_on=D(2021, 1, 1),
    )
    coverage_end(coverage=po.coverages.get(organization=org), left_on=D(2022, 5, 1))
    assert ids(D(2022, 10, 31)) == []
    assert ids(D(2022, 11, 1)) == [org.pk]


def test_revoked_organization_is_not_a_candidate(org):
    organization_transition(organization=org, to="deregistering", on=D(2022, 5, 1))
    assert ids(DUE) == [org.pk]  # still registered while deregistering
    organization_transition(organization=org, to="revoked", on=D(2022, 6, 1), **decision_fields())
    assert ids(DUE) == []


def test_the_credit_rules_propose_it_and_four_eyes_list_it(org):
    """Issue 11.5: the trigger reaches the credit rules' daily run (dry run, proposals, four
    eyes) without oversight importing partybuilding."""
    from oversight.credit.choices import CreditList, ProposalStatus
    from oversight.credit.models import CreditListing, CreditProposal
    from oversight.credit.runs import credit_rules_run
    from oversight.credit.services import credit_proposal_approve, credit_proposal_propose
    from tests.oversight.factories import make_clerks

    assert not credit_rules_run(as_of=DUE - datetime.timedelta(days=1), dry_run=True).new
    dry = credit_rules_run(as_of=DUE, dry_run=True)
    assert [c.ground for c in dry.candidates if c.organization_id == org.pk] == ["R-CRD-02(2)"]
    assert not CreditProposal.objects.exists()
    credit_rules_run(as_of=DUE)
    credit_rules_run(as_of=DUE)  # twice: still one proposal
    [proposal] = CreditProposal.objects.filter(organization=org)
    assert proposal.ground == "R-CRD-02(2)" and proposal.status == ProposalStatus.SUGGESTED
    a, b = make_clerks()
    credit_proposal_propose(proposal=proposal, actor=a)
    credit_proposal_approve(proposal=proposal, actor=b, decided_on=DUE)
    listing = CreditListing.objects.get(organization=org)
    assert (listing.list_type, listing.ground) == (CreditList.ABNORMAL, "R-CRD-02(2)")
    # Listed: the next run proposes it no more.
    assert not [
        c
        for c in credit_rules_run(as_of=DUE, dry_run=True).candidates
        if c.organization_id == org.pk
    ]
