"""Admin of supervision, in Chinese: annual reports with review actions and Excel, the
inspector roster, draws (create, execute, verify), inspections, audits and other records.

Workflow fields change only through services, so they are read-only in every form and move
through actions with an intermediate page. Nothing here is ever deleted: these are records.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from common.actors import saved_user
from common.admin_actions import ACTION_TEMPLATE, run_on_selection
from common.admin_excel import ExcelImportExportMixin

from . import services
from .choices import (
    AnnualReportStatus,
    InspectionStatus,
    ReviewModel,
    ReviewResult,
)
from .exports import ANNUAL_REPORT_COLUMNS, annual_reports_export_xlsx
from .forms import (
    FIGURE_FIELDS,
    AnnualReportAdminForm,
    DateForm,
    DrawCreateForm,
    DrawExecuteForm,
    InspectionCompleteForm,
    ReviewForm,
)
from .imports import annual_reports_import
from .models import (
    AnnualReport,
    AnnualReportCycle,
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
from .selectors import inspection_publication_due, inspections_overdue_rectification
from .tasks import inspection_draw_create_task, inspection_draw_execute_task

# The frozen inputs of a draw: megabytes for a city-wide population, never shown in lists.
DRAW_BULK_FIELDS = ("population_text", "strata_text", "roster_text", "conflicts_text", "nonce")


class RecordAdminMixin:
    """Supervision records are kept for good: nobody deletes them from the admin."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
            apply=lambda report, data: services.annual_report_review(
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
            obj.status = services.annual_report_initial_status(obj.organization)
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


# ---------------------------------------------------------------------------- inspectors


class InspectorConflictInline(admin.TabularInline):
    model = InspectorConflict
    extra = 0
    fields = ["organization", "supervising_unit", "reason", "declared_on", "ended_on"]
    autocomplete_fields = ["organization", "supervising_unit"]
    can_delete = False  # an ended conflict gets 解除日期; draws froze the old state anyway


@admin.register(Inspector)
class InspectorAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "certificate_no", "field", "is_active"]
    list_filter = ["is_active", "unit"]
    search_fields = ["code", "name", "unit"]
    inlines = [InspectorConflictInline]

    def get_readonly_fields(self, request, obj=None):
        # Draws froze the roster by code: renaming a code would orphan their assignments.
        return ["code"] if obj else []


@admin.register(InspectorConflict)
class InspectorConflictAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "inspector",
        "organization",
        "supervising_unit",
        "reason",
        "declared_on",
        "ended_on",
    ]
    list_filter = ["ended_on"]
    list_select_related = ["inspector", "organization", "supervising_unit"]
    search_fields = [
        "inspector__code",
        "inspector__name",
        "organization__name",
        "=organization__uscc",
        "supervising_unit__name",
    ]
    autocomplete_fields = ["inspector", "organization", "supervising_unit"]


# ---------------------------------------------------------------------------- draws


def _enqueue(request, task, *args: Any) -> None:
    """Send a task once the surrounding transaction commits (STYLE.md: async). Without a
    worker (eager mode) it runs at once, so its refusal is shown like any other error."""

    def send() -> None:
        try:
            task.delay(*args)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))

    transaction.on_commit(send)


