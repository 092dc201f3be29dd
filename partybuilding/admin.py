"""Admin of party building, in Chinese: entry screens, the coverage summary page (each figure
a link to the rows behind it), dissolution and ending as dated actions, Excel import/export."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from common.admin_actions import run_on_selection
from common.admin_excel import ExcelImportExportMixin
from common.admin_filters import filterset_list_filter

from .admin_filters import filterset_params_list_filter
from .exports import (
    ASSIGNMENT_COLUMNS,
    PARTY_ORGANIZATION_COLUMNS,
    instructor_assignments_export_xlsx,
    party_organizations_export_xlsx,
)
from .filters import (
    CoverageOrganizationFilterSet,
    InstructorAssignmentFilterSet,
    PartyOrganizationFilterSet,
)
from .forms import (
    CoverageInlineFormSet,
    DissolveForm,
    EndForm,
    InstructorAssignmentForm,
    SummaryDateForm,
)
from .imports import instructor_assignments_import, party_organizations_import
from .models import (
    CoverageOrganization,
    DemonstrationPoint,
    Instructor,
    InstructorAssignment,
    PartyMemberCount,
    PartyOrganization,
    PartyOrganizationCoverage,
    SuperiorBody,
    VolunteerActivity,
    VolunteerDomain,
)
from .selectors import ORG_FIGURE_LABELS, party_coverage
from .services import coverage_end, instructor_assignment_end, party_organization_dissolve

UPLOAD_DIR = Path(tempfile.gettempdir()) / "socialorg-partybuilding-imports"


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # nothing in party building is deleted: it ends on a date


@admin.register(SuperiorBody)
class SuperiorBodyAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(VolunteerDomain)
class VolunteerDomainAdmin(NoDeleteAdmin):
    list_display = ["name", "sort_order", "is_active"]
    search_fields = ["name"]


class CoverageInline(admin.TabularInline):
    model = PartyOrganizationCoverage
    formset = CoverageInlineFormSet
    extra = 1
    fields = ["organization", "joined_on", "left_on"]
    autocomplete_fields = ["organization"]
    can_delete = False


# The rates link to the rows of their numerator.
_RATE_NUMERATOR = {
    "covered_rate": "covered",
    "single_rate": "covered_single",
    "work_covered_rate": "work_covered",
    "two_coverage_rate": "two_coverage",
}


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ExcelImportExportMixin, NoDeleteAdmin):
    list_display = [
        "name",
        "level",
        "formation",
        "superior_body",
        "approved_on",
        "dissolved_on",
        "full_members",
        "probationary_members",
        "secretary",
    ]
    list_select_related = ["superior_body"]
    search_fields = ["name", "coverages__organization__name", "=coverages__organization__uscc"]
    list_filter = [
        filterset_list_filter(PartyOrganizationFilterSet, "formation"),
        filterset_list_filter(PartyOrganizationFilterSet, "level"),
        filterset_list_filter(PartyOrganizationFilterSet, "superior_kind"),
        filterset_list_filter(PartyOrganizationFilterSet, "direct"),
        filterset_list_filter(PartyOrganizationFilterSet, "superior_body"),
        filterset_list_filter(PartyOrganizationFilterSet, "dissolved"),
        filterset_params_list_filter(PartyOrganizationFilterSet, "active_on"),
        filterset_params_list_filter(PartyOrganizationFilterSet, "approved_after"),
        filterset_params_list_filter(PartyOrganizationFilterSet, "approved_before"),
    ]
    inlines = [CoverageInline]
    readonly_fields = ["dissolved_on", "dissolution_doc_no"]
    actions = ["dissolve_selected"]
    change_list_template = "partybuilding/partyorganization_change_list.html"
    fieldsets = [
        (
            "党组织",
            {
                "fields": [
                    "name",
                    "level",
                    "formation",
                    "superior_body",
                    "secretary",
                    "has_branch_committee",
                ]
            },
        ),
        ("党员", {"fields": ["full_members", "probationary_members"]}),
        (
            "批准与撤销",
            {"fields": ["approved_on", "approval_doc_no", "dissolved_on", "dissolution_doc_no"]},
        ),
    ]

    excel_import_template = "partybuilding/import.html"
    excel_import_title = "从 Excel 导入党组织"
    excel_export_basename = "党组织"
    excel_columns = PARTY_ORGANIZATION_COLUMNS
    excel_upload_dir = UPLOAD_DIR / "party-organizations"
    excel_session_key = "partybuilding_party_organization_imports"

    def get_readonly_fields(self, request, obj=None):
        # The formation and approval date define the coverage; a change means a new branch.
        fixed = ["formation", "approved_on"] if obj is not None else []
        return [*self.readonly_fields, *fixed]

    def excel_export(self, *, queryset, fileobj) -> int:
        return party_organizations_export_xlsx(queryset=queryset, fileobj=fileobj)

    def excel_import(self, *, fileobj, actor, commit: bool):
        return party_organizations_import(fileobj=fileobj, actor=actor, commit=commit)

    def excel_import_pending(self, result) -> bool:
        return bool(result.to_create)

    def excel_import_done_message(self, result) -> str:
        return (
            f"导入完成：新增 {result.created} 个党组织，{result.unchanged} 个与系统一致未作变更。"
        )

    @admin.action(description="撤销党组织（所选）", permissions=["change"])
    def dissolve_selected(self, request, queryset):
        return run_on_selection(
            self,
            request,
            queryset,
            label="撤销党组织",
            form_class=DissolveForm,
            intro="撤销日期起不再计入党组织数和覆盖数，覆盖的社会组织同日退出；任何一个不符合条件时全部不作变更。",
            apply=lambda po, data: party_organization_dissolve(
                party_organization=po, on=data["on"], doc_no=data["doc_no"], actor=request.user
            ),
        )

    # ------------------------------------------------------------------ summary page

    def get_urls(self):
        return [
            path(
                "summary/",
                self.admin_site.admin_view(self.summary_view),
                name="partybuilding_partyorganization_summary",
            ),
            *super().get_urls(),
        ]

    def summary_view(self, request):
        """党建统计: every coverage figure on a date, each linking to the rows it counts."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SummaryDateForm(request.GET or {"as_of": timezone.localdate()})
        rows = []
        if form.is_valid():
            day = form.cleaned_data["as_of"]
            coverage = party_coverage(day=day)
            rows = [(f, self._figure_link(f.key, day, coverage)) for f in coverage.figures()]
        context = {
            **self.admin_site.each_context(request),
            "title": "党建统计（两个覆盖）",
            "opts": self.opts,
            "form": form,
            "rows": rows,
        }
        return TemplateResponse(request, "partybuilding/summary.html", context)

    def _figure_link(self, key: str, day, coverage) -> str:
        key = _RATE_NUMERATOR.get(key, key)
        if key in ORG_FIGURE_LABELS or key == "two_coverage":
            url = reverse("admin:partybuilding_coverageorganization_changelist")
            return f"{url}?{urlencode({'as_of': day.isoformat(), 'figure': key})}"
        params = {"active_on": day.isoformat()}
        if key == "party_organizations_single":
            params["formation"] = "single"
        elif key == "party_organizations_joint":
            params["formation"] = "joint"
        elif key in ("party_organizations_direct", "party_organizations_direct_members"):
            params["direct"] = "true"
        elif key == "party_organizations_other":
            params["direct"] = "false"
        elif key == "party_organizations_founded_in_year":
            params["approved_after"] = f"{day.year}-01-01"
        elif key.startswith("superior_body:"):
            code = key.split(":", 1)[1]
            body = next(b for b in coverage.by_superior if b.code == code)
            params["superior_body"] = str(body.superior_body_id)
        url = reverse("admin:partybuilding_partyorganization_changelist")
        return f"{url}?{urlencode(params)}"


