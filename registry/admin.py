"""Admin of the register, in Chinese: search, filters, history, lifecycle actions, Excel."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import admin, messages
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from common.admin_actions import run_on_selection
from common.admin_changelist import RegisterChangeListMixin
from common.admin_excel import ExcelImportExportMixin
from common.admin_filters import filterset_list_filter
from common.audit import record_personal_read

from .choices import (
    DECISION_KIND_FOR_STATUS,
    LEGAL_STATUS_DECISIONS,
    LIFECYCLE_TRANSITIONS,
    LifecycleStatus,
)
from .exports import ORGANIZATION_COLUMNS, organizations_export_xlsx
from .filters import EXTENSION_FILTERS, OrganizationFilterSet
from .forms import OrganizationAdminForm, transition_form_class
from .imports import organizations_import
from .models import IndustryCategory, LifecycleDecision, Organization, Rating, SupervisingUnit
from .search import is_short_term, short_name_filter, short_name_search_available
from .services import (
    REGISTRATION_FIELDS,
    organization_change,
    organization_register,
    organization_transition,
)


@admin.register(IndustryCategory)
class IndustryCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "scope"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SupervisingUnit)
class SupervisingUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ["grade", "awarded_on", "rule_version", "valid_from", "expires_on"]
    readonly_fields = ["rule_version", "valid_from", "expires_on"]
    can_delete = False


class LifecycleDecisionInline(admin.TabularInline):
    """The organization's lifecycle decisions (R-XC-03), read only: they are written by the
    lifecycle actions and never changed."""

    model = LifecycleDecision
    extra = 0
    fields = ["decided_on", "kind", "document_no", "authority", "facts", "evidence", "actor"]
    readonly_fields = fields
    can_delete = False
    ordering = ["decided_on", "pk"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _transition_action(to: str, label: str):
    def action(modeladmin: OrganizationAdmin, request, queryset):
        return modeladmin.transition_selected(request, queryset, to=to, label=label)

    action.__name__ = f"transition_to_{to}"
    action.short_description = f"{label}（所选组织）"
    action.allowed_permissions = ("change",)
    return action


_TRANSITION_ACTIONS = {}
for _targets in LIFECYCLE_TRANSITIONS.values():
    for _to, _label in _targets.items():
        _TRANSITION_ACTIONS.setdefault((_to, _label), _transition_action(_to, _label))


# Personal information on an organization's page, each read of which is audited.
PERSONAL_FIELDS = ("法定代表人", "联系电话")

# Uploads wait here between preview and confirmation (common.admin_excel).
IMPORT_UPLOAD_DIR = Path(tempfile.gettempdir()) / "socialorg-organization-imports"
IMPORT_SESSION_KEY = "registry_organization_imports"


@admin.register(Organization)
class OrganizationAdmin(RegisterChangeListMixin, ExcelImportExportMixin, SimpleHistoryAdmin):
    form = OrganizationAdminForm
    list_display = [
        "name",
        "uscc",
        "org_type",
        "is_industry_association",
        "industry_category",
        "supervising_unit",
        "legal_representative",
        "established_on",
        "status",
    ]
    list_select_related = ["industry_category", "supervising_unit"]
    # The changelist page itself reads them after its 100 rows (common.admin_changelist).
    list_prefetch_related = ["industry_category", "supervising_unit"]
    search_fields = ["name", "=uscc"]
    search_help_text = "按名称（任意部分）或完整的统一社会信用代码查找"
    list_filter = [
        filterset_list_filter(OrganizationFilterSet, "org_type"),
        filterset_list_filter(OrganizationFilterSet, "status"),
        filterset_list_filter(OrganizationFilterSet, "industry_category"),
        filterset_list_filter(OrganizationFilterSet, "supervising_unit"),
        filterset_list_filter(OrganizationFilterSet, "is_industry_association"),
        filterset_list_filter(OrganizationFilterSet, "rating"),
    ]
    autocomplete_fields = ["supervising_unit"]
    inlines = [RatingInline, LifecycleDecisionInline]
    list_per_page = 100
    show_full_result_count = False
    date_hierarchy = None
    readonly_fields = [
        "status",
        "deregistration_started_on",
        "deregistered_on",
        "revoked_on",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            "登记信息",
            {"fields": ["uscc", *REGISTRATION_FIELDS]},
        ),
        (
            "登记状态",
            {
                "fields": [
                    "status",
                    "deregistration_started_on",
                    "deregistered_on",
                    "revoked_on",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = list(_TRANSITION_ACTIONS.values())

    def get_list_filter(self, request):
        # Filters other apps add in their ready() (e.g. oversight's 信用状态); the admin
        # autodiscovers before those run, so they are looked up per request.
        return [
            *self.list_filter,
            *(filterset_list_filter(OrganizationFilterSet, name) for name in EXTENSION_FILTERS),
        ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # DESIGN.md §3: a register entry is never deleted

    def get_search_results(self, request, queryset, search_term):
        # Terms of 1–2 characters go to the name-gram GIN index (registry/search.py): the
        # trigram index behind Django's icontains cannot serve them. Longer terms, and every
        # term on SQLite, keep Django's search (name icontains or exact USCC).
        if not short_name_search_available():
            return super().get_search_results(request, queryset, search_term)
        long_terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            if is_short_term(bit):
                queryset = short_name_filter(queryset, bit)
            else:
                long_terms.append(f'"{bit}"' if " " in bit else bit)
        may_have_duplicates = False
        if long_terms:
            queryset, may_have_duplicates = super().get_search_results(
                request, queryset, " ".join(long_terms)
            )
        return queryset, may_have_duplicates

    # ------------------------------------------------------------------ Excel export / import

    excel_import_template = "admin/registry/organization/import.html"
    excel_import_title = "从 Excel 导入社会组织"
    excel_export_basename = "社会组织名录"
    excel_columns = ORGANIZATION_COLUMNS
    excel_upload_dir = IMPORT_UPLOAD_DIR
    excel_session_key = IMPORT_SESSION_KEY

    def excel_export(self, *, queryset, fileobj) -> int:
        return organizations_export_xlsx(queryset=queryset, fileobj=fileobj)

    excel_import_reports_progress = True

    def excel_import(self, *, fileobj, actor, commit: bool, progress=None):
        return organizations_import(fileobj=fileobj, actor=actor, commit=commit, progress=progress)

    def excel_import_pending(self, result) -> bool:
        return bool(result.to_create or result.to_update)

    def excel_import_done_message(self, result) -> str:
        return (
            f"导入完成：新增 {result.created} 个组织，更新 {result.updated} 个，"
            f"{result.unchanged} 个与系统一致未作变更。"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and response.status_code == 200 and original is not None:
            # 等保 安全审计: reads of personal fields are recorded (common.audit).
            record_personal_read(
                user=request.user, obj=original, fields=PERSONAL_FIELDS, channel="后台"
            )
        return response

    def save_model(self, request, obj, form, change) -> None:
        # Through the services (issue 16): their rules and row lock apply here too. The form
        # has already run the same checks, so a refusal here means a concurrent change.
        if change:
            changes = {
                f: form.cleaned_data[f] for f in form.changed_data if f in REGISTRATION_FIELDS
            }
            if changes:
                saved = organization_change(
                    organization=obj, actor=request.user, reason="变更登记", **changes
                )
                obj.updated_at = saved.updated_at
        else:
            fields = {f: form.cleaned_data[f] for f in ("uscc", *REGISTRATION_FIELDS)}
            saved = organization_register(actor=request.user, **fields)
            for f in Organization._meta.concrete_fields:
                setattr(obj, f.attname, getattr(saved, f.attname))
            obj._state.adding = False
        for warning in getattr(form, "uscc_warnings", []):
            messages.warning(request, warning)

    def transition_selected(self, request, queryset, *, to: str, label: str):
        """Apply one lifecycle transition to the selection, all or nothing, after asking the
        decision (date; for 撤销登记 and 核准注销 also number, authority, evidence: R-XC-03)."""
        form_class = transition_form_class(
            documented=DECISION_KIND_FOR_STATUS[to] in LEGAL_STATUS_DECISIONS
        )
        return run_on_selection(
            self,
            request,
            queryset,
            label=label,
            # The evidence upload arrives in request.FILES, which run_on_selection does not pass.
            form_class=lambda data: form_class(data, request.FILES if data is not None else None),
            describe=lambda org: f"{org.name}（{org.uscc}，{org.get_status_display()}）",
            intro=f"将所选组织的登记状态变更为“{LifecycleStatus(to).label}”；"
            "任何一个组织不符合条件时，全部不作变更。",
            apply=lambda org, data: organization_transition(
                organization=org,
                to=to,
                on=data["on"],
                actor=request.user,
                reason=data["reason"] or label,
                document_no=data["document_no"],
                authority=data["authority"],
                facts=data["facts"],
                evidence=data["evidence"],
            ),
        )


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = [
        "organization",
        "grade",
        "awarded_on",
        "rule_version",
        "valid_from",
        "expires_on",
    ]
    list_filter = ["grade", "rule_version"]
    search_fields = ["organization__name", "=organization__uscc"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LifecycleDecision)
class LifecycleDecisionAdmin(admin.ModelAdmin):
    """登记状态决定, read only: each is written with its transition and is append-only (R-XC-03)."""

    list_display = [
        "decided_on",
        "kind",
        "organization_name",
        "organization_uscc",
        "document_no",
        "authority",
        "actor",
    ]
    list_filter = ["kind"]
    search_fields = ["organization_name", "=organization_uscc", "document_no"]
    list_select_related = ["actor"]
    date_hierarchy = "decided_on"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
