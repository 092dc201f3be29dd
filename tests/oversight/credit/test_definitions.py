"""One definition each (issue 16 items 1 and 3): the active listing that the credit rules, the
selectors, the circulars and the zombie criterion R-ZMB-01(4) share, on its edge days; the
legal periods in force on the decision date, recorded in every proposal and listing."""

from __future__ import annotations

import datetime

import pytest

from common.policy import LegalPeriod
from oversight.credit import rules
from oversight.credit.choices import CreditGround, CreditList, CreditStanding, RemovalGround
from oversight.credit.models import CreditProposal
from oversight.credit.runs import credit_rules_run
from oversight.credit.selectors import active_listings, credit_standing_of
from oversight.credit.services import (
    credit_listing_create,
    credit_proposal_approve,
    credit_proposal_propose,
    credit_removal_create,
)
from oversight.zombies.circulars import active_listings_on
from oversight.zombies.detection import zombie_detect
from oversight.zombies.models import ZombieFlag
from tests.oversight.factories import make_clerks, make_listing
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def period_from(key: str, value: int, day: datetime.date) -> None:
    row = LegalPeriod.objects.get(key=key, effective_from=datetime.date(2000, 1, 1))
    LegalPeriod.objects.create(
        key=key, value=value, unit=row.unit, rule=row.rule, label=row.label, effective_from=day
    )


def seen_active(org, on: datetime.date) -> dict[str, bool]:
    """Whether each former copy of "active listing" sees the organization listed on `on`."""
    zombie_detect(as_of=on)
    flag = ZombieFlag.objects.filter(organization=org, as_of=on).first()
    return {
        "rules": rules.active_listing_rows(on=on, org_ids=[org.pk]).exists(),
        "selectors": active_listings(on=on).filter(organization=org).exists(),
        "standing": credit_standing_of(organization=org, on=on) == CreditStanding.ABNORMAL,
        "circulars": active_listings_on(on).filter(organization=org).exists(),
        "zombies": bool(flag and "listing" in flag.evidence.get("R-ZMB-01(4)", {})),
    }


class TestActiveListing:
    """Decided 2024-03-01, in effect from 2024-03-20 (R-CRD-11 records both dates)."""

    @pytest.fixture
    def org(self):
        org = OrganizationFactory(established_on=D(2015, 3, 1))
        proposer, approver = make_clerks()
        self.listing = credit_listing_create(
            organization=org,
            list_type=CreditList.ABNORMAL,
            ground=CreditGround.A6_UNREACHABLE,
            facts="两次专项信函均未签收",
            decided_on=D(2024, 3, 1),
            effective_on=D(2024, 3, 20),
            proposed_by=proposer,
            approved_by=approver,
        )
        self.clerks = (proposer, approver)
        return org

    def test_decided_but_not_yet_in_effect_nobody_sees_it(self, org):
        assert set(seen_active(org, D(2024, 3, 19)).values()) == {False}

    def test_in_effect_everybody_sees_it(self, org):
        assert set(seen_active(org, D(2024, 3, 20)).values()) == {True}

    def test_removed_on_the_day_everybody_stops_seeing_it(self, org):
        proposer, approver = self.clerks
        credit_removal_create(
            organization=org,
            list_type=CreditList.ABNORMAL,
            ground=RemovalGround.CORRECTED,
            facts="住所信息登记有误，予以更正",
            decided_on=D(2024, 5, 6),
            proposed_by=proposer,
            approved_by=approver,
        )
        assert set(seen_active(org, D(2024, 5, 5)).values()) == {True}
        assert set(seen_active(org, D(2024, 5, 6)).values()) == {False}


class TestPeriodsArePolicy:
    """A period changed from a date changes the decisions computed on or after it only, and
    every decision records the period it used."""

    @pytest.fixture
    def org(self):
        org = OrganizationFactory(established_on=D(2015, 3, 1))
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2023, 3, 15))
        period_from("CREDIT_ESCALATION_YEARS", 3, D(2025, 6, 1))
        return org

    def test_before_the_change_the_old_period_decides(self, org):
        [c] = rules.rule_escalation(as_of=D(2025, 3, 15))
        assert c.periods == {"CREDIT_ESCALATION_YEARS": 2}
        assert "满2年" in c.explanation

    def test_after_the_change_the_new_period_decides(self, org):
        assert rules.rule_escalation(as_of=D(2025, 6, 1)) == []
        assert rules.rule_escalation(as_of=D(2026, 3, 14)) == []
        [c] = rules.rule_escalation(as_of=D(2026, 3, 15))
        assert c.periods == {"CREDIT_ESCALATION_YEARS": 3}
        assert "满3年" in c.explanation and "2026-03-15期满" in c.explanation

    def test_proposals_and_decisions_record_the_period(self, org):
        credit_rules_run(as_of=D(2025, 3, 20))
        proposal = CreditProposal.objects.get(organization=org, action="escalate")
        assert proposal.evidence["periods"] == {"CREDIT_ESCALATION_YEARS": 2}
        proposer, approver = make_clerks()
        credit_proposal_propose(proposal=proposal, actor=proposer)
        credit_proposal_approve(proposal=proposal, actor=approver, decided_on=D(2025, 3, 21))
        proposal.refresh_from_db()
        listing = proposal.listing
        assert listing.evidence["periods"] == {"CREDIT_ESCALATION_YEARS": 2}
        # The serious listing's review date uses the period in force on its decision date.
        assert listing.evidence["review_periods"] == {"CREDIT_SERIOUS_REMOVAL_YEARS": 2}
        assert listing.review_due_on == D(2027, 3, 21)

    def test_a_listing_review_date_follows_the_period_of_its_decision_date(self):
        period_from("CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS", 9, D(2025, 1, 1))
        org = OrganizationFactory(established_on=D(2015, 3, 1))
        before = make_listing(org, CreditGround.A7_OTHER, D(2024, 12, 31))
        after = make_listing(org, CreditGround.A7_OTHER, D(2025, 1, 1))
        assert before.review_due_on == D(2025, 6, 30)
        assert before.evidence["review_periods"] == {"CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS": 6}
        assert after.review_due_on == D(2025, 10, 1)
        assert after.evidence["review_periods"] == {"CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS": 9}


@pytest.mark.parametrize(
    ("listed_on", "day_before", "due"),
    [
        (D(2024, 2, 29), D(2026, 2, 27), D(2026, 2, 28)),  # 满2年 completes on 28 February
        (D(2023, 3, 15), D(2025, 3, 14), D(2025, 3, 15)),
    ],
)
def test_two_full_years_on_29_february(listed_on, day_before, due):
    org = OrganizationFactory(established_on=D(2015, 3, 1))
    make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, listed_on)
    assert rules.rule_escalation(as_of=day_before) == []
    [c] = rules.rule_escalation(as_of=due)
    assert c.evidence["due_on"] == due.isoformat()