@admin.register(CoverageOrganization)
class CoverageOrganizationAdmin(admin.ModelAdmin):
    """The organizations behind a coverage figure (read-only: the register is edited in 登记管理)."""

    list_display = ["name", "uscc", "org_type", "supervising_unit", "established_on", "status"]
    list_select_related = ["supervising_unit"]
    search_fields = ["name", "=uscc"]
    list_filter = [
        filterset_params_list_filter(
            CoverageOrganizationFilterSet, "figure", "as_of", choice="figure", title="覆盖情况"
        )
    ]
    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartyOrganizationCoverage)
class PartyOrganizationCoverageAdmin(NoDeleteAdmin):
    list_display = ["party_organization", "organization", "joined_on", "left_on"]
    list_select_related = ["party_organization", "organization"]
    search_fields = ["party_organization__name", "organization__name", "=organization__uscc"]
    readonly_fields = ["party_organization", "organization", "joined_on", "left_on"]
    actions = ["end_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # added on the party organization's page, where the formation rules apply

    @admin.action(description="退出党组织（所选）", permissions=["change"])
    def end_selected(self, request, queryset):
        return run_on_selection(
            self,
            request,
            queryset,
            label="退出党组织",
            form_class=EndForm,
            apply=lambda cov, data: coverage_end(
                coverage=cov, left_on=data["on"], actor=request.user
            ),
        )


@admin.register(PartyMemberCount)
class PartyMemberCountAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "as_of", "full_members", "probationary_members", "source"]
    list_filter = ["source"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "=organization__uscc"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "as_of"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Instructor)
