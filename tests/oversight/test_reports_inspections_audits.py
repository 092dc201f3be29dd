"""Annual reports (R-ANN-01/02/06/07/08, D3), inspections (DESIGN.md §4.3) and the audit
preconditions of D11 (R-AUD-01/04)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from common.workdays import add_working_days
from oversight.annual_reports.choices import AnnualReportStatus, ReviewModel
from oversight.annual_reports.selectors import organizations_missing_report
from oversight.annual_reports.services import (
    annual_report_cycle_get,
    annual_report_record_opinion,
    annual_report_review,
    annual_report_submit,
)
from oversight.inspections.choices import AuditKind
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.inspections.models import Circular
from oversight.inspections.selectors import inspections_overdue_rectification
from oversight.inspections.services import (
    inspection_publish,
    inspection_transition,
    inspection_verify_rectification,
    missing_reports_circular_issue,
)
from registry.choices import LifecycleStatus
from registry.services import organization_change, organization_transition
from tests.oversight.factories import AuditFactory, InspectorFactory
from tests.registry.factories import OrganizationFactory, decision_fields

D = datetime.date
pytestmark = pytest.mark.django_db


ON_TIME = D(2022, 3, 15)


def submit(org, year=2021, on=ON_TIME, **kw):
    return annual_report_submit(organization=org, year=year, submitted_on=on, **kw)


def test_report_goes_to_the_supervising_unit_first_then_the_bureau(staff_user):
    report = submit(OrganizationFactory())
    assert report.status == AnnualReportStatus.AWAITING_OPINION
    with pytest.raises(ValidationError):
        annual_report_review(report=report, result="passed")
    annual_report_record_opinion(report=report, opinion="agree", actor=staff_user)
    report = annual_report_review(report=report, result="passed", actor=staff_user)
    assert report.status == AnnualReportStatus.REVIEWED and report.result == "passed"


def test_report_without_supervising_unit_skips_the_opinion_r_org_03():
    report = submit(OrganizationFactory(supervising_unit=None))
    assert report.status == AnnualReportStatus.AWAITING_REVIEW
    with pytest.raises(ValidationError, match="不在初审阶段"):
        annual_report_record_opinion(report=report, opinion="agree")


def test_opinion_only_once_and_disagreement_needs_reasons():
    report = submit(OrganizationFactory())
    with pytest.raises(ValidationError) as exc:
        annual_report_record_opinion(report=report, opinion="disagree")
    assert "remarks" in exc.value.message_dict
    annual_report_record_opinion(report=report, opinion="agree")
    with pytest.raises(ValidationError):
        annual_report_record_opinion(report=report, opinion="agree")


def test_inspection_model_needs_a_conclusion_report_model_forbids_one():
    annual_report_cycle_get(year=2021)
    report = submit(OrganizationFactory(supervising_unit=None))
    with pytest.raises(ValidationError, match="R-ANN-07"):
        annual_report_review(report=report)
    cycle = annual_report_cycle_get(year=2021)
    cycle.review_model = ReviewModel.REPORT
    cycle.save()
    with pytest.raises(ValidationError, match="R-ANN-08"):
        annual_report_review(report=report, result="passed")
    assert annual_report_review(report=report).result == ""


def test_one_report_per_organization_and_year():
    org = OrganizationFactory()
    submit(org)
    with pytest.raises(ValidationError):
        submit(org)


def test_missing_reports_after_the_deadline_with_exemption_r_ann_02():
    cycle = annual_report_cycle_get(year=2021)
    on_time = OrganizationFactory(established_on=D(2015, 1, 1))
    submit(on_time, on=D(2022, 5, 31))
    late = OrganizationFactory(established_on=D(2015, 1, 1))
    submit(late, on=D(2022, 6, 1))
    unsealed = OrganizationFactory(established_on=D(2015, 1, 1))
    submit(unsealed, is_sealed=False)  # R-ANN-06: counts as not submitted
    silent = OrganizationFactory(established_on=D(2015, 1, 1))
    exempt_pne = OrganizationFactory(established_on=D(2021, 7, 1))  # ≤ 6 months at year end
    owing_pne = OrganizationFactory(established_on=D(2021, 6, 30))
    new_group = OrganizationFactory(org_type="social_group", established_on=D(2021, 12, 1))
    OrganizationFactory(established_on=D(2022, 1, 1))  # no 2021 report owed
    assert list(organizations_missing_report(cycle=cycle, as_of=D(2022, 5, 31))) == []
    missing = set(organizations_missing_report(cycle=cycle, as_of=D(2022, 6, 1)))
    assert missing == {late, unsealed, silent, owing_pne, new_group}
    assert exempt_pne not in missing and on_time not in missing


def test_missing_reports_circular_is_issued_once_with_the_list():
    OrganizationFactory(name="福田区沉默服务中心", established_on=D(2015, 1, 1))
    assert missing_reports_circular_issue(year=2021, as_of=D(2022, 5, 31)) is None
    circular = missing_reports_circular_issue(year=2021, as_of=D(2022, 6, 2))
    again = missing_reports_circular_issue(year=2021, as_of=D(2022, 6, 3))
    assert circular.pk == again.pk and Circular.objects.count() == 1
    rows = list(load_workbook(circular.attachment.open("rb")).active.values)
    assert rows[0][0] == "统一社会信用代码" and rows[1][1] == "福田区沉默服务中心"
    assert "1家" in circular.body


@pytest.fixture
def inspection(db):
    from decimal import Decimal

    from oversight.inspections.choices import DrawKind

    OrganizationFactory()
    InspectorFactory.create_batch(2)
    draw, _ = inspection_draw_create(
        kind=DrawKind.SPECIAL_INSPECTION, year=2022, ratio=Decimal("1"), as_of=D(2022, 6, 1)
    )
    inspection_draw_execute(draw_id=draw.pk)
    return draw.inspections.get()


def test_inspection_moves_pending_in_progress_completed(inspection):
    with pytest.raises(ValidationError):
        inspection_transition(inspection=inspection, to="completed", outcome="compliant")
    inspection_transition(inspection=inspection, to="in_progress", on=D(2022, 7, 1))
    with pytest.raises(ValidationError) as exc:
        inspection_transition(
            inspection=inspection,
            to="completed",
            outcome="rectification_required",
            on=D(2022, 7, 5),
        )
    assert "rectification_deadline" in exc.value.message_dict
    done = inspection_transition(
        inspection=inspection,
        to="completed",
        outcome="rectification_required",
        on=D(2022, 7, 5),
        rectification_deadline=D(2022, 8, 5),
        findings="账目不清",
    )
    assert done.status == "completed" and done.completed_on == D(2022, 7, 5)
    with pytest.raises(ValidationError):
        inspection_transition(inspection=inspection, to="in_progress")


def test_overdue_unrectified_findings_are_listed(inspection):
    inspection_transition(inspection=inspection, to="in_progress", on=D(2022, 7, 1))
    inspection_transition(
        inspection=inspection,
        to="completed",
        outcome="rectification_required",
        on=D(2022, 7, 5),
        rectification_deadline=D(2022, 8, 5),
    )
    assert not inspections_overdue_rectification(as_of=D(2022, 8, 5)).exists()
    assert inspections_overdue_rectification(as_of=D(2022, 8, 6)).get() == inspection
    inspection_verify_rectification(inspection=inspection, on=D(2022, 8, 20))
    assert inspections_overdue_rectification(as_of=D(2022, 8, 10)).exists()  # not yet verified then
    assert not inspections_overdue_rectification(as_of=D(2022, 8, 21)).exists()


def test_publication_deadline_counts_working_days_r_ins_09():
    assert add_working_days(D(2022, 7, 1), 20) == D(2022, 7, 29)  # a Friday start
    assert add_working_days(D(2022, 7, 2), 1) == D(2022, 7, 4)  # Saturday → Monday


def deregister(org, on):
    return organization_transition(
        organization=org, to=LifecycleStatus.DEREGISTERED, on=on, **decision_fields()
    )


def test_deregistration_needs_a_liquidation_audit_d11():
    org = OrganizationFactory()
    organization_transition(organization=org, to=LifecycleStatus.DEREGISTERING, on=D(2022, 1, 1))
    with pytest.raises(ValidationError, match="R-AUD-04"):
        deregister(org, D(2022, 3, 1))
    AuditFactory(organization=org, kind=AuditKind.LIQUIDATION, completed_on=D(2022, 3, 2))
    with pytest.raises(ValidationError):  # the report came after the decision date
        deregister(org, D(2022, 3, 1))
    deregister(org, D(2022, 3, 3))
    org.refresh_from_db()
    assert org.status == LifecycleStatus.DEREGISTERED


def test_unfinished_liquidation_audit_does_not_count():
    org = OrganizationFactory()
    organization_transition(organization=org, to=LifecycleStatus.DEREGISTERING)
    AuditFactory(organization=org, kind=AuditKind.LIQUIDATION, completed_on=None, report_no="")
    with pytest.raises(ValidationError):
        deregister(org, None)


@pytest.mark.parametrize(
    ("completed_on", "decided_on", "accepted"),
    [
        (D(2022, 1, 9), D(2022, 3, 1), False),  # the day before 受理注销: another period
        (D(2022, 1, 10), D(2022, 3, 1), True),  # the day of 受理注销
        (D(2022, 3, 1), D(2022, 3, 1), True),  # the day of the decision
        (D(2022, 3, 2), D(2022, 3, 1), False),  # the day after the decision
    ],
)
def test_liquidation_audit_falls_between_the_start_and_the_decision(
    completed_on, decided_on, accepted
):
    org = OrganizationFactory()
    organization_transition(organization=org, to=LifecycleStatus.DEREGISTERING, on=D(2022, 1, 10))
    AuditFactory(organization=org, commissioned_on=D(2021, 12, 1), completed_on=completed_on)
    if accepted:
        deregister(org, decided_on)
    else:
        with pytest.raises(ValidationError, match="2022-01-10"):
            deregister(org, decided_on)
    org.refresh_from_db()
    assert (org.status == LifecycleStatus.DEREGISTERED) is accepted


def test_only_the_organizations_own_reported_liquidation_audit_counts():
    org, other = OrganizationFactory.create_batch(2)
    organization_transition(organization=org, to=LifecycleStatus.DEREGISTERING, on=D(2022, 1, 10))
    AuditFactory(organization=other, completed_on=D(2022, 2, 1))  # someone else's
    AuditFactory(organization=org, kind=AuditKind.FINANCIAL_SPECIAL, completed_on=D(2022, 2, 1))
    AuditFactory(organization=org, completed_on=None, report_no="")  # still under way
    with pytest.raises(ValidationError, match="R-AUD-04"):
        deregister(org, D(2022, 3, 1))


@pytest.mark.parametrize(
    ("completed_on", "accepted"), [(D(2022, 5, 9), False), (D(2022, 5, 10), True)]
)
def test_revoked_organization_needs_an_audit_after_the_revocation_d13(completed_on, accepted):
    org = OrganizationFactory()
    organization_transition(organization=org, to=LifecycleStatus.DEREGISTERING, on=D(2022, 1, 10))
    organization_transition(
        organization=org, to=LifecycleStatus.REVOKED, on=D(2022, 5, 10), **decision_fields()
    )
    AuditFactory(organization=org, commissioned_on=D(2022, 4, 1), completed_on=completed_on)
    if accepted:
        deregister(org, D(2022, 8, 1))
    else:
        # Even though it came after 受理注销: for a revoked organization the liquidation
        # runs from the revocation.
        with pytest.raises(ValidationError, match="撤销登记（2022-05-10）"):
            deregister(org, D(2022, 8, 1))
    org.refresh_from_db()
    assert (org.status == LifecycleStatus.DEREGISTERED) is accepted


def test_legal_representative_change_needs_the_outgoing_persons_audit_d11():
    from django.utils import timezone

    org = OrganizationFactory(legal_representative="张三")
    AuditFactory(
        organization=org,
        kind=AuditKind.DEPARTURE,
        subject_person="李四",
        completed_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError, match="张三"):
        organization_change(organization=org, legal_representative="王五")
    AuditFactory(
        organization=org,
        kind=AuditKind.DEPARTURE,
        subject_person="张三",
        completed_on=timezone.localdate(),
    )
    organization_change(organization=org, legal_representative="王五")
    org.refresh_from_db()
    assert org.legal_representative == "王五"


def test_admin_shows_the_publication_deadline_and_when_it_passed(staff_client, inspection):
    inspection_transition(inspection=inspection, to="in_progress", on=D(2022, 7, 1))
    inspection_transition(
        inspection=inspection, to="completed", outcome="compliant", on=D(2022, 7, 1)
    )
    page = staff_client.get("/admin/oversight/inspection/").content.decode()
    assert "2022-07-29（已逾期）" in page  # 20 working days after a Friday (R-INS-09, D4)
    inspection_publish(inspection=inspection, on=D(2022, 7, 20))
    page = staff_client.get("/admin/oversight/inspection/").content.decode()
    assert "2022-07-29" in page and "已逾期" not in page
