"""Credit decisions: the rules job (idempotent, concurrent, dry run), four eyes, decision numbers,
escalation, removals refused when the rules do not allow them, append-only records, derived
credit standing, the management command and the Celery task."""

from __future__ import annotations

import datetime
import threading
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.services import annual_report_cycle_get
from oversight.credit.choices import (
    CreditGround,
    CreditList,
    CreditStanding,
    DecisionAction,
    ProposalStatus,
    RemovalGround,
)
from oversight.credit.models import CreditListing, CreditProposal, CreditRemoval
from oversight.credit.runs import credit_rules_run
from oversight.credit.selectors import (
    credit_standing_of,
    organizations_by_credit_standing,
    organizations_with_credit_standing,
)
from oversight.credit.services import (
    credit_listing_create,
    credit_proposal_approve,
    credit_proposal_propose,
    credit_proposal_reject,
    credit_proposals_approve_bulk,
    credit_removal_create,
)
from oversight.credit.tasks import run_credit_rules_task
from tests.oversight.factories import (
    PenaltyFactory,
    SpecialLetterFactory,
    make_clerks,
    make_listing,
)
from tests.registry.factories import OrganizationFactory

D = datetime.date


def proposal_of(org, action=None) -> CreditProposal:
    qs = CreditProposal.objects.filter(organization=org)
    return qs.get(action=action) if action else qs.get()


def propose_and_approve(proposal, on, clerks=None):
    a, b = clerks or make_clerks()
    credit_proposal_propose(proposal=proposal, actor=a)
    return credit_proposal_approve(proposal=proposal, actor=b, decided_on=on)


@pytest.fixture
def missing_2023():
    annual_report_cycle_get(year=2023)
    return OrganizationFactory(established_on=D(2018, 1, 1))


@pytest.mark.django_db
class TestRulesJob:
    def test_dry_run_writes_nothing(self, missing_2023):
        result = credit_rules_run(as_of=D(2024, 6, 1), dry_run=True)
        assert len(result.new) == 1
        assert result.counts_by_rule() == {"R-CRD-02(1)": (1, 1)}
        assert CreditProposal.objects.count() == 0

    def test_run_twice_proposes_nothing_new(self, missing_2023):
        first = credit_rules_run(as_of=D(2024, 6, 1))
        state = list(CreditProposal.objects.values_list("rule_key", "status"))
        second = credit_rules_run(as_of=D(2024, 6, 1))
        assert len(first.new) == 1 and second.new == []
        assert list(CreditProposal.objects.values_list("rule_key", "status")) == state
        p = proposal_of(missing_2023)
        assert p.status == ProposalStatus.SUGGESTED
        assert p.explanation == "未在2024-05-31前报送2023年度工作报告"

    def test_suggestion_no_longer_valid_becomes_obsolete(self):
        org = OrganizationFactory()
        SpecialLetterFactory(organization=org, sent_on=D(2024, 3, 1))
        late = SpecialLetterFactory(organization=org, sent_on=D(2024, 4, 1))
        credit_rules_run(as_of=D(2024, 5, 1))
        assert proposal_of(org).status == ProposalStatus.SUGGESTED
        SpecialLetterFactory(organization=org, sent_on=D(2024, 4, 20), signed_for=True)
        result = credit_rules_run(as_of=D(2024, 5, 2))
        assert result.obsoleted == 1
        assert proposal_of(org).status == ProposalStatus.OBSOLETE
        assert late.pk  # the pair's key names both letters

    def test_obsolete_suggestions_that_hold_again_are_revived_in_one_update(self, missing_2023):
        other = OrganizationFactory(established_on=D(2018, 1, 1))
        credit_rules_run(as_of=D(2024, 6, 1))
        # As an earlier run leaves them when their cause was gone for a while.
        CreditProposal.objects.update(status=ProposalStatus.OBSOLETE, explanation="旧理由")
        with CaptureQueriesContext(connection) as queries:
            result = credit_rules_run(as_of=D(2024, 6, 5))
        table = CreditProposal._meta.db_table
        updates = [q for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]
        assert len(updates) == 1
        assert result.revived == 2 and result.new == []
        for org in (missing_2023, other):
            p = proposal_of(org)
            assert (p.status, p.as_of) == (ProposalStatus.SUGGESTED, D(2024, 6, 5))
            assert p.explanation == "未在2024-05-31前报送2023年度工作报告"
            assert p.evidence["rule"] == "R-CRD-02(1)"

    def test_decided_cause_is_not_proposed_again(self, missing_2023):
        credit_rules_run(as_of=D(2024, 6, 1))
        propose_and_approve(proposal_of(missing_2023), D(2024, 6, 3))
        result = credit_rules_run(as_of=D(2024, 6, 4))
        assert [c for c in result.candidates if c.action == DecisionAction.LIST] == []

    def test_rejected_cause_is_not_proposed_again(self, missing_2023):
        credit_rules_run(as_of=D(2024, 6, 1))
        [clerk] = make_clerks(1)
        credit_proposal_reject(proposal=proposal_of(missing_2023), actor=clerk, reason="已核实免报")
        assert credit_rules_run(as_of=D(2024, 6, 2)).candidates == []


