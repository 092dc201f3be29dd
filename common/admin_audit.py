"""Admin of the audit trail: browse, filter and export to Excel; nothing can be added,
changed or deleted here (the database refuses it too, migration 0003_audit_trail)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from .admin_excel import ExcelImportExportMixin
from .audit_models import AuditDigest, AuditEvent
from .excel import xlsx_write

AUDIT_COLUMNS = ["时间", "事件", "用户名", "来源地址", "对象类型", "对象标识", "对象", "详情"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ExcelImportExportMixin, ReadOnlyAdmin):
    list_display = ["occurred_at", "action", "username", "ip_address", "object_repr", "detail"]
    list_filter = ["action", "day"]
    search_fields = ["username", "=ip_address", "object_repr", "=object_id"]
    date_hierarchy = "occurred_at"
    list_per_page = 100
    show_full_result_count = False
    excel_export_basename = "审计日志"

    def excel_export(self, *, queryset, fileobj) -> int:
        rows = (
            (
                timezone.localtime(e.occurred_at).replace(tzinfo=None),
                e.get_action_display(),
                e.username,
                e.ip_address or "",
                e.object_type,
                e.object_id,
                e.object_repr,
                e.detail,
            )
            for e in queryset.iterator(chunk_size=2000)
        )
        return xlsx_write(fileobj, headers=AUDIT_COLUMNS, rows=rows, sheet_title="审计日志")


@admin.register(AuditDigest)
class AuditDigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "rows", "digest", "previous_digest", "sealed_at"]
    date_hierarchy = "day"
