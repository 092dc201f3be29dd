"""A district-wide circular (addressed to no unit) reaches every department, but a
department's token downloads only its own organizations' rows (等保: least privilege)."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from common.testing.api import make_department_user, make_staff_user, token_client
from oversight.annual_reports.services import annual_report_cycle_get
from oversight.inspections.services import missing_reports_circular_issue
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db


def rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [r for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)][1:]


def test_missing_report_circular_shows_each_department_only_its_own_organizations():
    a, b, c = SupervisingUnitFactory(), SupervisingUnitFactory(), SupervisingUnitFactory()
    early = datetime.date(2015, 1, 1)
    mine = OrganizationFactory.create_batch(2, supervising_unit=a, established_on=early)
    theirs = OrganizationFactory.create_batch(3, supervising_unit=b, established_on=early)
    cycle = annual_report_cycle_get(year=2021)
    circular = missing_reports_circular_issue(
        year=2021, as_of=cycle.bureau_deadline + datetime.timedelta(days=1)
    )
    assert circular.supervising_unit is None
    url = f"/api/v1/circulars/{circular.pk}/download/"

    own = rows(token_client(make_department_user(unit=a)).get(url))
    assert {r[0] for r in own} == {o.uscc for o in mine}
    assert not {r[0] for r in own} & {o.uscc for o in theirs}

    staff = token_client(make_staff_user(perms=["oversight.view_circular"])).get(url)
    assert {r[0] for r in rows(staff)} == {o.uscc for o in mine + theirs}

    # A department with no organization in the list gets nothing, as if there were no file,
    # and the refused answer leaves no temporary file of the workbook it began behind.
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    left = set(ALL_TEMP_FILES)
    assert token_client(make_department_user(unit=c)).get(url).status_code == 404
    assert set(ALL_TEMP_FILES) <= left


def test_the_missing_report_circular_is_recognised_by_its_key_not_its_title():
    """Issue 10.11: staff reword a circular's title; the yearly job must not issue it again."""
    from oversight.inspections.models import Circular

    OrganizationFactory(established_on=datetime.date(2015, 1, 1))
    cycle = annual_report_cycle_get(year=2021)
    after = cycle.bureau_deadline + datetime.timedelta(days=1)
    first = missing_reports_circular_issue(year=2021, as_of=after)
    assert first.issue_key == "missing_reports:2021:-"
    Circular.objects.filter(pk=first.pk).update(title="关于2021年度未报年报组织的通报（修订）")
    again = missing_reports_circular_issue(year=2021, as_of=after + datetime.timedelta(days=3))
    assert again.pk == first.pk and Circular.objects.count() == 1


def test_a_draws_follow_up_is_linked_to_the_inspection_and_shown_on_its_page(admin_client):
    """Issue 10.9: the annual-report audit draw → 财务专项审计 → 约谈 → 通报, as one chain."""
    from oversight.inspections.choices import DrawKind, InspectionOutcome, InspectionStatus
    from oversight.inspections.draw_services import (
        inspection_draw_create,
        inspection_draw_execute,
    )
    from oversight.inspections.services import (
        draw_follow_up_circular_issue,
        inspection_follow_up_audit,
        inspection_interview_record,
        inspection_transition,
    )
    from tests.oversight.factories import InspectorFactory

    OrganizationFactory.create_batch(10, established_on=datetime.date(2015, 1, 1))
    InspectorFactory.create_batch(3)
    draw, _ = inspection_draw_create(
        kind=DrawKind.ANNUAL_REPORT_AUDIT, year=2022, as_of=datetime.date(2022, 6, 1)
    )
    draw, _ = inspection_draw_execute(draw_id=draw.pk)
    inspection = draw.inspections.first()
    today = datetime.date.today()
    audit = inspection_follow_up_audit(inspection=inspection, commissioned_on=today)
    assert audit.organization_id == inspection.organization_id and audit.inspection == inspection
    assert inspection_follow_up_audit(inspection=inspection, commissioned_on=today) == audit
    with pytest.raises(Exception, match="有检查发现"):
        inspection_interview_record(
            inspection=inspection, held_on=today, reason="x", interviewees="x", interviewers="y"
        )
    inspection_transition(inspection=inspection, to=InspectionStatus.IN_PROGRESS, on=today)
    inspection_transition(
        inspection=inspection,
        to=InspectionStatus.COMPLETED,
        on=today,
        findings="财务制度不健全，票据不规范",
        outcome=InspectionOutcome.RECTIFICATION_REQUIRED,
        rectification_deadline=today + datetime.timedelta(days=30),
    )
    inspection.refresh_from_db()
    inspection_interview_record(
        inspection=inspection,
        held_on=today,
        reason="抽查与专项审计发现财务问题",
        interviewees="法定代表人",
        interviewers="执法监督科",
    )
    circular = draw_follow_up_circular_issue(
        draw=draw, issued_on=today, title="2022年抽查及财务专项审计情况通报", body="…"
    )
    assert set(circular.inspections.all()) == set(draw.inspections.all())
    page = admin_client.get(f"/admin/oversight/inspection/{inspection.pk}/change/").content
    text = page.decode()
    assert "财务专项审计" in text and "约谈" in text and "2022年抽查及财务专项审计情况通报" in text
