"""The credit rules of DOMAIN.md §3, one test per ground, with the boundary days (the day before
the period completes and the day it does). Each test would fail if its rule broke."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from common.policy import LegalPeriod
from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.services import annual_report_cycle_get
from oversight.credit import rules
from oversight.credit.choices import (
    CreditGround,
    CreditList,
    DecisionAction,
    PenaltyKind,
    RemovalGround,
)
from oversight.credit.services import rules_evaluate_for
from registry.choices import LifecycleStatus
from tests.oversight.factories import (
    PenaltyFactory,
    RectificationInspectionFactory,
    SpecialLetterFactory,
    make_listing,
)
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def keys(candidates) -> set[str]:
    return {c.rule_key for c in candidates}


def of(candidates, org, action=None):
    return [
        c
        for c in candidates
        if c.organization_id == org.pk and (action is None or c.action == action)
    ]


# ------------------------------------------------------------------ R-CRD-02(1)


class TestMissingReport:
    """R-CRD-02(1): no sealed 2023 report filed by the bureau deadline 2024-05-31."""

    @pytest.fixture
    def org(self):
        annual_report_cycle_get(year=2023)
        return OrganizationFactory(established_on=D(2018, 1, 15))

    def test_not_a_candidate_on_the_deadline_day(self, org):
        assert rules.rule_missing_report(as_of=D(2024, 5, 31)) == []

    def test_candidate_the_day_after_the_deadline(self, org):
        [c] = rules.rule_missing_report(as_of=D(2024, 6, 1))
        assert c.organization_id == org.pk
        assert c.ground == CreditGround.A1_ANNUAL_REPORT
        assert c.list_type == CreditList.ABNORMAL
        assert c.rule_key == f"list:R-CRD-02(1):2023:{org.pk}"
        assert c.explanation == "未在2024-05-31前报送2023年度工作报告"

    def test_sealed_report_on_time_is_no_candidate(self, org):
        AnnualReport.objects.create(organization=org, year=2023, submitted_on=D(2024, 5, 31))
        assert rules.rule_missing_report(as_of=D(2024, 6, 1)) == []

    def test_late_report_is_a_candidate(self, org):
        AnnualReport.objects.create(organization=org, year=2023, submitted_on=D(2024, 6, 10))
        [c] = rules.rule_missing_report(as_of=D(2024, 6, 20))
        assert "2024-06-10逾期报送" in c.explanation

    def test_unsealed_report_is_a_candidate(self, org):
        AnnualReport.objects.create(
            organization=org, year=2023, submitted_on=D(2024, 3, 1), is_sealed=False
        )
        [c] = rules.rule_missing_report(as_of=D(2024, 6, 1))
        assert "未签字盖章" in c.explanation

    def test_deregistered_organization_is_skipped(self, org):
        org.status = LifecycleStatus.DEREGISTERED
        org.deregistered_on = D(2024, 6, 1)
        org.save()
        assert rules.rule_missing_report(as_of=D(2024, 6, 2)) == []


# ------------------------------------------------------------------ R-CRD-02(3)


class TestOverdueRectification:
    def test_boundary_and_verification(self):
        insp = RectificationInspectionFactory(rectification_deadline=D(2023, 12, 31))
        assert rules.rule_overdue_rectification(as_of=D(2023, 12, 31)) == []
        [c] = rules.rule_overdue_rectification(as_of=D(2024, 1, 1))
        assert c.ground == CreditGround.A3_RECTIFICATION
        assert c.evidence["inspection_id"] == insp.pk
        assert "整改期限2023-12-31已过" in c.explanation
        insp.rectification_verified_on = D(2023, 12, 20)
        insp.save()
        assert rules.rule_overdue_rectification(as_of=D(2024, 1, 1)) == []


# ------------------------------------------------------------------ R-CRD-02(6), R-CRD-03, D6


class TestUnreachable:
    def letters(self, gap_days, **second):
        org = OrganizationFactory()
        SpecialLetterFactory(organization=org, sent_on=D(2024, 3, 1))
        SpecialLetterFactory(
            organization=org, sent_on=D(2024, 3, 1) + datetime.timedelta(days=gap_days), **second
        )
        return org

    def test_interval_one_day_short_is_no_candidate(self, settings):
        LegalPeriod.objects.filter(key="CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS").update(value=15)
        self.letters(14)
        assert rules.rule_unreachable(as_of=D(2024, 6, 1)) == []

    def test_interval_exactly_the_minimum_is_a_candidate(self, settings):
        LegalPeriod.objects.filter(key="CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS").update(value=15)
        org = self.letters(15)
        [c] = rules.rule_unreachable(as_of=D(2024, 6, 1))
        assert c.organization_id == org.pk
        assert c.ground == CreditGround.A6_UNREACHABLE
        assert c.explanation.startswith("2024-03-01、2024-03-16寄出的两封专项信函均未签收")

    def test_interval_is_configurable(self, settings):
        LegalPeriod.objects.filter(key="CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS").update(value=30)
        self.letters(15)
        assert rules.rule_unreachable(as_of=D(2024, 6, 1)) == []

    def test_one_signed_letter_means_reachable(self):
        self.letters(20, signed_for=True)
        assert rules.rule_unreachable(as_of=D(2024, 6, 1)) == []

    def test_letter_not_yet_returned_proves_nothing(self):
        self.letters(20, returned_on=None)
        assert rules.rule_unreachable(as_of=D(2024, 6, 1)) == []


# ------------------------------------------------------------------ penalties


class TestPenalties:
    def test_warning_is_an_abnormal_candidate(self):
        p = PenaltyFactory(kind=PenaltyKind.WARNING, decided_on=D(2024, 3, 1))
        [c] = rules.rule_warning_or_small_fine(as_of=D(2024, 3, 2))
        assert (c.ground, c.list_type) == (CreditGround.A5_WARNING_OR_SMALL_FINE, "abnormal")
        assert c.evidence["penalty_id"] == p.pk
        assert rules.rule_serious_penalty(as_of=D(2024, 3, 2)) == []

    def test_fine_just_below_50000_is_abnormal_not_serious(self):
        PenaltyFactory(kind=PenaltyKind.FINE, amount=Decimal("49999.99"))
        assert [c.ground for c in rules.rule_warning_or_small_fine(as_of=D(2024, 3, 2))] == [
            CreditGround.A5_WARNING_OR_SMALL_FINE
        ]
        assert rules.rule_serious_penalty(as_of=D(2024, 3, 2)) == []

    def test_fine_of_50000_is_serious(self):
        PenaltyFactory(kind=PenaltyKind.FINE, amount=Decimal("50000.00"))
        assert rules.rule_warning_or_small_fine(as_of=D(2024, 3, 2)) == []
        [c] = rules.rule_serious_penalty(as_of=D(2024, 3, 2))
        assert (c.ground, c.list_type) == (CreditGround.S4_LARGE_FINE, "serious")
        assert "50,000.00元" in c.explanation

    def test_suspension_is_serious_3(self):
        PenaltyFactory(kind=PenaltyKind.SUSPENSION)
        [c] = rules.rule_serious_penalty(as_of=D(2024, 3, 2))
        assert c.ground == CreditGround.S3_SUSPENSION

    def test_certificate_revoked_is_serious_7_even_once_revoked(self):
        org = OrganizationFactory(status=LifecycleStatus.REVOKED, revoked_on=D(2024, 3, 1))
        PenaltyFactory(organization=org, kind=PenaltyKind.CERTIFICATE_REVOKED)
        [c] = rules.rule_serious_penalty(as_of=D(2024, 3, 2))
        assert c.ground == CreditGround.S7_CERTIFICATE_REVOKED

    @pytest.mark.parametrize(
        ("second", "expected"),
        [(D(2024, 1, 31), True), (D(2024, 2, 1), False)],
        ids=["second-on-last-day-of-window", "second-the-day-after"],
    )
    def test_two_small_penalties_within_three_years(self, second, expected):
        org = OrganizationFactory()
        PenaltyFactory(organization=org, decided_on=D(2021, 2, 1))
        PenaltyFactory(
            organization=org, kind=PenaltyKind.FINE, amount=Decimal("1000"), decided_on=second
        )
        found = rules.rule_repeated_penalties(as_of=D(2024, 2, 2))
        assert bool(found) is expected
        if expected:
            [c] = found
            assert c.ground == CreditGround.S5_REPEATED_PENALTIES
            assert c.explanation.startswith("2021-02-01至2024-01-31期间受到2次警告或罚款：")

    def test_a_third_penalty_is_a_new_event(self):
        org = OrganizationFactory()
        PenaltyFactory(organization=org, decided_on=D(2022, 1, 1))
        p2 = PenaltyFactory(organization=org, decided_on=D(2023, 1, 1))
        [c] = rules.rule_repeated_penalties(as_of=D(2023, 6, 1))
        assert c.evidence["penalty_id"] == p2.pk
        p3 = PenaltyFactory(organization=org, decided_on=D(2023, 7, 1))
        [c] = rules.rule_repeated_penalties(as_of=D(2023, 8, 1))
        assert c.evidence["penalty_id"] == p3.pk and len(c.evidence["penalties"]) == 3


# ------------------------------------------------------------------ escalation (R-CRD-05(1), R-CRD-06)


class TestEscalation:
    def test_due_on_the_day_two_full_years_complete(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2022, 3, 15))
        assert rules.rule_escalation(as_of=D(2024, 3, 14)) == []
        [c] = rules.rule_escalation(as_of=D(2024, 3, 15))
        assert c.action == DecisionAction.ESCALATE
        assert c.ground == CreditGround.S1_ABNORMAL_TWO_YEARS
        assert c.rule_key == f"escalate:{org.pk}:2022-03-15"
        assert "满2年" in c.explanation

    def test_new_event_restarts_the_clock(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2022, 3, 15))
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2023, 3, 15))
        assert rules.rule_escalation(as_of=D(2024, 3, 15)) == []
        assert rules.rule_escalation(as_of=D(2025, 3, 14)) == []
        [c] = rules.rule_escalation(as_of=D(2025, 3, 15))
        assert c.evidence["clock_start"] == "2023-03-15"
        assert len(c.evidence["listing_ids"]) == 2

    def test_period_is_configurable(self, settings):
        LegalPeriod.objects.filter(key="CREDIT_ESCALATION_YEARS").update(value=3)
        org = OrganizationFactory()
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2022, 3, 15))
        assert rules.rule_escalation(as_of=D(2024, 3, 15)) == []
        assert of(rules.rule_escalation(as_of=D(2025, 3, 15)), org)


# ------------------------------------------------------------------ removal (R-CRD-07/08)


class TestAbnormalRemoval:
    def test_rectified_when_the_overdue_report_is_filed(self):
        annual_report_cycle_get(year=2023)
        org = OrganizationFactory()
        make_listing(
            org, CreditGround.A1_ANNUAL_REPORT, D(2024, 6, 15), evidence={"report_year": 2023}
        )
        assert rules.rule_abnormal_removal(as_of=D(2024, 7, 1)) == []
        AnnualReport.objects.create(organization=org, year=2023, submitted_on=D(2024, 7, 2))
        assert rules.rule_abnormal_removal(as_of=D(2024, 7, 1)) == []
        [c] = rules.rule_abnormal_removal(as_of=D(2024, 7, 2))
        assert c.ground == RemovalGround.RECTIFIED
        assert "2023年度工作报告已于2024-07-02报送" in c.explanation

    def test_rectified_when_the_inspection_is_verified(self):
        insp = RectificationInspectionFactory()
        make_listing(
            insp.organization,
            CreditGround.A3_RECTIFICATION,
            D(2024, 1, 10),
            evidence={"inspection_id": insp.pk},
        )
        assert rules.rule_abnormal_removal(as_of=D(2024, 2, 1)) == []
        insp.rectification_verified_on = D(2024, 2, 1)
        insp.save()
        [c] = rules.rule_abnormal_removal(as_of=D(2024, 2, 1))
        assert c.ground == RemovalGround.RECTIFIED

    def test_nothing_to_rectify_six_months_after_listing(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.A5_WARNING_OR_SMALL_FINE, D(2024, 1, 31))
        assert rules.rule_abnormal_removal(as_of=D(2024, 7, 30)) == []
        [c] = rules.rule_abnormal_removal(as_of=D(2024, 7, 31))
        assert c.ground == RemovalGround.NOTHING_TO_RECTIFY

    def test_six_months_clamped_to_month_end(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.A7_OTHER, D(2023, 8, 31))
        assert rules.rule_abnormal_removal(as_of=D(2024, 2, 28)) == []
        assert rules.rule_abnormal_removal(as_of=D(2024, 2, 29))

    def test_grounds_needing_rectification_never_auto_removed(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2020, 1, 1))
        assert rules.rule_abnormal_removal(as_of=D(2024, 1, 1)) == []

    def test_every_active_listing_must_be_removable(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.A5_WARNING_OR_SMALL_FINE, D(2024, 1, 1))
        make_listing(org, CreditGround.A5_WARNING_OR_SMALL_FINE, D(2024, 3, 1))
        assert rules.rule_abnormal_removal(as_of=D(2024, 8, 31)) == []
        [c] = rules.rule_abnormal_removal(as_of=D(2024, 9, 1))
        assert len(c.evidence["listing_ids"]) == 2


class TestSeriousRemoval:
    def test_two_full_years_boundary(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.S6_JUDGMENT_DEFAULTER, D(2022, 5, 10))
        assert rules.rule_serious_removal(as_of=D(2024, 5, 9)) == []
        [c] = rules.rule_serious_removal(as_of=D(2024, 5, 10))
        assert c.ground == RemovalGround.SERIOUS_TWO_YEARS
        assert c.action == DecisionAction.REMOVE

    def test_not_after_a_new_event_in_the_period(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.S6_JUDGMENT_DEFAULTER, D(2022, 5, 10))
        PenaltyFactory(organization=org, decided_on=D(2023, 5, 10))
        assert rules.rule_serious_removal(as_of=D(2024, 5, 10)) == []

    def test_not_after_a_new_abnormal_listing_in_the_period(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.S6_JUDGMENT_DEFAULTER, D(2022, 5, 10))
        make_listing(org, CreditGround.A2_PARTY_ORGANIZATION, D(2023, 1, 10))
        assert rules.rule_serious_removal(as_of=D(2024, 5, 10)) == []

    def test_not_while_a_new_event_is_pending(self):
        annual_report_cycle_get(year=2023)
        org = OrganizationFactory()
        make_listing(org, CreditGround.S6_JUDGMENT_DEFAULTER, D(2022, 5, 10))
        candidates = rules_evaluate_for(as_of=D(2024, 6, 1))
        assert of(candidates, org, DecisionAction.LIST)  # the missing 2023 report
        assert not of(candidates, org, DecisionAction.REMOVE)

    def test_certificate_revoked_only_after_deregistration(self):
        org = OrganizationFactory()
        make_listing(org, CreditGround.S7_CERTIFICATE_REVOKED, D(2020, 5, 10))
        assert rules.rule_serious_removal(as_of=D(2024, 5, 10)) == []
        org.status = LifecycleStatus.DEREGISTERED
        org.deregistered_on = D(2024, 6, 1)
        org.save()
        assert rules.rule_serious_removal(as_of=D(2024, 5, 31)) == []
        [c] = rules.rule_serious_removal(as_of=D(2024, 6, 1))
        assert c.ground == RemovalGround.DEREGISTERED

    def test_no_five_year_rule(self):
        """R-CRD-09: nothing happens by itself after five years."""
        org = OrganizationFactory()
        make_listing(org, CreditGround.S7_CERTIFICATE_REVOKED, D(2015, 1, 1))
        assert rules.rule_serious_removal(as_of=D(2024, 1, 1)) == []


def test_review_due_on_per_ground():
    assert rules.review_due_on(
        list_type="abnormal", ground=CreditGround.A1_ANNUAL_REPORT, decided_on=D(2024, 2, 29)
    ) == D(2026, 2, 28)
    assert rules.review_due_on(
        list_type="abnormal", ground=CreditGround.A5_WARNING_OR_SMALL_FINE, decided_on=D(2024, 1, 1)
    ) == D(2024, 7, 1)
    assert rules.review_due_on(
        list_type="serious", ground=CreditGround.S4_LARGE_FINE, decided_on=D(2024, 1, 1)
    ) == D(2026, 1, 1)
