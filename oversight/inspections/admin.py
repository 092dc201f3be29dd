"""Admin of supervision, in Chinese: annual reports with review actions and Excel, the
inspector roster, draws (create, execute, verify), inspections, audits and other records.

Workflow fields change only through services, so they are read-only in every form and move
through actions with an intermediate page. Nothing here is ever deleted: these are records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from common.actors import saved_user
from common.admin_actions import run_on_selection
from common.policy import policy_timeline
from common.workdays import working_day_adder
from oversight.admin_base import FileDownloadMixin, RecordAdminMixin
from oversight.forms import DateForm
from oversight.inspections.admin_draws import DRAW_BULK_FIELDS
from oversight.inspections.choices import InspectionStatus
from oversight.inspections.forms import InspectionCompleteForm
from oversight.inspections.models import (
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
from oversight.inspections.selectors import (
    inspections_overdue_rectification,
)
from oversight.inspections.services import (
    inspection_follow_up,
    inspection_publish,
    inspection_transition,
    inspection_verify_rectification,
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
        # Replaced per request by get_list_display's version, which reads the calendar once.
        return self.get_list_display(None)[self.list_display.index("publication_due")](obj)

    def get_list_display(self, request):
        # The publication deadline of each row (R-INS-09, D4, D18) from one read of the
        # calendar and of the period's versions per page, not two queries per row.
        add_working_days = working_day_adder()
        period_on = policy_timeline("INSPECTION_PUBLICATION_WORKING_DAYS")
        today = timezone.localdate()

        @admin.display(description="公示期限")
        def publication_due(obj: Inspection) -> str:
            if obj.completed_on is None:
                return "—"
            due = add_working_days(obj.completed_on, period_on(obj.completed_on))
            late = obj.published_on is None and due < today
            return f"{due}（已逾期）" if late else str(due)

        return [publication_due if f == "publication_due" else f for f in self.list_display]

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
        "follow_up",
    ]

    @admin.display(description="后续处理（专项审计、约谈、通报）")
    def follow_up(self, obj: Inspection) -> str:
        chain = inspection_follow_up(obj) if obj.pk else []
        if not chain:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}　{}：{}", ((str(d), what, detail) for d, what, detail in chain)
        )

    actions = [
        _inspection_action(
            "start_inspection",
            "开始检查",
            DateForm,
            lambda request, i, data: inspection_transition(
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
            lambda request, i, data: inspection_transition(
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
            lambda request, i, data: inspection_publish(inspection=i, on=data["on"]),
            "已完成检查的结果在公示页面公开（R-INS-09：完成后20个工作日内）。",
        ),
        _inspection_action(
            "verify_rectification",
            "核实整改",
            DateForm,
            lambda request, i, data: inspection_verify_rectification(
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
