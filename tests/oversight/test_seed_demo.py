"""`seed_demo`'s oversight history: the seed letter's figures, the rules the services enforce,
realistic gaps and idempotence. Seeded once for the module (two runs), rolled back after."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from oversight.annual_reports.choices import AnnualReportStatus, ReviewResult
from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.annual_reports.selectors import organizations_owing_report
from oversight.demo_base import HORIZON
from oversight.inspections.choices import (
    AuditKind,
    DrawKind,
    DrawStatus,
    InspectionOutcome,
    InspectionStatus,
)
from oversight.inspections.demo_records import JOINT_TITLE
from oversight.inspections.draw_publication import inspection_draw_verify
from oversight.inspections.models import (
    Audit,
    Circular,
    Inspection,
    InspectionAssignment,
    InspectionDraw,
    Inspector,
    InspectorConflict,
    Interview,
    JointInspection,
)
from oversight.inspections.selectors import inspections_overdue_rectification
from oversight.inspections.services import liquidation_audit_guard
from oversight.zombies import demo as zombies_demo
from oversight.zombies.choices import ZombieCriterion, ZombieStage
from oversight.zombies.models import ZombieCase, ZombieFlag
from registry.choices import LifecycleStatus
from registry.models import Organization

pytestmark = pytest.mark.django_db
C4 = ZombieCriterion.UNREACHABLE.value

MODELS = (
    AnnualReportCycle,
    AnnualReport,
    Inspector,
    InspectorConflict,
    InspectionDraw,
    Inspection,
    InspectionAssignment,
    Audit,
    JointInspection,
    Interview,
    Circular,
)


def counts() -> dict[str, int]:
    result = {m.__name__: m.objects.count() for m in MODELS}
    for model in MODELS:
        if hasattr(model, "history"):
            result[f"{model.__name__} history"] = model.history.count()
    return result


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed twice inside one transaction for the whole module, undone at its end, so the
    other modules still start from an empty database."""
    with django_db_blocker.unblock(), transaction.atomic():
        first_out = io.StringIO()
        call_command("seed_demo", stdout=first_out)
        first = counts()
        second_out = io.StringIO()
        call_command("seed_demo", stdout=second_out)
        yield {
            "first": first,
            "second": counts(),
            "first_out": first_out.getvalue(),
            "second_out": second_out.getvalue(),
        }
        transaction.set_rollback(True)


def draw(kind: str, year: int) -> InspectionDraw:
    return InspectionDraw.objects.get(kind=kind, year=year, round=1)


@pytest.mark.parametrize(
    ("kind", "year", "n", "k"),
    [
        (DrawKind.ANNUAL_REPORT_AUDIT, 2021, 811, 81),
        (DrawKind.ANNUAL_REPORT_AUDIT, 2022, 766, 77),
        (DrawKind.SPECIAL_INSPECTION, 2021, 811, 30),
        (DrawKind.SPECIAL_INSPECTION, 2022, 766, 33),
    ],
)
def test_draws_have_the_seed_letters_figures_and_verify(seeded, kind, year, n, k):
    d = draw(kind, year)
    assert (d.population_size, d.sample_size, d.status) == (n, k, DrawStatus.EXECUTED)
    assert d.population_as_of == datetime.date(year, 6, 1)
    assert d.inspections.count() == k
    per_inspection = Counter(
        InspectionAssignment.objects.filter(inspection__draw=d).values_list(
            "inspection_id", flat=True
        )
    )
    assert len(per_inspection) == k and min(per_inspection.values()) >= 2  # R-INS-04
    assert inspection_draw_verify(draw=d) == []
    # Dated like the rest of the demo, not on the day the seed ran.
    assert d.created_at.date() == d.population_as_of
    assert d.population_as_of < d.executed_at.date() <= HORIZON


def test_annual_report_audit_is_labelled_by_the_year_it_was_drawn(seeded):
    assert "2020年度工作报告" in draw(DrawKind.ANNUAL_REPORT_AUDIT, 2021).population_rule
    assert "2021年度工作报告" in draw(DrawKind.ANNUAL_REPORT_AUDIT, 2022).population_rule


