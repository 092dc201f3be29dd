"""Staff pages: the workbench (/), the dashboard, the Excel report and 一户一档."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from registry.models import Organization

from .charts import dashboard_charts
from .exports import (
    organization_field_rows,
    organization_file_xlsx,
    situation_report_xlsx,
)
from .figures import AREAS
from .org_file import organization_file
from .selectors import default_since, situation_overview
from .workbench import reporting_deadlines, workbench_todos

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _as_of(request) -> tuple[datetime.date, str]:
    """The date asked for (?as_of=YYYY-MM-DD), today when absent; an error message when bad."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return timezone.localdate(), ""
    try:
        return datetime.date.fromisoformat(raw), ""
    except ValueError:
        return (
            timezone.localdate(),
            f"统计日期“{raw[:20]}”无效，应为 YYYY-MM-DD 格式；已按今天统计。",
        )


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_GET
@staff_member_required
def workbench(request):
    today = timezone.localdate()
    return render(
        request,
        "reports/workbench.html",
        {
            "today": today,
            "todos": workbench_todos(user=request.user, today=today),
            "deadlines": reporting_deadlines(today=today),
        },
    )


@require_GET
@staff_member_required
def dashboard(request):
    as_of, error = _as_of(request)
    figures = situation_overview(as_of=as_of)
    areas = [(area, [f for f in figures if f.area == area and f.headline]) for area in AREAS]
    return render(
        request,
        "reports/dashboard.html",
        {
            "as_of": as_of,
            "since": default_since(as_of),
            "error": error,
            "areas": areas,
            "charts": dashboard_charts(figures=figures, as_of=as_of),
        },
    )


@require_GET
@staff_member_required
def dashboard_xlsx(request):
    as_of, _ = _as_of(request)
    buffer = io.BytesIO()
    situation_report_xlsx(
        figures=situation_overview(as_of=as_of), as_of=as_of, scope_label="全区", fileobj=buffer
    )
    return _download(buffer.getvalue(), f"社会组织工作情况统计_{as_of:%Y%m%d}.xlsx")


def _file_context(organization: Organization) -> dict:
    return {
        "organization": organization,
        "fields": organization_field_rows(organization),
        "events": organization_file(organization),
    }


def _organization(**lookup) -> Organization:
    return get_object_or_404(
        Organization.objects.select_related("industry_category", "supervising_unit"), **lookup
    )


@require_GET
@staff_member_required
def organization_file_view(request, pk: int):
    context = _file_context(_organization(pk=pk))
    context["printable"] = request.GET.get("print") == "1"
    return render(request, "reports/organization_file.html", context)


@require_GET
@staff_member_required
def organization_file_by_uscc(request, uscc: str):
    context = _file_context(_organization(uscc=uscc.strip().upper()[:18]))
    context["printable"] = request.GET.get("print") == "1"
    return render(request, "reports/organization_file.html", context)


@require_GET
@staff_member_required
def organization_file_download(request, pk: int):
    organization = _organization(pk=pk)
    buffer = io.BytesIO()
    organization_file_xlsx(
        organization=organization, events=organization_file(organization), fileobj=buffer
    )
    return _download(buffer.getvalue(), f"一户一档_{organization.uscc}.xlsx")