class InstructorAdmin(NoDeleteAdmin):
    list_display = ["name", "employer", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "employer"]


@admin.register(InstructorAssignment)
class InstructorAssignmentAdmin(ExcelImportExportMixin, NoDeleteAdmin):
    form = InstructorAssignmentForm
    list_display = ["instructor", "organization", "started_on", "ended_on"]
    list_select_related = ["instructor", "organization"]
    search_fields = ["instructor__name", "organization__name", "=organization__uscc"]
    autocomplete_fields = ["organization"]
    list_filter = [
        filterset_list_filter(InstructorAssignmentFilterSet, "instructor"),
        filterset_params_list_filter(InstructorAssignmentFilterSet, "active_on"),
    ]
    actions = ["end_selected"]
    change_list_template = "partybuilding/instructorassignment_change_list.html"

    excel_import_template = "partybuilding/import.html"
    excel_import_title = "从 Excel 导入指导员指派"
    excel_export_basename = "党建工作指导员指派"
    excel_columns = ASSIGNMENT_COLUMNS
    excel_upload_dir = UPLOAD_DIR / "instructor-assignments"
    excel_session_key = "partybuilding_assignment_imports"

    def get_readonly_fields(self, request, obj=None):
        return ["instructor", "organization", "started_on"] if obj is not None else []

    def excel_export(self, *, queryset, fileobj) -> int:
        return instructor_assignments_export_xlsx(queryset=queryset, fileobj=fileobj)

    def excel_import(self, *, fileobj, actor, commit: bool):
        return instructor_assignments_import(fileobj=fileobj, actor=actor, commit=commit)

    def excel_import_pending(self, result) -> bool:
        return bool(result.to_create or result.to_update)

    def excel_import_done_message(self, result) -> str:
        return (
            f"导入完成：新增 {result.created} 条指派，结束 {result.updated} 条，"
            f"{result.unchanged} 条与系统一致未作变更。"
        )

    @admin.action(description="结束指派（所选）", permissions=["change"])
    def end_selected(self, request, queryset):
        return run_on_selection(
            self,
            request,
            queryset,
            label="结束指派",
            form_class=EndForm,
            apply=lambda a, data: instructor_assignment_end(
                assignment=a, ended_on=data["on"], actor=request.user
            ),
        )


@admin.register(VolunteerActivity)
class VolunteerActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "domain", "held_on", "participants", "hours"]
    list_filter = ["domain"]
    list_select_related = ["domain"]
    search_fields = ["title"]
    autocomplete_fields = ["organizations"]
    date_hierarchy = "held_on"


@admin.register(DemonstrationPoint)
class DemonstrationPointAdmin(NoDeleteAdmin):
    list_display = ["title", "organization", "designated_on", "ended_on"]
    list_select_related = ["organization"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization"]
