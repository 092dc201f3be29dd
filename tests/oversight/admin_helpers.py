"""Helpers of the supervision admin tests: submitting reports, posting admin actions, counting queries."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.services import (
    annual_report_submit,
)
from tests.registry.factories import OrganizationFactory

D = datetime.date

REPORTS = reverse("admin:oversight_annualreport_changelist")
REPORTS_IMPORT = reverse("admin:oversight_annualreport_import")
REPORTS_EXPORT = reverse("admin:oversight_annualreport_export")
DRAWS = reverse("admin:oversight_inspectiondraw_changelist")
DRAW_ADD = reverse("admin:oversight_inspectiondraw_add")
INSPECTIONS = reverse("admin:oversight_inspection_changelist")
ON_TIME = D(2022, 3, 15)


def submit(org, year=2021, on=ON_TIME, **kw) -> AnnualReport:
    return annual_report_submit(organization=org, year=year, submitted_on=on, **kw)


def awaiting_review(year=2021) -> AnnualReport:
    return submit(OrganizationFactory(supervising_unit=None), year=year)


def action(client, url, name, objs, follow=True, **data):
    return client.post(
        url,
        {"action": name, "_selected_action": [o.pk for o in objs], **data},
        follow=follow,
    )


def page_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)
