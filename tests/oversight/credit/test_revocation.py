"""R-CRD-05(7), issue 10 item 2: a revocation (撤销登记) decided on the register or through a
zombie case becomes a serious-list proposal of the daily rules run, quoting the decision."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from oversight.credit import rules
from oversight.credit.choices import CreditGround, CreditList, ProposalStatus
from oversight.credit.models import CreditProposal
from oversight.credit.runs import credit_rules_run
from oversight.credit.services import credit_proposal_propose, credit_proposals_approve_bulk
from oversight.zombies.choices import ZombieStage
from oversight.zombies.services import zombie_case_open, zombie_case_transition
from registry.services import organization_transition
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
REVOKED_ON = D(2022, 7, 12)
DECISION = {
    "document_no": "深福民撤字〔2022〕7号",
    "authority": "深圳市福田区民政局",
    "facts": "公告期满仍无法取得联系，依法撤销登记",
}


def revoke(org, on=REVOKED_ON):
    return organization_transition(organization=org, to="revoked", on=on, **DECISION)


def test_a_revocation_on_the_register_is_proposed_from_its_decision():
    org = OrganizationFactory(established_on=D(2015, 3, 1))
    revoke(org)
    assert rules.rule_revocation(as_of=REVOKED_ON - datetime.timedelta(days=1)) == []
    [c] = rules.rule_revocation(as_of=REVOKED_ON)
    assert (c.organization_id, c.list_type, c.ground) == (
        org.pk,
        CreditList.SERIOUS,
        CreditGround.S7_CERTIFICATE_REVOKED,
    )
    assert DECISION["document_no"] in c.explanation and "2022-07-12" in c.explanation
    assert c.evidence["revocation"]["document_no"] == DECISION["document_no"]
    assert c.evidence["revocation"]["decided_on"] == "2022-07-12"
    assert c.event_on == REVOKED_ON
    assert c.rule_key == rules.rule_revocation(as_of=D(2023, 1, 1))[0].rule_key  # stable


def test_the_daily_run_suggests_it_once_and_four_eyes_list_it():
    org = OrganizationFactory(established_on=D(2015, 3, 1))
    revoke(org)
    first = credit_rules_run(as_of=D(2022, 7, 13))
    assert len([c for c in first.new if c.rule == "R-CRD-05(7)"]) == 1
    assert not [c for c in credit_rules_run(as_of=D(2022, 7, 14)).new if c.rule == "R-CRD-05(7)"]
    proposal = CreditProposal.objects.get(organization=org, ground="R-CRD-05(7)")
    assert proposal.status == ProposalStatus.SUGGESTED
    User = get_user_model()
    one, two = User.objects.create(username="p1"), User.objects.create(username="p2")
    credit_proposal_propose(proposal=proposal, actor=one)
    credit_proposals_approve_bulk(proposals=[proposal], actor=two, decided_on=D(2022, 7, 20))
    assert rules.rule_revocation(as_of=D(2022, 7, 21)) == []  # listed on this ground now


def test_only_revocations_within_the_penalty_window():
    org = OrganizationFactory(established_on=D(2010, 3, 1))
    revoke(org, on=D(2019, 7, 12))
    assert len(rules.rule_revocation(as_of=D(2022, 7, 11))) == 1
    assert rules.rule_revocation(as_of=D(2022, 7, 12)) == []  # three years have passed


def test_a_zombie_case_revocation_reaches_the_serious_list(staff_user):
    org = OrganizationFactory(established_on=D(2015, 3, 1))
    case = zombie_case_open(
        organization=org, criteria=["R-ZMB-01(4)"], identified_on=D(2022, 3, 1), actor=staff_user
    )
    zombie_case_transition(case=case, to=ZombieStage.NOTIFIED, on=D(2022, 5, 2))
    # R-ZMB-02: unreachable, so revoked after a 60-day notice (ends 2022-07-02).
    zombie_case_transition(case=case, to=ZombieStage.NOTICE, on=D(2022, 5, 3))
    zombie_case_transition(case=case, to=ZombieStage.REVOKED, on=REVOKED_ON, **DECISION)
    decision = org.lifecycle_decisions.get(kind="revocation")
    assert (decision.document_no, decision.authority) == (
        DECISION["document_no"],
        DECISION["authority"],
    )
    [c] = rules.rule_revocation(as_of=REVOKED_ON)
    assert c.organization_id == org.pk and c.evidence["revocation"]["id"] == decision.pk