def test_inspections_moved_along_by_the_services_up_to_the_demo_day(seeded):
    done_2021 = Inspection.objects.filter(draw__year=2021)
    assert done_2021.count() == 111
    assert done_2021.filter(status=InspectionStatus.COMPLETED).count() == 111
    assert done_2021.filter(published_on__isnull=True).count() == 0
    outcomes = Counter(done_2021.values_list("outcome", flat=True))
    assert outcomes[InspectionOutcome.COMPLIANT] > 111 / 2
    assert outcomes[InspectionOutcome.RECTIFICATION_REQUIRED] >= 2
    rectify = done_2021.filter(outcome=InspectionOutcome.RECTIFICATION_REQUIRED)
    assert not rectify.filter(rectification_deadline__isnull=True).exists()
    assert rectify.filter(rectification_verified_on__isnull=False).exists()
    # At least one overdue finding per 2021 draw: abnormal-list candidates (R-CRD-02(3)).
    overdue = inspections_overdue_rectification(as_of=HORIZON)
    assert set(overdue.values_list("draw__kind", flat=True)) >= {
        DrawKind.ANNUAL_REPORT_AUDIT,
        DrawKind.SPECIAL_INSPECTION,
    }
    # 2022: drawn in June, still under way on the demo's day.
    statuses = Counter(Inspection.objects.filter(draw__year=2022).values_list("status", flat=True))
    assert statuses[InspectionStatus.PENDING] > statuses[InspectionStatus.COMPLETED]
    late = (
        Q(started_on__gt=HORIZON)
        | Q(completed_on__gt=HORIZON)
        | Q(published_on__gt=HORIZON)
        | Q(rectification_verified_on__gt=HORIZON)
    )
    assert not Inspection.objects.filter(late).exists()
    # Each step went through the services, each leaving a history row.
    assert Inspection.history.filter(history_type="~").count() >= 111 * 3


def test_2021_has_94_departure_and_liquidation_audits(seeded):
    in_2021 = Audit.objects.filter(
        kind__in=(AuditKind.DEPARTURE, AuditKind.LIQUIDATION),
        commissioned_on__year=2021,
    )
    assert in_2021.count() == 94
    assert in_2021.filter(kind=AuditKind.DEPARTURE).exists()
    assert not in_2021.filter(kind=AuditKind.DEPARTURE, subject_person="").exists()
    assert Audit.objects.filter(kind=AuditKind.FINANCIAL_SPECIAL).exists()


def test_every_deregistration_has_a_liquidation_audit_reported_before_it(seeded):
    deregistered = Organization.objects.filter(status=LifecycleStatus.DEREGISTERED)
    assert deregistered.count() > 100
    for org in deregistered:
        # The D11 guard the lifecycle service applies would have let it through.
        assert liquidation_audit_guard(org, "deregistered", org.deregistered_on) is None
    # After the register's day only the zombie cleanup's liquidations (D13: the audit runs
    # after the deregistration began, which for those is in July 2022).
    late = Audit.objects.filter(kind=AuditKind.LIQUIDATION, completed_on__gt=HORIZON)
    assert late.exists()
    assert not late.filter(organization__zombie_cases__isnull=True).exists()


def test_joint_inspection_covers_eleven_education_organizations(seeded):
    joint = JointInspection.objects.get(title=JOINT_TITLE)
    assert joint.held_on.year == 2021
    orgs = joint.organizations.all()
    assert orgs.count() == 11
    assert set(orgs.values_list("industry_category__name", flat=True)) == {"教育"}
    assert set(orgs.values_list("supervising_unit__name", flat=True)) == {"福田区教育局"}
    assert not orgs.exclude(established_on__lte=joint.held_on).exists()
    assert joint.departments.filter(name="福田区教育局").exists()


def test_reports_follow_who_owes_them_with_realistic_gaps(seeded):
    reports = AnnualReport.objects.all()
    assert set(reports.values_list("year", flat=True)) == set(range(2015, 2022))
    assert not reports.values("organization", "year").annotate(n=Count("id")).filter(n__gt=1)
    assert not reports.filter(year__lt=ExtractYear("organization__established_on")).exists()
    for year in range(2015, 2022):
        cycle = AnnualReportCycle.objects.get(year=year)
        owing = organizations_owing_report(cycle=cycle)
        filed = reports.filter(year=year)
        # Only organizations that owed one filed (no report before establishment, none from
        # a 民非 exempt in its first half year, R-ANN-02) …
        assert not filed.exclude(organization__in=owing).exists()
        # … and a few per cent of them never did.
        missing = owing.count() - filed.count()
        assert 0.01 * owing.count() < missing < 0.12 * owing.count(), year
    # Zombie-like: on the register today, no report for 2020 nor 2021 (R-ZMB-01).
    silent = (
        Organization.objects.registered_on(HORIZON)
        .filter(established_on__lt=datetime.date(2019, 1, 1))
        .exclude(annual_reports__year=2020)
        .exclude(annual_reports__year=2021)
    )
    assert silent.count() >= 10
    assert reports.filter(submitted_on__gt=datetime.date(2022, 5, 31), year=2021).exists()
    assert reports.filter(is_sealed=False).exists()


