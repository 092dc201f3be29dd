"""The supervision admin: report review and Excel, draws created, executed and verified from
the admin (the nonce secret until execution), inspection actions, constant-cost lists."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.annual_reports.choices import ReviewModel
from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.annual_reports.services import (
    annual_report_cycle_get,
)
from oversight.inspections.choices import DrawKind, DrawStatus, InspectionOutcome, InspectionStatus
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.inspections.models import (
    Circular,
    Inspection,
    InspectionDraw,
    Interview,
    JointInspection,
)
from oversight.inspections.services import inspection_transition, inspection_verify_rectification
from tests.oversight.admin_helpers import (
    DRAW_ADD,
    DRAWS,
    INSPECTIONS,
    REPORTS,
    action,
    awaiting_review,
    count_queries,
    page_messages,
    submit,
)
from tests.oversight.factories import AuditFactory, InspectorConflictFactory, InspectorFactory
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

D = datetime.date

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- changelists


def test_every_oversight_changelist_and_add_page_loads(staff_client, executed_draw):
    report = awaiting_review()
    conflict = InspectorConflictFactory()
    audit = AuditFactory()
    joint = JointInspection.objects.create(title="联合检查", held_on=D(2023, 5, 1))
    joint.organizations.add(audit.organization)
    interview = Interview.objects.create(
        organization=audit.organization,
        held_on=D(2023, 5, 2),
        reason="未按时报送年报",
        interviewees="法定代表人",
        interviewers="执法科",
    )
    circular = Circular.objects.create(title="通报", issued_on=D(2023, 6, 1))
    cycle = annual_report_cycle_get(year=2021)
    objects = {
        "annualreport": report,
        "inspector": conflict.inspector,
        "inspectorconflict": conflict,
        "inspectiondraw": executed_draw,
        "inspection": executed_draw.inspections.first(),
        "audit": audit,
        "jointinspection": joint,
        "interview": interview,
        "circular": circular,
        "annualreportcycle": cycle,
    }
    for model, obj in objects.items():
        assert staff_client.get(reverse(f"admin:oversight_{model}_changelist")).status_code == 200
        change = reverse(f"admin:oversight_{model}_change", args=[obj.pk])
        assert staff_client.get(change).status_code == 200, model
        if model != "inspection":
            assert staff_client.get(reverse(f"admin:oversight_{model}_add")).status_code == 200


def test_nothing_in_oversight_can_be_deleted(staff_client, executed_draw):
    report = awaiting_review()
    for model, obj in [("annualreport", report), ("inspectiondraw", executed_draw)]:
        url = reverse(f"admin:oversight_{model}_delete", args=[obj.pk])
        assert staff_client.post(url, {"post": "yes"}).status_code == 403
    html = staff_client.get(REPORTS).content.decode()
    assert "delete_selected" not in html
    assert AnnualReport.objects.filter(pk=report.pk).exists()


def test_report_changelist_runs_the_same_number_of_queries_for_5_and_50_rows(staff_client):
    for _ in range(5):
        awaiting_review()
    small = count_queries(staff_client, REPORTS)
    for _ in range(45):
        submit(OrganizationFactory())
    assert count_queries(staff_client, REPORTS) == small


def test_inspection_changelist_runs_the_same_number_of_queries_for_5_and_50_rows(staff_client):
    unit = SupervisingUnitFactory()
    for _ in range(100):
        OrganizationFactory(supervising_unit=unit)
    for _ in range(4):
        InspectorFactory()

    def draw(round_, ratio):
        d, _ = inspection_draw_create(
            kind=DrawKind.SPECIAL_INSPECTION, year=2022, round=round_, ratio=ratio
        )
        inspection_draw_execute(draw_id=d.pk)

    draw(1, "0.05")
    assert Inspection.objects.count() == 5
    small = count_queries(staff_client, INSPECTIONS)
    draw(2, "0.45")
    assert Inspection.objects.count() == 50
    assert count_queries(staff_client, INSPECTIONS) == small
    # Rows name their draw without loading its frozen population (megabytes city-wide).
    with CaptureQueriesContext(connection) as ctx:
        staff_client.get(INSPECTIONS)
    assert not any("population_text" in q["sql"] for q in ctx.captured_queries)


def test_report_changelist_filters_by_review_model(staff_client):
    AnnualReportCycle.objects.create(
        year=2022, review_model=ReviewModel.REPORT, **AnnualReportCycle.defaults_for(2022)
    )
    old = awaiting_review(year=2021)
    new = submit(old.organization, year=2022, on=D(2023, 3, 1))
    response = staff_client.get(REPORTS, {"review_model": ReviewModel.REPORT})
    assert list(response.context["cl"].result_list) == [new]
    response = staff_client.get(REPORTS, {"review_model": ReviewModel.INSPECTION})
    assert list(response.context["cl"].result_list) == [old]


# ---------------------------------------------------------------------------- draws


def test_draw_created_in_the_admin_then_executed_and_verified(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    for _ in range(20):
        OrganizationFactory()
    for _ in range(5):
        InspectorFactory()
    form = staff_client.get(DRAW_ADD)
    assert form.status_code == 200 and str(form.context["form"]["ratio"].value()) == "0.10"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        staff_client.post(
            DRAW_ADD,
            {
                "kind": DrawKind.ANNUAL_REPORT_AUDIT,
                "year": 2023,
                "round": 1,
                "ratio": "0.10",
                "stratify_by": "",
                "public_value_source": "2024年6月1日某公开彩票开奖号码",
                "public_value_known_at": "2024-06-01 21:30",
                "as_of": timezone.localdate().isoformat(),
            },
        )
    assert len(callbacks) == 1
    draw = InspectionDraw.objects.get()
    assert (draw.population_size, draw.sample_size, draw.created_by) == (20, 2, staff_user)
    nonce = bytes(draw.nonce)
    change = reverse("admin:oversight_inspectiondraw_change", args=[draw.pk])

    html = staff_client.get(change).content.decode() + staff_client.get(DRAWS).content.decode()
    assert draw.nonce_hash in html
    assert nonce.hex() not in html and base64.b64encode(nonce).decode() not in html

    # The declared public value is required.
    refused = action(staff_client, DRAWS, "execute_draw", [draw], apply="1", public_value="")
    assert "须录入该值" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        executed = action(
            staff_client, DRAWS, "execute_draw", [draw], apply="1", public_value="03 17 22"
        )
    assert executed.status_code == 200
    draw.refresh_from_db()
    assert draw.status == DrawStatus.EXECUTED and draw.public_value == "03 17 22"
    assert draw.executed_by == staff_user and draw.inspections.count() == 2

    html = staff_client.get(change).content.decode()
    assert nonce.hex() in html and draw.seed in html
    assert f"?draw__id__exact={draw.pk}" in html

    verified = action(staff_client, DRAWS, "verify_draw", [draw])
    assert "核验一致" in page_messages(verified)


def test_creating_an_existing_draw_again_is_refused_on_the_form(staff_client, executed_draw):
    response = staff_client.post(
        DRAW_ADD,
        {
            "kind": executed_draw.kind,
            "year": executed_draw.year,
            "round": executed_draw.round,
            "ratio": "0.10",
            "as_of": "2022-06-01",
        },
    )
    assert response.status_code == 200 and "已经存在" in response.content.decode()
    assert InspectionDraw.objects.count() == 1


def test_an_executed_draw_cannot_be_executed_again_and_its_page_has_no_save(
    staff_client, executed_draw
):
    response = action(staff_client, DRAWS, "execute_draw", [executed_draw])
    assert "已经执行" in page_messages(response)
    change = reverse("admin:oversight_inspectiondraw_change", args=[executed_draw.pk])
    html = staff_client.get(change).content.decode()
    assert 'name="_save"' not in html


def test_verify_reports_differences(staff_client, executed_draw):
    inspection = executed_draw.inspections.order_by("position").first()
    with connection.cursor() as cursor:
        # What a DBA bypassing the application could do: disable the guard, drop an inspector.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM oversight_inspectionassignment WHERE inspection_id = %s AND position = 1",
            [inspection.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    response = action(staff_client, DRAWS, "verify_draw", [executed_draw])
    assert "核验不一致" in page_messages(response)
    assert inspection.organization.uscc in page_messages(response)


# ---------------------------------------------------------------------------- inspections


def test_inspection_actions_move_it_through_its_workflow(staff_client, executed_draw):
    inspection = executed_draw.inspections.order_by("position").first()
    step = lambda name, **data: action(  # noqa: E731
        staff_client, INSPECTIONS, name, [inspection], apply="1", **data
    )

    step("start_inspection", on="2022-07-01")
    inspection.refresh_from_db()
    assert (inspection.status, inspection.started_on) == (
        InspectionStatus.IN_PROGRESS,
        D(2022, 7, 1),
    )

    missing_deadline = step(
        "complete_inspection", on="2022-07-10", outcome=InspectionOutcome.RECTIFICATION_REQUIRED
    )
    assert "责令整改须设定整改期限" in missing_deadline.content.decode()
    step(
        "complete_inspection",
        on="2022-07-10",
        outcome=InspectionOutcome.RECTIFICATION_REQUIRED,
        findings="财务制度不健全",
        rectification_deadline="2022-08-10",
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED
    assert (inspection.outcome, inspection.findings, inspection.rectification_deadline) == (
        InspectionOutcome.RECTIFICATION_REQUIRED,
        "财务制度不健全",
        D(2022, 8, 10),
    )

    step("publish_results", on="2022-07-20")
    step("verify_rectification", on="2022-08-05")
    inspection.refresh_from_db()
    assert inspection.published_on == D(2022, 7, 20)
    assert inspection.rectification_verified_on == D(2022, 8, 5)

    again = step("start_inspection", on="2022-09-01")
    assert "未执行" in page_messages(again)


def test_status_and_outcome_are_not_editable_in_the_change_form(staff_client, executed_draw):
    inspection = executed_draw.inspections.first()
    url = reverse("admin:oversight_inspection_change", args=[inspection.pk])
    form = staff_client.get(url).context["adminform"].form
    assert set(form.fields) == {"findings"}


def test_overdue_filter_lists_the_overdue_unrectified_inspection(staff_client, executed_draw):
    overdue, verified, not_yet_due, *_ = executed_draw.inspections.order_by("position")
    today = timezone.localdate()
    for inspection, on, deadline in [
        (overdue, D(2022, 7, 10), D(2022, 8, 10)),
        (verified, D(2022, 7, 10), D(2022, 8, 10)),
        (not_yet_due, today, today + datetime.timedelta(days=30)),
    ]:
        inspection_transition(inspection=inspection, to="in_progress", on=on)
        inspection_transition(
            inspection=inspection,
            to="completed",
            on=on,
            outcome=InspectionOutcome.RECTIFICATION_REQUIRED,
            rectification_deadline=deadline,
        )
    inspection_verify_rectification(inspection=verified, on=D(2022, 8, 1))

    response = staff_client.get(INSPECTIONS, {"overdue": "yes"})

    assert list(response.context["cl"].result_list) == [overdue]


# ---------------------------------------------------------------------------- other records


def test_circular_attachment_downloads_for_staff(staff_client, client):
    circular = Circular(title="2021年度未报名单", issued_on=D(2022, 6, 1))
    circular.attachment.save("missing.xlsx", ContentFile(b"PK-test"), save=False)
    circular.save()
    url = reverse("admin:oversight_circular_download", args=[circular.pk, "attachment"])
    assert url in staff_client.get(reverse("admin:oversight_circular_changelist")).content.decode()
    response = staff_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK-test"
    assert staff_client.get(url.replace("attachment", "title")).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
