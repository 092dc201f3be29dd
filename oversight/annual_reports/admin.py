"""Admin of annual-report cycles and reports: opinion and review actions, Excel import/export."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.actors import saved_user
from common.admin_actions import run_on_selection
from common.admin_excel import ExcelImportExportMixin
from oversight.admin_base import RecordAdminMixin
from oversight.annual_reports.choices import AnnualReportStatus, ReviewModel, ReviewResult
from oversight.annual_reports.exports import ANNUAL_REPORT_COLUMNS, annual_reports_export_xlsx
from oversight.annual_reports.forms import FIGURE_FIELDS, AnnualReportAdminForm, ReviewForm
from oversight.annual_reports.imports import annual_reports_import
from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.annual_reports.services import annual_report_initial_status, annual_report_review

# ---------------------------------------------------------------------------- annual reports


@admin.register(AnnualReportCycle)
class AnnualReportCycleAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "year",
        "review_model",
        "supervisor_deadline",
        "bureau_deadline",
        "exemption_cutoff",
    ]
    list_filter = ["review_model"]

    def get_readonly_fields(self, request, obj=None):
        # The year names the cycle its reports were reviewed under; it is not re-pointed.
        return ["year"] if obj else []


class ReviewModelFilter(admin.SimpleListFilter):
    """年检/年报 is set per cycle (R-ANN-09); a year without a cycle is reviewed as 年检."""

    title = "审查方式"
    parameter_name = "review_model"

    def lookups(self, request, model_admin):
        return ReviewModel.choices

    def queryset(self, request, queryset):
        report_years = AnnualReportCycle.objects.filter(review_model=ReviewModel.REPORT).values(
            "year"
        )
        if self.value() == ReviewModel.REPORT:
            return queryset.filter(year__in=report_years)
        if self.value() == ReviewModel.INSPECTION:
            return queryset.exclude(year__in=report_years)
        return queryset


def _review_action(result: str, label: str):
    def action(modeladmin: AnnualReportAdmin, request, queryset):
        return run_on_selection(
            modeladmin,
            request,
            queryset.select_related("organization"),
            label=label,
            form_class=ReviewForm,
            apply=lambda report, data: annual_report_review(
                report=report,
                result=result,
                remarks=data["remarks"],
                reviewed_on=data["reviewed_on"],
                actor=saved_user(request.user),
            ),
            describe=lambda r: f"{r.organization.name} {r.year}年度（{r.get_status_display()}）",
            intro="只能审查待登记管理机关审查的报告；年检模式须给出结论，年报模式不出具结论"
            "（R-ANN-07/08）。任何一份不符合条件时，全部不作变更。",
        )

    action.__name__ = f"review_{result or 'no_conclusion'}"
    action.short_description = label
    action.allowed_permissions = ("change",)
    return action


@admin.register(AnnualReport)
class AnnualReportAdmin(ExcelImportExportMixin, RecordAdminMixin, SimpleHistoryAdmin):
    form = AnnualReportAdminForm
    list_display = [
        "organization",
        "year",
        "status",
        "supervisor_opinion",
        "result",
        "submitted_on",
        "is_sealed",
    ]
    list_filter = ["year", "status", "result", ReviewModelFilter, "is_sealed"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "=organization__uscc"]
    search_help_text = "按组织名称（任意部分）或完整的统一社会信用代码查找"
    autocomplete_fields = ["organization"]
    list_per_page = 100
    show_full_result_count = False
    change_list_template = "admin/oversight/annualreport/change_list.html"
    workflow_fields = [
        "status",
        "supervisor_opinion",
        "supervisor_remarks",
        "supervisor_opinion_on",
        "supervisor_opinion_by",
        "result",
        "remarks",
        "reviewed_on",
        "reviewed_by",
    ]
    fieldsets = [
        ("报告", {"fields": ["organization", "year", "submitted_on", "is_sealed"]}),
        ("财务与人员", {"fields": FIGURE_FIELDS}),
        ("初审与审查", {"fields": workflow_fields}),
    ]
    actions = [
        _review_action(ReviewResult.PASSED, "审查：合格"),
        _review_action(ReviewResult.BASICALLY_PASSED, "审查：基本合格"),
        _review_action(ReviewResult.FAILED, "审查：不合格"),
        _review_action("", "审查：无结论（年报模式）"),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.workflow_fields
        if obj.status == AnnualReportStatus.REVIEWED:
            # A reviewed report is what the conclusion was given on.
            return ["organization", "year", "submitted_on", "is_sealed", *FIGURE_FIELDS]
        return ["organization", "year", "submitted_on", "is_sealed", *self.workflow_fields]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            # The form has already run annual_report_submit's rules; start where it would.
            obj.status = annual_report_initial_status(obj.organization)
            obj._change_reason = "登记管理机关录入"
        else:
            obj._change_reason = "更正报告数据"
        super().save_model(request, obj, form, change)

    # Excel (common.admin_excel): export of the filtered list, import with preview.
    excel_import_template = "admin/oversight/annualreport/import.html"
    excel_import_title = "从 Excel 导入年度工作报告"
    excel_export_basename = "年度工作报告"
    excel_columns = ANNUAL_REPORT_COLUMNS
    excel_upload_dir = Path(tempfile.gettempdir()) / "socialorg-annual-report-imports"
    excel_session_key = "oversight_annual_report_imports"

    def excel_export(self, *, queryset, fileobj) -> int:
        return annual_reports_export_xlsx(queryset=queryset, fileobj=fileobj)

    def excel_import(self, *, fileobj, actor, commit: bool):
        return annual_reports_import(fileobj=fileobj, actor=actor, commit=commit)

    def excel_import_pending(self, result) -> bool:
        return bool(result.to_create)

    def excel_import_done_message(self, result) -> str:
        return (
            f"导入完成：新增 {result.created} 份年度工作报告（待业务主管单位初审 "
            f"{result.to_opinion} 份，待登记管理机关审查 {result.to_review} 份）。"
        )