def test_report_workflow_follows_the_services_rules(seeded):
    reports = AnnualReport.objects.all()
    # No supervising unit: straight to the bureau, never an opinion (R-ORG-03).
    direct = reports.filter(organization__supervising_unit__isnull=True)
    assert direct.exists()
    assert not direct.exclude(supervisor_opinion="").exists()
    assert not direct.filter(status=AnnualReportStatus.AWAITING_OPINION).exists()
    # With one: reviewed only after the unit's opinion (R-ANN-01).
    supervised = reports.filter(organization__supervising_unit__isnull=False)
    assert not supervised.filter(status=AnnualReportStatus.REVIEWED, supervisor_opinion="").exists()
    # 年检 gives a conclusion to every reviewed report (R-ANN-07), mostly 合格.
    reviewed = reports.filter(status=AnnualReportStatus.REVIEWED)
    assert not reviewed.filter(result="").exists()
    results = Counter(reviewed.values_list("result", flat=True))
    assert results[ReviewResult.PASSED] > 0.75 * reviewed.count()
    assert results[ReviewResult.BASICALLY_PASSED] and results[ReviewResult.FAILED]
    # Everything of 2015–2020 is reviewed; part of 2021 still waits on the demo's day.
    assert not reports.filter(year__lt=2021).exclude(status=AnnualReportStatus.REVIEWED).exists()
    assert reports.filter(year=2021).exclude(status=AnnualReportStatus.REVIEWED).exists()
    assert not reports.filter(Q(submitted_on__gt=HORIZON) | Q(reviewed_on__gt=HORIZON)).exists()
    # History: one row per workflow step, the first with the initial status.
    first = AnnualReport.history.filter(history_type="+")
    assert first.count() == reports.count()
    assert not first.filter(status=AnnualReportStatus.REVIEWED).exists()


def test_inspectors_conflicts_interviews_and_circulars(seeded):
    assert Inspector.objects.filter(code__startswith="FT-I").count() == 24
    conflicts = InspectorConflict.objects.all()
    assert conflicts.filter(organization__isnull=False).count() >= 4
    assert conflicts.filter(supervising_unit__name="福田区教育局").exists()
    assert Interview.objects.count() >= 3
    assert Circular.objects.filter(attachment__endswith=".xlsx").count() == 2
    assert Circular.objects.filter(supervising_unit__name="福田区教育局").exists()


def test_second_run_changes_no_counts(seeded):
    assert seeded["first"] == seeded["second"]
    assert seeded["first"]["AnnualReport"] > 3000
    assert "已存在" in seeded["second_out"] and "新建 4 次" in seeded["first_out"]


def test_annual_report_audits_are_followed_by_special_audits_interviews_and_a_circular(seeded):
    """Issue 10.9 in the demo: every organization the 2021 and 2022 annual-report audits
    selected gets its 财务专项审计 (by the demo's day), inspections that required rectification
    their 约谈, and the completed 2021 draw its circular — each linked to the inspection."""
    from oversight.inspections.choices import AuditKind, InspectionOutcome

    first = draw(DrawKind.ANNUAL_REPORT_AUDIT, 2021)
    for inspection in first.inspections.all():
        assert inspection.follow_up_audits.filter(kind=AuditKind.FINANCIAL_SPECIAL).count() == 1
        if inspection.outcome == InspectionOutcome.RECTIFICATION_REQUIRED:
            assert inspection.interviews.exists()
    assert first.inspections.filter(circulars__isnull=False).count() == first.sample_size


def test_zombie_cases_go_only_to_organizations_silent_in_the_period(seeded):
    """Issue 10's quality bar: the demo's 101 cases arise from the detection of 2021-09-01 and
    none goes to an organization whose report of a year the criteria look at (the reference
    years 2019–2020 to the year of detection) shows an activity, late or not."""
    years = list(zombies_demo.period_years())
    assert years == [2019, 2020, 2021]
    cases = ZombieCase.objects.all()
    assert cases.count() == zombies_demo.CASES
    assert set(cases.values_list("flag__as_of", flat=True)) == {zombies_demo.DETECTED_ON}
    active = AnnualReport.objects.filter(
        organization__zombie_cases__isnull=False, year__in=years, activities_held__gt=0
    )
    assert not active.exists(), list(active.values_list("organization__name", "year")[:10])
    # Detection flagged more than the cases, and the silent ones suffice (R-ZMB-01(3)/(4)).
    assert ZombieFlag.objects.filter(as_of=zombies_demo.DETECTED_ON).count() > cases.count()
    # R-ZMB-02: an unreachable organization was revoked only after its 60-day notice.
    revoked = cases.filter(stage=ZombieStage.REVOKED, criteria__contains=[C4])
    assert revoked.exists()
    for case in revoked:
        assert case.notice_ends_on is not None and case.notice_ends_on < case.closed_on
