"""The workbench, the dashboard and its Excel report, 一户一档, and the report command."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oversight.annual_reports.choices import AnnualReportStatus
from oversight.annual_reports.models import AnnualReport
from registry.models import Rating
from reports.figures import AREAS
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_the_login(client):
    for name in ("reports:workbench", "reports:dashboard"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_workbench_counts_link_to_their_lists(admin_client):
    org = OrganizationFactory()
    AnnualReport.objects.create(
        organization=org, year=2021, submitted_on=datetime.date(2022, 3, 1),
        status=AnnualReportStatus.AWAITING_REVIEW,
    )  # fmt: skip
    today = timezone.localdate()
    Rating.objects.create(
        organization=org, grade="3A", awarded_on=today.replace(year=today.year - 3)
    )
    response = admin_client.get(reverse("reports:workbench"))
    assert response.status_code == 200
    todos = {t.key: t for t in response.context["todos"]}
    assert todos["annual_reports_awaiting_review"].count == 1
    listed = admin_client.get(todos["annual_reports_awaiting_review"].url)
    assert [r.pk for r in listed.context["cl"].result_list] == [org.annual_reports.get().pk]
    assert "统计看板" in response.content.decode() and "信用名录" in response.content.decode()


def test_dashboard_renders_cards_and_chart_data(admin_client):
    OrganizationFactory()
    response = admin_client.get(reverse("reports:dashboard"), {"as_of": "2022-06-30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        'id="chart-data"' in html
        and "echarts.min.js" in html
        and 'data-key="organizations"' in html
    )
    bad = admin_client.get(reverse("reports:dashboard"), {"as_of": "2022-02-30"})
    assert "统计日期“2022-02-30”无效" in bad.content.decode()


def test_excel_report_has_the_figures_then_one_sheet_per_area(admin_client):
    OrganizationFactory()
    response = admin_client.get(reverse("reports:dashboard-xlsx"), {"as_of": "2022-06-30"})
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["主要数据", *AREAS]
    rows = {r[1]: r[2] for r in wb["主要数据"].iter_rows(min_row=3, values_only=True)}
    assert rows["在册社会组织"] == 1


def test_command_writes_the_report_and_refuses_bad_arguments(tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("situation_report", "--as-of", "2022-06-30", "--out", str(out))
    assert load_workbook(out).sheetnames[0] == "主要数据"
    with pytest.raises(CommandError, match="--as-of 日期“2022-06-31”无效"):
        call_command("situation_report", "--as-of", "2022-06-31", "--out", str(out))
    with pytest.raises(CommandError, match=r"应为 \.xlsx"):
        call_command("situation_report", "--out", str(tmp_path / "r.csv"))


def test_organization_file_by_pk_and_uscc_and_excel(admin_client, client):
    org = OrganizationFactory(name="福田区档案测试中心")
    AnnualReport.objects.create(organization=org, year=2021, submitted_on=datetime.date(2022, 3, 1))
    page = admin_client.get(reverse("reports:organization-file", args=[org.pk]))
    assert page.status_code == 200
    titles = [e.title for e in page.context["events"]]
    assert titles[0] == "成立登记" and "报送2021年度工作报告" in titles
    by_uscc = admin_client.get(reverse("reports:organization-file-uscc", args=[org.uscc]))
    assert by_uscc.context["organization"] == org
    assert (
        admin_client.get(reverse("reports:organization-file-uscc", args=["X"])).status_code == 404
    )
    xlsx = admin_client.get(reverse("reports:organization-file-xlsx", args=[org.pk]))
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["登记信息", "档案记录"]
    assert client.get(reverse("reports:organization-file", args=[org.pk])).status_code == 302


def test_the_organization_change_page_links_to_its_file(admin_client):
    from tests.registry.factories import OrganizationFactory

    org = OrganizationFactory()
    page = admin_client.get(f"/admin/registry/organization/{org.pk}/change/").content.decode()
    assert f"/organizations/{org.pk}/" in page and "一户一档" in page
