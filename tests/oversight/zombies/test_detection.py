"""僵尸型社会组织 (DOMAIN.md §5, D7): each criterion of R-ZMB-01 with the day before and the
day its period completes, the evidence, idempotent and concurrent detection, the case
workflow of R-ZMB-02 with its effect on the register (incl. the D11 guard), progress per
unit and the monthly circulars."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from common.policy import LegalPeriod
from oversight.annual_reports.models import AnnualReportCycle
from oversight.credit.choices import CreditGround
from oversight.zombies.choices import ZombieStage
from oversight.zombies.detection import zombie_detect
from oversight.zombies.models import ZombieFlag
from oversight.zombies.periods import report_years_due
from registry.choices import OrganizationType
from registry.services import organization_transition
from tests.oversight.factories import AuditFactory, ZombieCaseFactory
from tests.oversight.zombies.helpers import (
    C1,
    C2,
    C3,
    C4,
    D,
    by_criterion,
    criteria_on,
    detect,
    letter,
    listing,
    org,
    remove,
    report,
    reports,
)
from tests.registry.factories import decision_fields

pytestmark = pytest.mark.django_db

# ------------------------------------------------------------------ reference periods


def test_report_years_due_move_the_day_after_the_bureau_deadline():
    """R-ANN-01: the 2022 reports are due by 2023-05-31; missing only from 2023-06-01."""
    assert [y.year for y in report_years_due(as_of=D(2023, 5, 31), count=2)] == [
        2020,
        2021,
    ]
    assert [y.year for y in report_years_due(as_of=D(2023, 6, 1), count=2)] == [
        2021,
        2022,
    ]


def test_report_years_due_follow_an_extended_cycle_deadline():
    AnnualReportCycle.objects.create(
        year=2022,
        supervisor_deadline=D(2023, 4, 30),
        bureau_deadline=D(2023, 6, 30),
        exemption_cutoff=D(2022, 7, 1),
    )
    assert [y.year for y in report_years_due(as_of=D(2023, 6, 30), count=2)] == [
        2020,
        2021,
    ]
    assert [y.year for y in report_years_due(as_of=D(2023, 7, 1), count=2)] == [
        2021,
        2022,
    ]


# ------------------------------------------------------------------ R-ZMB-01(1)


class TestMissedReports:
    """R-ZMB-01(1): no sealed report by the bureau deadline for two consecutive years."""

    def test_two_consecutive_missing_years_flag_on_the_day_after_the_second_deadline(self):
        o = org()
        reports(o, [2018, 2019, 2020])  # 2021 and 2022 missing
        assert criteria_on(o, D(2023, 5, 31)) == []  # the day before: 2022 not yet missing
        flag = detect(D(2023, 6, 1))[o.pk]
        assert flag.criteria == [C1]
        assert by_criterion(flag) == {
            C1: {"years": [2021, 2022], "deadlines": ["2022-05-31", "2023-05-31"]}
        }

    def test_one_missing_year_is_not_enough(self):
        o = org()
        reports(o, [2018, 2019, 2020, 2022])  # only 2021 missing
        assert criteria_on(o, D(2023, 6, 1)) == []

    def test_a_late_or_unsealed_report_counts_as_missing(self):
        """R-ANN-06: unsealed is not submitted as required; after the deadline is late."""
        late, unsealed = org(), org()
        reports(late, [2019, 2020])
        report(late, 2021, submitted_on=D(2022, 6, 1))  # one day late
        reports(unsealed, [2019, 2020])
        report(unsealed, 2021, sealed=False)
        flags = detect(D(2023, 6, 1))
        assert flags[late.pk].criteria == [C1]
        assert flags[unsealed.pk].criteria == [C1]

    def test_a_report_filed_on_the_deadline_is_on_time(self):
        o = org()
        reports(o, [2019, 2020])
        report(o, 2021, submitted_on=D(2022, 5, 31))
        assert criteria_on(o, D(2023, 6, 1)) == []

    def test_only_years_the_organization_owed(self):
        """Owing follows organizations_owing_report: established by 31 December; a 民非
        established on or after 1 July is exempt that year (R-ANN-02)."""
        social_group = org(established_on=D(2021, 12, 31))  # owes 2021 and 2022
        exempt_pne = org(
            org_type=OrganizationType.PRIVATE_NON_ENTERPRISE, established_on=D(2021, 7, 1)
        )  # exempt for 2021: owes 2022 only
        owing_pne = org(
            org_type=OrganizationType.PRIVATE_NON_ENTERPRISE, established_on=D(2021, 6, 30)
        )
        flags = detect(D(2023, 6, 1))
        assert C1 in flags[social_group.pk].criteria
        assert C1 not in flags.get(exempt_pne.pk, ZombieFlag(criteria=[])).criteria
        assert C1 in flags[owing_pne.pk].criteria


# ------------------------------------------------------------------ R-ZMB-01(2)


class TestNoActivityAfterRegistration:
    """R-ZMB-01(2)/R-ORG-10, D14: 12 months after the certificate with no activity reported,
    judged only once the first annual report has fallen due (a reporting period has ended)."""

    def test_flags_the_day_after_the_first_reports_deadline_not_after_twelve_months(self):
        # D14: established 2022-03-15, twelve months complete on 2023-03-15, but the 2022
        # report is due 2023-05-31: nothing to judge by before 2023-06-01.
        o = org(established_on=D(2022, 3, 15))
        assert criteria_on(o, D(2023, 3, 15)) == []
        assert criteria_on(o, D(2023, 5, 31)) == []
        flag = detect(D(2023, 6, 1))[o.pk]
        assert flag.criteria == [C2]
        assert by_criterion(flag) == {
            C2: {"established_on": "2022-03-15", "months": 12, "report_due": 2022}
        }

    def test_twelve_months_still_needed_after_the_deadline(self):
        # Owes the 2020 report (before the 民非 cut-off), due 2021-05-31; the twelve months
        # complete only on 2021-06-30.
        o = org(established_on=D(2020, 6, 30), org_type=OrganizationType.PRIVATE_NON_ENTERPRISE)
        assert criteria_on(o, D(2021, 6, 29)) == []
        assert criteria_on(o, D(2021, 6, 30)) == [C2]

    def test_a_pne_founded_after_the_cutoff_is_judged_on_its_first_owed_report(self):
        # The demo's case: 民非 founded in July 2020 are exempt from the 2020 report
        # (R-ANN-02), so their first report is 2021's, due 2022-05-31.
        o = org(established_on=D(2020, 7, 15), org_type=OrganizationType.PRIVATE_NON_ENTERPRISE)
        assert criteria_on(o, D(2021, 9, 1)) == []
        assert criteria_on(o, D(2022, 5, 31)) == []
        report(o, 2021, activities=19, submitted_on=D(2022, 3, 1))
        assert criteria_on(o, D(2022, 6, 1)) == []

    def test_a_sealed_report_with_activity_clears_it(self):
        o = org(established_on=D(2022, 3, 15))
        report(o, 2022, activities=3, submitted_on=D(2023, 2, 1))
        assert criteria_on(o, D(2023, 6, 1)) == []

    def test_reports_showing_no_activity_or_unsealed_do_not(self):
        zero, unsealed = org(established_on=D(2022, 3, 15)), org(established_on=D(2022, 3, 15))
        report(zero, 2022, activities=0, submitted_on=D(2023, 2, 1))
        report(unsealed, 2022, activities=3, submitted_on=D(2023, 2, 1), sealed=False)
        flags = detect(D(2023, 6, 1))
        assert flags[zero.pk].criteria == [C2]
        assert C2 in flags[unsealed.pk].criteria

    def test_a_report_filed_after_the_detection_date_is_not_known_yet(self):
        o = org(established_on=D(2022, 3, 15))
        report(o, 2022, activities=3, submitted_on=D(2023, 6, 2))
        assert C2 in criteria_on(o, D(2023, 6, 1))

    def test_activity_in_an_old_year_outside_the_recent_reports_counts(self):
        """The detection reads recent years in one pass and older ones per candidate only:
        an activity reported long ago still means the organization did act."""
        o = org(established_on=D(2010, 1, 1))
        report(o, 2011, activities=2)
        assert criteria_on(o, D(2023, 6, 1)) == [C1]


# ------------------------------------------------------------------ R-ZMB-01(3)


class TestNoBusiness:
    """R-ZMB-01(3): the reports of the last two report years show no activity."""

    def test_flags_when_the_second_zero_year_becomes_the_reference_period(self):
        o = org()
        report(o, 2020, activities=4)
        report(o, 2021, activities=0)
        report(o, 2022, activities=0)
        assert criteria_on(o, D(2023, 5, 31)) == []  # period 2020–2021: 2020 had activity
        flag = detect(D(2023, 6, 1))[o.pk]
        assert flag.criteria == [C3]
        assert by_criterion(flag) == {
            C3: {
                "years": [
                    {"year": 2021, "activities_held": 0},
                    {"year": 2022, "activities_held": 0},
                ]
            }
        }

    def test_one_zero_year_and_one_missing_year(self):
        o = org()
        report(o, 2020, activities=4)
        report(o, 2021, activities=0)
        flag = detect(D(2023, 6, 1))[o.pk]
        assert flag.criteria == [C3]
        assert flag.evidence[C3]["years"] == [
            {"year": 2021, "activities_held": 0},
            {"year": 2022, "activities_held": None},
        ]

    def test_activity_in_one_year_of_the_period_clears_it(self):
        o = org()
        report(o, 2021, activities=0)
        report(o, 2022, activities=1)
        assert criteria_on(o, D(2023, 6, 1)) == []

    def test_an_organization_that_did_not_owe_both_years_is_not_judged(self):
        o = org(established_on=D(2022, 2, 1))  # owes 2022 only
        report(o, 2022, activities=0, submitted_on=D(2023, 3, 1))
        assert C3 not in criteria_on(o, D(2023, 6, 1))


# ------------------------------------------------------------------ R-ZMB-01(4)


class TestUnreachable:
    """R-ZMB-01(4), R-CRD-03, D6: two unsigned letters ≥ 15 days apart, or the listing."""

    def active(self):
        o = org()
        reports(o, range(2015, 2023))
        return o

    def test_two_unsigned_letters_the_minimum_interval_apart(self):
        far, close = self.active(), self.active()
        letter(far, D(2022, 9, 1))
        letter(far, D(2022, 9, 16))  # 15 days
        letter(close, D(2022, 9, 1))
        letter(close, D(2022, 9, 15))  # 14 days
        flags = detect(D(2022, 10, 1))
        assert flags[far.pk].criteria == [C4]
        assert by_criterion(flags[far.pk]) == {
            C4: {
                "letters": {
                    "first_sent_on": "2022-09-01",
                    "last_sent_on": "2022-09-16",
                    "unsigned": 2,
                }
            }
        }
        assert close.pk not in flags

    def test_d15_a_letter_counts_only_once_its_return_is_recorded(self):
        o = self.active()
        letter(o, D(2022, 9, 1))
        last = letter(o, D(2022, 9, 16), returned_on=D(2022, 10, 3))
        assert criteria_on(o, D(2022, 10, 2)) == []  # the second one is not back yet
        assert criteria_on(o, D(2022, 10, 3)) == [C4]
        transit = self.active()
        letter(transit, D(2022, 9, 1))
        letter(transit, D(2022, 9, 16), in_transit=True)
        assert criteria_on(transit, D(2022, 12, 1)) == []
        assert last.returned_on == D(2022, 10, 3)

    def test_the_interval_setting_is_honoured(self, settings):
        LegalPeriod.objects.filter(key="CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS").update(value=30)
        o = self.active()
        letter(o, D(2022, 9, 1))
        letter(o, D(2022, 9, 16))
        assert criteria_on(o, D(2022, 10, 1)) == []

    def test_a_signed_letter_after_them_clears_it_one_before_does_not(self):
        cleared, still = self.active(), self.active()
        for o in (cleared, still):
            letter(o, D(2022, 9, 1))
            letter(o, D(2022, 9, 20))
        letter(cleared, D(2022, 9, 25), signed=True)
        letter(still, D(2022, 8, 1), signed=True)
        flags = detect(D(2022, 10, 1))
        assert cleared.pk not in flags
        assert flags[still.pk].criteria == [C4]

    def test_a_signed_letter_between_them_breaks_the_pair(self):
        o = self.active()
        letter(o, D(2022, 9, 1))
        letter(o, D(2022, 9, 10), signed=True)
        letter(o, D(2022, 9, 30))
        assert criteria_on(o, D(2022, 10, 1)) == []

    def test_letters_count_for_two_years(self):
        o = self.active()
        letter(o, D(2021, 2, 1))
        letter(o, D(2021, 3, 1))
        assert criteria_on(o, D(2023, 1, 31)) == [C4]
        assert criteria_on(o, D(2023, 2, 1)) == []  # the first letter is now out of the period

    def test_an_active_unreachable_listing(self):
        listed, removed, other_ground = self.active(), self.active(), self.active()
        item = listing(listed)
        remove(listing(removed), decided_on=D(2022, 9, 20))
        listing(other_ground, ground=CreditGround.A1_ANNUAL_REPORT)
        flags = detect(D(2022, 10, 1))
        assert by_criterion(flags[listed.pk]) == {
            C4: {"listing": {"decision_no": item.decision_no, "decided_on": "2022-09-01"}}
        }
        assert removed.pk not in flags
        assert other_ground.pk not in flags
        # before its removal the removed one was still listed
        assert C4 in criteria_on(removed, D(2022, 9, 19))


# ------------------------------------------------------------------ population, idempotency


def test_only_registered_organizations_without_an_open_case_are_candidates():
    deregistered = org(established_on=D(2022, 1, 1))
    AuditFactory(organization=deregistered, completed_on=D(2022, 12, 1))
    organization_transition(organization=deregistered, to="deregistering", on=D(2022, 12, 1))
    deregistering = org(established_on=D(2022, 1, 1))
    organization_transition(organization=deregistering, to="deregistering", on=D(2022, 12, 1))
    organization_transition(
        organization=deregistered, to="deregistered", on=D(2023, 1, 1), **decision_fields()
    )
    in_case, closed_case = org(established_on=D(2022, 1, 1)), org(established_on=D(2022, 1, 1))
    ZombieCaseFactory(organization=in_case, stage=ZombieStage.NOTIFIED)
    ZombieCaseFactory(organization=closed_case, stage=ZombieStage.RESTORED)
    later = org(established_on=D(2023, 6, 2))
    flags = detect(D(2023, 6, 1))
    assert deregistered.pk not in flags
    assert deregistering.pk in flags
    assert in_case.pk not in flags
    assert closed_case.pk in flags
    assert later.pk not in flags


def test_several_criteria_at_once_each_with_its_evidence():
    o = org(established_on=D(2020, 3, 1))  # never reported anything
    letter(o, D(2023, 1, 1))
    letter(o, D(2023, 2, 1))
    flag = detect(D(2023, 6, 1))[o.pk]
    assert flag.criteria == [C1, C2, C4]
    assert set(by_criterion(flag)) == {C1, C2, C4}


def _state(as_of):
    return sorted(
        ZombieFlag.objects.filter(as_of=as_of).values_list(
            "organization_id", "criteria", "evidence"
        )
    )


def _population():
    orgs = [org(established_on=D(2019, 1, 1)) for _ in range(6)]
    reports(orgs[0], [2019, 2020])  # (1)
    report(orgs[1], 2021, activities=0)  # (3)
    letter(orgs[2], D(2023, 1, 1))
    letter(orgs[2], D(2023, 3, 1))  # (2)(1)(4)
    reports(orgs[3], range(2019, 2023))  # nothing
    return orgs


def test_running_twice_leaves_the_same_flags_and_dry_run_writes_nothing():
    _population()
    dry = zombie_detect(as_of=D(2023, 6, 1), dry_run=True)
    assert not ZombieFlag.objects.exists()
    first = zombie_detect(as_of=D(2023, 6, 1))
    state = _state(D(2023, 6, 1))
    second = zombie_detect(as_of=D(2023, 6, 1))
    assert _state(D(2023, 6, 1)) == state
    assert (first.created, second.created) == (5, 0)
    assert dry.candidates == first.candidates == second.candidates == 5
    assert dry.by_criterion == first.by_criterion == second.by_criterion
    assert first.by_criterion[C4] == 1


def test_detection_is_one_statement():
    _population()
    with CaptureQueriesContext(connection) as ctx:
        zombie_detect(as_of=D(2023, 6, 1))
    statements = [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(
            ("SAVEPOINT", "RELEASE", "SELECT current_setting", "SELECT set_config")
        )
    ]
    assert len([q for q in statements if "INSERT" in q]) == 1
    # the legal periods, the cycles, the detection statement, the day's figures
    assert len(statements) == 4


def test_detection_works_with_other_reference_periods(settings):
    LegalPeriod.objects.filter(key="ZOMBIE_MISSED_REPORT_YEARS").update(value=3)
    LegalPeriod.objects.filter(key="ZOMBIE_NO_BUSINESS_YEARS").update(value=1)
    o = org()
    reports(o, [2019])  # 2020, 2021, 2022 missing
    p = org()
    reports(p, [2019, 2020, 2021])
    report(p, 2022, activities=0)
    flags = detect(D(2023, 6, 1))
    assert flags[o.pk].evidence[C1]["years"] == [2020, 2021, 2022]
    assert flags[p.pk].criteria == [C3]


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_leave_the_same_flags():
    _population()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait(timeout=10)
            zombie_detect(as_of=D(2023, 6, 1))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    concurrent = _state(D(2023, 6, 1))
    assert len(concurrent) == 5
    ZombieFlag.objects.all().delete()
    zombie_detect(as_of=D(2023, 6, 1))
    assert _state(D(2023, 6, 1)) == concurrent