@pytest.mark.django_db
class TestFourEyes:
    def test_proposer_cannot_approve(self, missing_2023):
        credit_rules_run(as_of=D(2024, 6, 1))
        [a] = make_clerks(1)
        p = credit_proposal_propose(proposal=proposal_of(missing_2023), actor=a)
        with pytest.raises(ValidationError, match="双人审核"):
            credit_proposal_approve(proposal=p, actor=a, decided_on=D(2024, 6, 2))
        assert CreditListing.objects.count() == 0

    def test_must_be_proposed_before_approval(self, missing_2023):
        credit_rules_run(as_of=D(2024, 6, 1))
        [b] = make_clerks(1)
        with pytest.raises(ValidationError, match="须先提议"):
            credit_proposal_approve(
                proposal=proposal_of(missing_2023), actor=b, decided_on=D(2024, 6, 2)
            )

    def test_direct_listing_needs_two_people_and_a_fitting_ground(self):
        org = OrganizationFactory()
        [a] = make_clerks(1)
        with pytest.raises(ValidationError, match="双人审核"):
            credit_listing_create(
                organization=org,
                list_type=CreditList.ABNORMAL,
                ground=CreditGround.A2_PARTY_ORGANIZATION,
                facts="未建立党组织",
                decided_on=D(2024, 1, 1),
                proposed_by=a,
                approved_by=a,
            )
        with pytest.raises(ValidationError, match="列入依据与名录不符"):
            credit_listing_create(
                organization=org,
                list_type=CreditList.ABNORMAL,
                ground=CreditGround.S6_JUDGMENT_DEFAULTER,
                facts="失信被执行人",
                decided_on=D(2024, 1, 1),
                proposed_by=a,
                approved_by=make_clerks(1)[0],
            )

    def test_approval_rechecks_the_rule_on_the_decision_date(self, missing_2023):
        credit_rules_run(as_of=D(2024, 6, 1))
        p = proposal_of(missing_2023)
        a, b = make_clerks()
        credit_proposal_propose(proposal=p, actor=a)
        missing_2023.status = "deregistered"
        missing_2023.deregistered_on = D(2024, 6, 2)
        missing_2023.save()
        with pytest.raises(ValidationError, match="已不符合规则"):
            credit_proposal_approve(proposal=p, actor=b, decided_on=D(2024, 6, 3))


