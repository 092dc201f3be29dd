"""A clerk's morning in a real browser: log in, land on the workbench, follow a to-do count
to its list; the dashboard draws every chart, also after changing the date, without console
errors; 一户一档 of an organization. Screenshots are kept under TEST_ARTIFACTS_DIR."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from oversight.annual_reports.choices import AnnualReportStatus
from oversight.annual_reports.models import AnnualReport
from tests.registry.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Bx7-qa-浏览器-2024"


@pytest.fixture
def clerk(db):
    return get_user_model().objects.create_superuser("e2e-clerk", "e2e@example.com", PASSWORD)


@pytest.fixture
def records(db):
    org = OrganizationFactory(
        name="福田区浏览器测试服务中心", established_on=datetime.date(2019, 5, 1)
    )
    AnnualReport.objects.create(
        organization=org, year=2021, submitted_on=datetime.date(2022, 3, 1),
        status=AnnualReportStatus.AWAITING_REVIEW,
    )  # fmt: skip
    return org


def login(page, live_server, next_url="/"):
    page.goto(f"{live_server.url}{next_url}")
    assert "/admin/login/" in page.url  # anonymous → the login page
    page.fill("#id_username", "e2e-clerk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_login_workbench_todo_to_its_list(page, live_server, clerk, records, artifacts):
    login(page, live_server)
    page.wait_for_selector("text=今日工作")
    row = page.locator('tr[data-todo="annual_reports_awaiting_review"]')
    assert row.locator(".todo-count").inner_text() == "1"
    page.screenshot(path=str(artifacts / "workbench.png"), full_page=True)
    row.locator(".todo-count").click()
    page.wait_for_url("**/admin/oversight/annualreport/**")
    assert "福田区浏览器测试服务中心" in page.content()


def test_dashboard_draws_every_chart_after_changing_the_date(
    page, live_server, clerk, records, artifacts
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, "/dashboard/")
    page.wait_for_selector("#chart-types canvas")
    page.fill("#as_of", "2022-06-30")
    page.click("#as-of-form button[type=submit]")
    page.wait_for_url("**as_of=2022-06-30**")
    charts = page.locator("[data-chart]")
    assert charts.count() == 7
    for i in range(charts.count()):
        assert charts.nth(i).locator("canvas, svg").count() >= 1, charts.nth(i).get_attribute("id")
    assert page.locator('[data-key="organizations"] .value').inner_text() == "1"
    page.screenshot(path=str(artifacts / "dashboard-2022-06-30.png"), full_page=True)
    assert errors == []


def test_organization_file(page, live_server, clerk, records, artifacts):
    login(page, live_server, f"/organizations/uscc/{records.uscc}/")
    page.wait_for_selector("#org-events")
    text = page.locator("#org-events").inner_text()
    assert "成立登记" in text and "报送2021年度工作报告" in text
    page.screenshot(path=str(artifacts / "organization-file.png"), full_page=True)