@admin.register(InspectionDraw)
class InspectionDrawAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "year",
        "round",
        "status",
        "ratio",
        "population_size",
        "sample_size",
        "created_at",
        "executed_at",
    ]
    list_filter = ["kind", "status", "year"]
    search_fields = ["population_hash", "seed"]
    actions = ["execute_draw", "verify_draw"]
    commitment_fields = [
        "population_size",
        "sample_size",
        "ratio_warning",
        "inspectors_per_org",
        "candidate_window",
        "population_hash",
        "strata_hash",
        "roster_hash",
        "conflicts_hash",
        "nonce_hash",
        "public_value_source",
        "created_at",
        "created_by",
    ]
    reveal_fields = [
        "revealed_nonce",
        "public_value",
        "seed",
        "executed_at",
        "executed_by",
        "inspections_link",
    ]
    setting_fields = [
        "kind",
        "year",
        "round",
        "ratio",
        "stratify_by",
        "population_rule",
        "population_as_of",
        "status",
    ]
    readonly_fields = [*setting_fields, *commitment_fields, *reveal_fields]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*DRAW_BULK_FIELDS)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            ("抽查设定", {"fields": self.setting_fields}),
            ("承诺（创建时即公开）", {"fields": self.commitment_fields}),
        ]
        if obj is not None and obj.is_executed:
            # The nonce stays secret until execution (DESIGN.md §4.2 step 1.4).
            fieldsets.append(("揭示（执行后公开）", {"fields": self.reveal_fields}))
        return fieldsets

    @admin.display(description="随机数（已揭示）")
    def revealed_nonce(self, obj: InspectionDraw) -> str:
        if not obj.is_executed:
            return "（执行前保密）"
        return bytes(InspectionDraw.objects.values_list("nonce", flat=True).get(pk=obj.pk)).hex()

    @admin.display(description="抽中的检查")
    def inspections_link(self, obj: InspectionDraw) -> str:
        url = reverse("admin:oversight_inspection_changelist") + f"?draw__id__exact={obj.pk}"
        return format_html('<a href="{}">查看 {} 家被抽中组织的检查</a>', url, obj.sample_size)

    def has_change_permission(self, request, obj=None) -> bool:
        # The actions need the change permission; the record itself is never edited: its
        # frozen inputs are the commitment and, once executed, a trigger refuses UPDATE.
        if obj is not None:
            return False
        return super().has_change_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        """Step 1 (commit) through the Celery task, after the request's transaction commits."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DrawCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            _enqueue(
                request,
                inspection_draw_create_task,
                data["kind"],
                data["year"],
                data["round"],
                str(data["ratio"]),
                data["stratify_by"],
                data["public_value_source"],
                data["as_of"].isoformat(),
                request.user.pk,
            )
            draw = InspectionDraw.objects.filter(
                kind=data["kind"], year=data["year"], round=data["round"]
            ).first()
            if draw is not None:
                self.message_user(
                    request,
                    f"已创建{draw}：抽查总体 {draw.population_size} 家，抽取 {draw.sample_size} 家。"
                    "名录、人员名录和随机数的哈希值已固定并可公开；执行时才揭示随机数。",
                    messages.SUCCESS,
                )
                if draw.ratio_warning:
                    self.message_user(request, draw.ratio_warning, messages.WARNING)
                return HttpResponseRedirect(
                    reverse("admin:oversight_inspectiondraw_change", args=[draw.pk])
                )
            self.message_user(
                request,
                "已提交创建抽查的后台任务。由后台任务执行时，抽查将在片刻后出现在列表中，请稍后刷新。",
                messages.INFO,
            )
            return HttpResponseRedirect(reverse("admin:oversight_inspectiondraw_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "创建双随机抽查（第一步：承诺）",
            "label": "创建抽查",
            "intro": "创建时固定抽查对象名录、检查人员名录和回避关系，并公开它们的 SHA-256 "
            "以及保密随机数的 SHA-256；执行时才揭示随机数并计算抽取结果（DESIGN.md §4.2）。",
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    @admin.action(description="执行抽查（录入公开随机值）", permissions=["change"])
    def execute_draw(self, request, queryset):
        draws = list(queryset)
        if len(draws) != 1:
            self.message_user(request, "每次只能执行一个抽查，请只选择一个。", messages.ERROR)
            return None
        draw = draws[0]
        if draw.is_executed:
            self.message_user(request, f"{draw}已经执行，不能再次执行。", messages.ERROR)
            return None
        form = DrawExecuteForm(request.POST if "apply" in request.POST else None, draw=draw)
        if "apply" in request.POST and form.is_valid():
            _enqueue(
                request,
                inspection_draw_execute_task,
                draw.pk,
                form.cleaned_data["public_value"],
                request.user.pk,
            )
            if InspectionDraw.objects.filter(pk=draw.pk, status="executed").exists():
                self.message_user(request, f"{draw}已执行，抽取结果已生成。", messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    f"已提交执行{draw}的后台任务；由后台任务执行时，结果将在片刻后出现，请稍后刷新。",
                    messages.INFO,
                )
            return None
        source = draw.public_value_source or "（未声明，公开随机值留空）"
        context = {
            **self.admin_site.each_context(request),
            "title": "执行抽查：确认",
            "label": "执行抽查",
            "intro": f"执行后揭示随机数，种子 = SHA-256(随机数 ‖ 公开随机值)，抽取结果随即确定，"
            f"不能重新执行或修改。创建时声明的公开随机值来源：{source}",
            "form": form,
            "items": [
                f"{draw}：总体 {draw.population_size} 家，抽取 {draw.sample_size} 家，"
                f"随机数 SHA-256 {draw.nonce_hash}"
            ],
            "count": 1,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "opts": self.opts,
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    @admin.action(description="核验抽查（按记录重新计算）", permissions=["view"])
    def verify_draw(self, request, queryset):
        for draw in InspectionDraw.objects.filter(pk__in=queryset.values("pk")):
            problems = services.inspection_draw_verify(draw=draw)
            if not problems:
                self.message_user(
                    request,
                    f"{draw}：核验一致。重新计算的哈希值、种子、抽中组织和检查人员与记录相符。",
                    messages.SUCCESS,
                )
            else:
                shown = problems[:20]
                more = f" ……共 {len(problems)} 处" if len(problems) > 20 else ""
                self.message_user(
                    request, f"{draw}：核验不一致：" + " ".join(shown) + more, messages.ERROR
                )


# ---------------------------------------------------------------------------- inspections


class OverdueRectificationFilter(admin.SimpleListFilter):
    """整改逾期: abnormal-list candidates (R-CRD-02(3)) as the shared selector defines them."""

    title = "整改逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "整改逾期未核实")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            overdue = inspections_overdue_rectification(as_of=timezone.localdate())
            return queryset.filter(pk__in=overdue.values("pk"))
        return queryset


class DrawFilter(admin.SimpleListFilter):
    """By draw, listing draws without loading their frozen populations."""

    title = "抽查"
    parameter_name = "draw__id__exact"

    def lookups(self, request, model_admin):
        return [(str(d.pk), str(d)) for d in InspectionDraw.objects.defer(*DRAW_BULK_FIELDS)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(draw_id=int(value))
        return queryset


class InspectionAssignmentInline(admin.TabularInline):
    model = InspectionAssignment
    fields = ["position", "inspector"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "检查人员（随机分派，不可更改）"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("inspector")


def _inspection_action(
    name: str, label: str, form_class: type, apply: Callable[[Any, Any, dict], Any], intro: str
):
    def action(modeladmin: InspectionAdmin, request, queryset):
        return run_on_selection(
            modeladmin,
            request,
            queryset.select_related("organization", "draw"),
            label=label,
            form_class=form_class,
            apply=lambda inspection, data: apply(request, inspection, data),
            describe=lambda i: f"{i.organization.name}（{i.draw}，{i.get_status_display()}）",
            intro=intro,
        )

    action.__name__ = name
    action.short_description = label
    action.allowed_permissions = ("change",)
    return action


@admin.register(Inspection)
class InspectionAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "organization",
        "draw",
        "position",
        "status",
        "outcome",
        "rectification_deadline",
        "rectification_verified_on",
        "publication_due",
        "published_on",
    ]
    list_filter = ["status", "outcome", OverdueRectificationFilter, DrawFilter]
    list_select_related = ["draw", "organization"]
    search_fields = ["organization__name", "=organization__uscc"]
    list_per_page = 100
    show_full_result_count = False
    inlines = [InspectionAssignmentInline]

    @admin.display(description="公示期限")
    def publication_due(self, obj: Inspection) -> str:
        # R-INS-09, D4: results are public within N working days of the check finishing.
        due = inspection_publication_due(
            obj, working_days=settings.INSPECTION_PUBLICATION_WORKING_DAYS
        )
        if due is None:
            return "—"
        late = obj.published_on is None and due < timezone.localdate()
        return f"{due}（已逾期）" if late else str(due)

    fields = [
        "draw",
        "organization",
        "position",
        "stratum",
        "status",
        "started_on",
        "completed_on",
        "findings",
        "outcome",
        "rectification_deadline",
        "rectification_verified_on",
        "published_on",
    ]
    actions = [
        _inspection_action(
            "start_inspection",
            "开始检查",
            DateForm,
            lambda request, i, data: services.inspection_transition(
                inspection=i,
                to=InspectionStatus.IN_PROGRESS,
                on=data["on"],
                actor=saved_user(request.user),
            ),
            "所选检查由“待检查”变为“检查中”，日期记为开始日期。",
        ),
        _inspection_action(
            "complete_inspection",
            "完成检查（录入结果）",
            InspectionCompleteForm,
            lambda request, i, data: services.inspection_transition(
                inspection=i,
                to=InspectionStatus.COMPLETED,
                on=data["on"],
                actor=saved_user(request.user),
                findings=data["findings"] or None,
                outcome=data["outcome"],
                rectification_deadline=data["rectification_deadline"],
            ),
            "所选检查由“检查中”变为“已完成”，并记录同一检查结果；责令整改须设定整改期限。",
        ),
        _inspection_action(
            "publish_results",
            "公示结果",
            DateForm,
            lambda request, i, data: services.inspection_publish(inspection=i, on=data["on"]),
            "已完成检查的结果在公示页面公开（R-INS-09：完成后20个工作日内）。",
        ),
        _inspection_action(
            "verify_rectification",
            "核实整改",
            DateForm,
            lambda request, i, data: services.inspection_verify_rectification(
                inspection=i, on=data["on"], actor=saved_user(request.user)
            ),
            "记录登记管理机关核实整改到位的日期（仅限责令整改的检查）。",
        ),
    ]

    def get_queryset(self, request):
        # Lists show the draw by name: never load its frozen population with every row.
        return (
            super()
            .get_queryset(request)
            .select_related("draw", "organization")
            .defer(*(f"draw__{name}" for name in DRAW_BULK_FIELDS))
        )

    def get_readonly_fields(self, request, obj=None):
        # Everything but the findings of an unfinished inspection is workflow or draw data.
        if obj is not None and obj.status != InspectionStatus.COMPLETED:
            return [f for f in self.fields if f != "findings"]
        return self.fields

    def has_add_permission(self, request) -> bool:
        return False  # inspections are created by executing a draw


# ---------------------------------------------------------------------------- other records


class FileDownloadMixin:
    """Serve an uploaded file to staff who may view the record: media is not public."""

    download_fields: tuple[str, ...] = ()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/download/<str:field>/",
                self.admin_site.admin_view(self.download_view),
                name="{}_{}_download".format(*info),
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int, field: str):
        if field not in self.download_fields:
            raise Http404
        obj = self.get_object(request, str(pk))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        stored = getattr(obj, field)
        if not stored:
            raise Http404
        return FileResponse(stored.open("rb"), as_attachment=True, filename=Path(stored.name).name)

    def download_link(self, obj, field: str) -> str:
        stored = getattr(obj, field)
        if not stored:
            return "—"
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_download", args=[obj.pk, field]
        )
        return format_html('<a href="{}">下载 {}</a>', url, Path(stored.name).name)


@admin.register(Audit)
class AuditAdmin(FileDownloadMixin, RecordAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "organization",
        "kind",
        "subject_person",
        "firm",
        "commissioned_on",
        "completed_on",
        "report_no",
        "report_download",
    ]
    list_filter = ["kind", "completed_on"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "=organization__uscc", "report_no", "subject_person"]
    autocomplete_fields = ["organization"]
    download_fields = ("report_file",)
    readonly_fields = ["report_download"]

    @admin.display(description="审计报告下载")
    def report_download(self, obj: Audit) -> str:
        return self.download_link(obj, "report_file") if obj.pk else "—"


@admin.register(JointInspection)
class JointInspectionAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "held_on", "other_departments"]
    search_fields = ["title", "organizations__name"]
    list_filter = ["held_on"]
    autocomplete_fields = ["organizations", "departments"]


@admin.register(Interview)
class InterviewAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["organization", "held_on", "interviewees", "interviewers"]
    list_filter = ["held_on"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "=organization__uscc", "interviewees"]
    autocomplete_fields = ["organization"]


@admin.register(Circular)
class CircularAdmin(FileDownloadMixin, RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "document_no", "issued_on", "supervising_unit", "attachment_download"]
    list_filter = ["issued_on", ("supervising_unit", admin.EmptyFieldListFilter)]
    list_select_related = ["supervising_unit"]
    search_fields = ["title", "document_no"]
    autocomplete_fields = ["supervising_unit"]
    download_fields = ("attachment",)
    readonly_fields = ["attachment_download"]

    @admin.display(description="附件下载")
    def attachment_download(self, obj: Circular) -> str:
        return self.download_link(obj, "attachment") if obj.pk else "—"


# The credit-list and zombie-case admins live in their own modules; importing them here
# registers them with the admin site.
from . import admin_credit, admin_zombies  # noqa: E402, F401