@pytest.mark.django_db
class TestDecisions:
    def test_approval_writes_the_listing_with_number_and_review_date(self, missing_2023):
        credit_rules_run(as_of=D(2024, 6, 1))
        p = propose_and_approve(proposal_of(missing_2023), D(2024, 6, 3))
        listing = p.listing
        assert p.status == ProposalStatus.APPROVED
        assert listing.decision_no == "福民信〔2024〕0001号"
        assert listing.authority == "深圳市福田区民政局"
        assert listing.ground == CreditGround.A1_ANNUAL_REPORT
        assert listing.review_due_on == D(2026, 6, 3)
        assert listing.facts == "未在2024-05-31前报送2023年度工作报告"
        assert listing.organization_name == missing_2023.name
        assert listing.approved_by != listing.proposed_by

    def test_numbers_sequential_per_year_from_the_pattern(self, settings):
        settings.CREDIT_DECISION_NO_PATTERN = "深福民信[{year}]第{seq}号"
        org = OrganizationFactory()
        first = make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2024, 1, 1))
        second = make_listing(org, CreditGround.A7_OTHER, D(2024, 2, 1))
        other_year = make_listing(org, CreditGround.A7_OTHER, D(2025, 2, 1))
        assert [first.decision_no, second.decision_no, other_year.decision_no] == [
            "深福民信[2024]第1号",
            "深福民信[2024]第2号",
            "深福民信[2025]第1号",
        ]

    def test_bulk_approval_one_number_per_organization(self):
        orgs = [OrganizationFactory() for _ in range(3)]
        for org in orgs:
            PenaltyFactory(organization=org, decided_on=D(2024, 3, 1))
        PenaltyFactory(organization=orgs[0], decided_on=D(2024, 3, 5))
        credit_rules_run(as_of=D(2024, 3, 10))
        a, b = make_clerks()
        proposals = list(CreditProposal.objects.filter(action=DecisionAction.LIST))
        # orgs[0]: two warnings → two abnormal listings and one serious (R-CRD-05(5)).
        assert len(proposals) == 5
        for p in proposals:
            credit_proposal_propose(proposal=p, actor=a)
        credit_proposals_approve_bulk(proposals=proposals, actor=b, decided_on=D(2024, 3, 11))
        numbers = {
            org.pk: sorted(
                CreditListing.objects.filter(organization=org).values_list("decision_no", flat=True)
            )
            for org in orgs
        }
        assert numbers[orgs[0].pk] == [
            "福民信〔2024〕0001号",
            "福民信〔2024〕0001号之三",
            "福民信〔2024〕0001号之二",
        ]
        assert numbers[orgs[1].pk] == ["福民信〔2024〕0002号"]
        assert numbers[orgs[2].pk] == ["福民信〔2024〕0003号"]

    def test_bulk_approval_is_all_or_nothing(self):
        orgs = [OrganizationFactory() for _ in range(2)]
        for org in orgs:
            PenaltyFactory(organization=org, decided_on=D(2024, 3, 1))
        credit_rules_run(as_of=D(2024, 3, 10))
        a, b = make_clerks()
        first, second = CreditProposal.objects.order_by("pk")
        credit_proposal_propose(proposal=first, actor=a)  # the second is only suggested
        with pytest.raises(ValidationError, match="须先提议"):
            credit_proposals_approve_bulk(proposals=[first, second], actor=b)
        assert CreditListing.objects.count() == 0
        first.refresh_from_db()
        assert first.status == ProposalStatus.PROPOSED

    def test_escalation_twice_gives_the_same_state(self):
        org = OrganizationFactory()
        abnormal = make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2022, 3, 15))
        credit_rules_run(as_of=D(2024, 3, 15))
        credit_rules_run(as_of=D(2024, 3, 15))
        p = proposal_of(org, DecisionAction.ESCALATE)
        p = propose_and_approve(p, D(2024, 3, 15))
        assert p.listing.ground == CreditGround.S1_ABNORMAL_TWO_YEARS
        assert p.listing.action == DecisionAction.ESCALATE
        assert p.listing.list_type == CreditList.SERIOUS
        assert p.removal.ground == RemovalGround.ESCALATED
        assert list(p.removal.listings.all()) == [abnormal]
        assert p.removal.decision_no == p.listing.decision_no
        assert credit_standing_of(organization=org, on=D(2024, 3, 15)) == CreditStanding.SERIOUS
        state = (CreditListing.objects.count(), CreditRemoval.objects.count())
        for _ in range(2):
            result = credit_rules_run(as_of=D(2024, 3, 16))
            assert [c for c in result.new if c.action == DecisionAction.ESCALATE] == []
        assert (CreditListing.objects.count(), CreditRemoval.objects.count()) == state

    def test_escalated_serious_listing_needs_obligations_fulfilled(self):
        annual_report_cycle_get(year=2021)
        org = OrganizationFactory()
        make_listing(
            org, CreditGround.A1_ANNUAL_REPORT, D(2022, 6, 15), evidence={"report_year": 2021}
        )
        credit_rules_run(as_of=D(2024, 6, 15))
        propose_and_approve(proposal_of(org, DecisionAction.ESCALATE), D(2024, 6, 15))
        result = credit_rules_run(as_of=D(2026, 6, 15))
        assert not [c for c in result.candidates if c.action == DecisionAction.REMOVE]
        AnnualReport.objects.create(organization=org, year=2021, submitted_on=D(2026, 6, 1))
        result = credit_rules_run(as_of=D(2026, 6, 15))
        [c] = [c for c in result.candidates if c.action == DecisionAction.REMOVE]
        assert c.ground == RemovalGround.SERIOUS_TWO_YEARS
        assert "2021年度工作报告已于2026-06-01报送" in c.explanation


