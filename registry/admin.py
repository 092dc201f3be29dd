"""Admin of the register, in Chinese: search, filters, history, lifecycle actions, Excel."""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from common.admin_filters import filterset_list_filter
from common.excel import XLSX_CONTENT_TYPE, ExcelFormatError

from .choices import LIFECYCLE_TRANSITIONS, LifecycleStatus
from .exports import ORGANIZATION_COLUMNS, organizations_export_xlsx
from .filters import OrganizationFilterSet
from .forms import OrganizationAdminForm, TransitionForm
from .imports import organizations_import
from .models import IndustryCategory, Organization, Rating, SupervisingUnit
from .services import organization_transition


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


# Uploads wait here between preview and confirmation. A local temp directory is enough for
# one web host; several hosts behind a balancer would need shared storage instead.
IMPORT_UPLOAD_DIR = Path(tempfile.gettempdir()) / "socialorg-organization-imports"
IMPORT_SESSION_KEY = "registry_organization_imports"
IMPORT_TTL_SECONDS = 60 * 60
IMPORT_MAX_BYTES = 50 * 1024 * 1024
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class OrganizationImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        help_text="仅支持 .xlsx 格式；表头须与导出的名录一致，建议先导出一份名录作为模板。",
        error_messages={
            "required": "请选择要导入的 Excel 文件。",
            "empty": "上传的文件是空的（0 字节），请选择正确的 Excel 文件。",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                "仅支持 Excel 工作簿（.xlsx）。.xls、.csv 等文件请先在 Excel 或 WPS 中另存为 .xlsx。"
            )
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"文件过大（超过 {IMPORT_MAX_BYTES // (1024 * 1024)} MB），请拆分后分批导入。"
            )
        return upload


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
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
    inlines = [RatingInline]
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
            {
                "fields": [
                    "uscc",
                    "name",
                    "org_type",
                    "is_industry_association",
                    "industry_category",
                    "supervising_unit",
                    "legal_representative",
                    "domicile",
                    "phone",
                    "business_scope",
                    "registered_capital",
                    "registration_certificate_no",
                    "established_on",
                ]
            },
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

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # DESIGN.md §3: a register entry is never deleted

    # ------------------------------------------------------------------ Excel export / import

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export_excel": self.has_view_permission(request),
            "can_import_excel": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def _changelist_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def _import_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")

    def export_view(self, request):
        """Export exactly what the changelist shows: its filters, search and ordering."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            self.message_user(request, "筛选条件无效，未能导出。", messages.ERROR)
            return HttpResponseRedirect(self._changelist_url())
        # A temp file, not memory: the workbook of a large register is tens of megabytes.
        tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
        try:
            organizations_export_xlsx(queryset=queryset, fileobj=tmp)
            tmp.seek(0)
        except BaseException:
            tmp.close()
            raise
        return FileResponse(
            tmp,
            as_attachment=True,
            filename=f"社会组织名录-{timezone.localdate():%Y%m%d}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )

    def import_view(self, request):
        """Upload → preview (counts and every error) → 确认导入 of the same stored file."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "从 Excel 导入社会组织",
            "opts": self.opts,
            "columns": ORGANIZATION_COLUMNS,
            "max_mb": IMPORT_MAX_BYTES // (1024 * 1024),
        }
        form = OrganizationImportForm()
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request, context)
        if request.method == "POST":
            form = OrganizationImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                token = self._import_store(request, upload)
                try:
                    with self._import_path(token).open("rb") as fh:
                        result = organizations_import(fileobj=fh, commit=False)
                except ExcelFormatError as exc:
                    self._import_discard(request, token)
                    form.add_error("file", exc.message)
                else:
                    context.update(result=result, filename=upload.name)
                    if result.is_valid and (result.to_create or result.to_update):
                        context["token"] = token
                    else:
                        self._import_discard(request, token)
                    form = OrganizationImportForm()
        context["form"] = form
        return TemplateResponse(request, "admin/registry/organization/import.html", context)

    def _import_confirm(self, request, context):
        token = request.POST.get("token", "")
        entry = self._import_entry(request, token)
        file_path = self._import_path(token) if entry else None
        if file_path is None or not file_path.exists():
            self._import_discard(request, token)
            self.message_user(
                request,
                "导入预览已失效（已过期、已导入或已被取消），请重新上传文件。",
                messages.ERROR,
            )
            return HttpResponseRedirect(self._import_url())
        try:
            with file_path.open("rb") as fh:
                result = organizations_import(fileobj=fh, actor=request.user, commit=True)
        except ExcelFormatError as exc:
            self._import_discard(request, token)
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(self._import_url())
        if result.committed:
            self._import_discard(request, token)
            self.message_user(
                request,
                f"导入完成：新增 {result.created} 个组织，更新 {result.updated} 个，"
                f"{result.unchanged} 个与系统一致未作变更。",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._changelist_url())
        # The register changed between preview and confirmation: show what is wrong now.
        self._import_discard(request, token)
        context.update(
            result=result,
            filename=entry.get("name", ""),
            form=OrganizationImportForm(),
            confirm_failed=True,
        )
        return TemplateResponse(request, "admin/registry/organization/import.html", context)

    @staticmethod
    def _import_path(token: str) -> Path:
        if not _TOKEN_RE.match(token or ""):
            raise ValueError("invalid import token")
        return IMPORT_UPLOAD_DIR / f"{token}.xlsx"

    def _import_entry(self, request, token: str) -> dict | None:
        if not _TOKEN_RE.match(token or ""):
            return None
        entry = request.session.get(IMPORT_SESSION_KEY, {}).get(token)
        if not entry or time.time() - entry.get("created", 0) > IMPORT_TTL_SECONDS:
            return None
        return entry

    def _import_store(self, request, upload) -> str:
        IMPORT_UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._import_prune()
        token = secrets.token_urlsafe(32)
        with self._import_path(token).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        pending = {
            key: value
            for key, value in request.session.get(IMPORT_SESSION_KEY, {}).items()
            if time.time() - value.get("created", 0) <= IMPORT_TTL_SECONDS
        }
        pending[token] = {"name": upload.name, "created": time.time()}
        request.session[IMPORT_SESSION_KEY] = pending
        return token

    def _import_discard(self, request, token: str) -> None:
        pending = dict(request.session.get(IMPORT_SESSION_KEY, {}))
        if pending.pop(token, None) is not None:
            request.session[IMPORT_SESSION_KEY] = pending
        if _TOKEN_RE.match(token or ""):
            self._import_path(token).unlink(missing_ok=True)

    @staticmethod
    def _import_prune() -> None:
        # Previews that were never confirmed leave files behind; sweep them on later uploads.
        cutoff = time.time() - IMPORT_TTL_SECONDS
        for stale in IMPORT_UPLOAD_DIR.glob("*.xlsx"):
            try:
                if stale.stat().st_mtime < cutoff:
                    stale.unlink(missing_ok=True)
            except OSError:
                continue

    def save_model(self, request, obj, form, change) -> None:
        obj._change_reason = "变更登记" if change else "成立登记"
        super().save_model(request, obj, form, change)
        for warning in getattr(form, "uscc_warnings", []):
            messages.warning(request, warning)

    def transition_selected(self, request, queryset, *, to: str, label: str):
        """Apply one lifecycle transition to the selection, all or nothing, after asking the date."""
        if "apply" in request.POST:
            form = TransitionForm(request.POST)
            if form.is_valid():
                failures: list[str] = []
                try:
                    with transaction.atomic():
                        for org in queryset.select_for_update():
                            try:
                                organization_transition(
                                    organization=org,
                                    to=to,
                                    on=form.cleaned_data["on"],
                                    actor=request.user,
                                    reason=form.cleaned_data["reason"] or label,
                                )
                            except ValidationError as exc:
                                failures.append(f"{org.name}：{'；'.join(exc.messages)}")
                        if failures:
                            raise ValidationError(failures)
                except ValidationError:
                    self.message_user(
                        request,
                        f"{label}未执行，以下组织不符合条件，全部未作变更：" + " ".join(failures),
                        messages.ERROR,
                    )
                    return None
                self.message_user(
                    request, f"已对 {queryset.count()} 个组织{label}。", messages.SUCCESS
                )
                return None
        else:
            form = TransitionForm()
        context = {
            **self.admin_site.each_context(request),
            "title": f"{label}：确认",
            "label": label,
            "form": form,
            "queryset": queryset[:200],
            "count": queryset.count(),
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "opts": self.model._meta,
            "to_label": LifecycleStatus(to).label,
        }
        return TemplateResponse(request, "admin/registry/organization/transition.html", context)


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
