"""The annual-report admin: review actions all-or-nothing, the cycle's review model, Excel import and export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oversight.annual_reports.choices import AnnualReportStatus, ReviewModel
from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.annual_reports.services import (
    annual_report_review,
)
from tests.oversight.admin_helpers import (
    REPORTS,
    REPORTS_EXPORT,
    REPORTS_IMPORT,
    action,
    awaiting_review,
    page_messages,
    submit,
)
from tests.oversight.annual_reports.test_imports import report_row, sheet
from tests.registry.factories import OrganizationFactory

D = datetime.date

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- annual reports


def test_review_action_passes_every_selected_report(staff_client, staff_user):
    reports = [awaiting_review(), awaiting_review()]
    page = action(staff_client, REPORTS, "review_passed", reports, follow=False)
    assert page.status_code == 200 and "确认审查：合格" in page.content.decode()

    response = action(
        staff_client, REPORTS, "review_passed", reports, apply="1", reviewed_on="2022-06-01"
    )

    assert "已对 2 条记录审查：合格" in page_messages(response)
    for report in reports:
        report.refresh_from_db()
        assert (report.status, report.result, report.reviewed_on) == (
            AnnualReportStatus.REVIEWED,
            "passed",
            D(2022, 6, 1),
        )
        assert report.reviewed_by == staff_user


def test_review_action_is_all_or_nothing_and_names_the_reports_it_cannot_review(staff_client):
    ready = awaiting_review()
    not_ready = submit(OrganizationFactory(name="待初审协会"))  # awaits the unit's opinion

    response = action(
        staff_client,
        REPORTS,
        "review_passed",
        [ready, not_ready],
        apply="1",
        reviewed_on="2022-06-01",
    )

    text = page_messages(response)
    assert "未执行" in text and "待初审协会 2021年度" in text and "不能审查" in text
    assert ready.organization.name not in text
    ready.refresh_from_db()
    assert ready.status == AnnualReportStatus.AWAITING_REVIEW and ready.result == ""


def test_no_conclusion_review_follows_the_cycle_model(staff_client):
    AnnualReportCycle.objects.create(
        year=2021, review_model=ReviewModel.REPORT, **AnnualReportCycle.defaults_for(2021)
    )
    report = awaiting_review()
    response = action(
        staff_client, REPORTS, "review_passed", [report], apply="1", reviewed_on="2022-06-01"
    )
    assert "年报模式不出具结论" in page_messages(response)
    action(
        staff_client, REPORTS, "review_no_conclusion", [report], apply="1", reviewed_on="2022-06-01"
    )
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.REVIEWED and report.result == ""


def test_workflow_fields_are_read_only_in_the_change_form(staff_client):
    report = awaiting_review()
    url = reverse("admin:oversight_annualreport_change", args=[report.pk])
    form = staff_client.get(url).context["adminform"].form
    assert "status" not in form.fields and "result" not in form.fields
    assert "income" in form.fields


def test_adding_a_report_in_the_admin_obeys_annual_report_submit(staff_client):
    org = OrganizationFactory(established_on=D(2022, 5, 1))
    add = reverse("admin:oversight_annualreport_add")
    data = {
        "organization": org.pk,
        "year": 2021,
        "submitted_on": "2022-03-01",
        "is_sealed": "on",
        **dict.fromkeys(
            [
                "income",
                "expenditure",
                "net_assets",
                "staff_count",
                "full_time_staff",
                "activities_held",
                "party_members",
                "probationary_party_members",
            ],
            "0",
        ),
    }
    refused = staff_client.post(add, data)
    assert refused.status_code == 200 and "无2021年度报告" in refused.content.decode()
    assert not AnnualReport.objects.exists()

    staff_client.post(add, {**data, "year": 2022, "submitted_on": "2023-03-01"})
    report = AnnualReport.objects.get()
    assert report.status == AnnualReportStatus.AWAITING_OPINION  # org has a supervising unit


def test_import_preview_then_confirm_through_the_admin(staff_client, staff_user):
    orgs = [OrganizationFactory(), OrganizationFactory(supervising_unit=None)]
    buf = sheet([report_row(o) for o in orgs])
    buf.name = "年报.xlsx"

    preview = staff_client.post(REPORTS_IMPORT, {"file": buf})

    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.to_create, result.to_opinion, result.to_review) == (2, 1, 1)
    assert "确认导入" in preview.content.decode()
    assert not AnnualReport.objects.exists()

    confirm = staff_client.post(
        REPORTS_IMPORT, {"token": preview.context["token"], "confirm": "确认导入"}, follow=True
    )

    assert confirm.redirect_chain[-1][0] == REPORTS
    assert "新增 2 份年度工作报告" in confirm.content.decode()
    assert AnnualReport.objects.count() == 2
    assert AnnualReport.objects.first().history.get().history_user_id == staff_user.pk


def test_import_preview_lists_errors_and_offers_no_confirm(staff_client):
    org = OrganizationFactory()
    buf = sheet([report_row(org), report_row(org, 工作人员数=-3)])
    buf.name = "年报.xlsx"
    response = staff_client.post(REPORTS_IMPORT, {"file": buf})
    html = response.content.decode()
    assert "<td>3</td><td>工作人员数</td>" in html
    assert "确认导入" not in html and "token" not in response.context


def test_export_honours_the_changelist_filters(staff_client):
    awaiting_review()
    reviewed = awaiting_review()
    annual_report_review(report=reviewed, result="passed")
    response = staff_client.get(REPORTS_EXPORT, {"status": AnnualReportStatus.REVIEWED})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [reviewed.organization.uscc]
    changelist = staff_client.get(REPORTS, {"status": "reviewed"}).content.decode()
    assert f"{REPORTS_EXPORT}?status=reviewed" in changelist and REPORTS_IMPORT in changelist