@pytest.mark.django_db
class TestRemovalRules:
    def test_abnormal_removal_refused_before_six_months(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.A5_WARNING_OR_SMALL_FINE, D(2024, 1, 31))
        a, b = make_clerks()
        kwargs = dict(
            organization=org,
            list_type=CreditList.ABNORMAL,
            ground=RemovalGround.NOTHING_TO_RECTIFY,
            facts="列入满6个月",
            proposed_by=a,
            approved_by=b,
        )
        with pytest.raises(ValidationError, match="未满6个月"):
            credit_removal_create(decided_on=D(2024, 7, 30), **kwargs)
        removal = credit_removal_create(decided_on=D(2024, 7, 31), **kwargs)
        assert removal.listings.count() == 1

    def test_serious_removal_refused_before_two_years(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.S6_JUDGMENT_DEFAULTER, D(2022, 5, 10))
        a, b = make_clerks()
        kwargs = dict(
            organization=org,
            list_type=CreditList.SERIOUS,
            ground=RemovalGround.SERIOUS_TWO_YEARS,
            facts="申请移出",
            proposed_by=a,
            approved_by=b,
        )
        with pytest.raises(ValidationError, match="R-CRD-08"):
            credit_removal_create(decided_on=D(2024, 5, 9), **kwargs)
        credit_removal_create(decided_on=D(2024, 5, 10), **kwargs)
        assert credit_standing_of(organization=org, on=D(2024, 5, 10)) == CreditStanding.NONE

    def test_party_organization_listing_removed_on_staff_verification(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2024, 1, 1))
        a, b = make_clerks()
        credit_removal_create(
            organization=org,
            list_type=CreditList.ABNORMAL,
            ground=RemovalGround.RECTIFIED,
            facts="经核实已于2024-03-01成立党支部",
            decided_on=D(2024, 3, 5),
            proposed_by=a,
            approved_by=b,
        )
        assert credit_standing_of(organization=org, on=D(2024, 3, 5)) == CreditStanding.NONE

    def test_removal_by_rules_after_rectification(self, missing_2023):
        credit_rules_run(as_of=D(2024, 6, 1))
        propose_and_approve(proposal_of(missing_2023), D(2024, 6, 3))
        AnnualReport.objects.create(
            organization=missing_2023, year=2023, submitted_on=D(2024, 6, 20)
        )
        credit_rules_run(as_of=D(2024, 6, 21))
        p = propose_and_approve(proposal_of(missing_2023, DecisionAction.REMOVE), D(2024, 6, 21))
        assert p.removal.ground == RemovalGround.RECTIFIED
        assert p.removal.decision_no == "福民信〔2024〕0002号"
        assert credit_standing_of(organization=missing_2023, on=D(2024, 6, 21)) == "none"


@pytest.mark.django_db
def test_credit_standing_is_derived():
    org = OrganizationFactory()
    other = OrganizationFactory()
    assert credit_standing_of(organization=org, on=D(2024, 1, 1)) == CreditStanding.NONE
    make_listing(org, CreditGround.A7_OTHER, D(2024, 1, 1))
    make_listing(org, CreditGround.S6_JUDGMENT_DEFAULTER, D(2024, 2, 1))
    standings = dict(
        organizations_with_credit_standing(on=D(2024, 1, 15)).values_list("pk", "credit_standing")
    )
    assert standings[org.pk] == CreditStanding.ABNORMAL and standings[other.pk] == "none"
    assert credit_standing_of(organization=org, on=D(2024, 2, 1)) == CreditStanding.SERIOUS
    assert set(organizations_by_credit_standing("serious", on=D(2024, 2, 1))) == {org}
    assert set(organizations_by_credit_standing("abnormal", on=D(2024, 2, 1))) == set()
    assert set(organizations_by_credit_standing("none", on=D(2024, 2, 1))) == {other}
    assert set(organizations_by_credit_standing("abnormal", on=D(2024, 1, 31))) == {org}


@pytest.mark.django_db
def test_decisions_are_append_only_at_the_sql_level():
    listing = make_listing(OrganizationFactory(), CreditGround.A7_OTHER, D(2024, 1, 1))
    for sql in (
        "UPDATE oversight_creditlisting SET facts = 'x' WHERE id = %s",
        "DELETE FROM oversight_creditlisting WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [listing.pk])


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_give_the_same_proposals_as_one():
    annual_report_cycle_get(year=2023)
    for _ in range(30):
        OrganizationFactory(established_on=D(2018, 1, 1))
    expected = {c.rule_key for c in credit_rules_run(as_of=D(2024, 6, 1), dry_run=True).candidates}
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            credit_rules_run(as_of=D(2024, 6, 1))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert set(CreditProposal.objects.values_list("rule_key", flat=True)) == expected
    assert CreditProposal.objects.count() == 30


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_draw_distinct_numbers():
    orgs = [OrganizationFactory() for _ in range(4)]
    for org in orgs:
        PenaltyFactory(organization=org, decided_on=D(2024, 3, 1))
    credit_rules_run(as_of=D(2024, 3, 2))
    a, b = make_clerks()
    proposals = list(CreditProposal.objects.order_by("pk"))
    for p in proposals:
        credit_proposal_propose(proposal=p, actor=a)
    barrier = threading.Barrier(len(proposals))
    errors = []

    def worker(p):
        try:
            barrier.wait()
            credit_proposal_approve(proposal=p, actor=b, decided_on=D(2024, 3, 3))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(p,)) for p in proposals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(CreditListing.objects.values_list("decision_no", flat=True)) == [
        f"福民信〔2024〕{n:04d}号" for n in range(1, 5)
    ]


@pytest.mark.django_db
def test_command_dry_run_prints_and_writes_nothing(missing_2023):
    out = StringIO()
    call_command("run_credit_rules", "--as-of", "2024-06-01", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "未在2024-05-31前报送2023年度工作报告" in text
    assert missing_2023.uscc in text
    assert "R-CRD-02(1)" in text
    assert CreditProposal.objects.count() == 0
    call_command("run_credit_rules", "--as-of", "2024-06-01", stdout=StringIO())
    assert CreditProposal.objects.count() == 1


@pytest.mark.django_db
def test_task_runs_the_rules(missing_2023):
    result = run_credit_rules_task.apply(kwargs={"as_of": "2024-06-01"}).get()
    assert result["new"] == 1
    assert CreditProposal.objects.count() == 1
