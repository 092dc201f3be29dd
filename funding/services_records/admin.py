"""Admin of service records, with 家次 and 场次 per kind above the list."""

from __future__ import annotations

from django.contrib import admin

from .choices import ServiceKind
from .models import ServiceRecord
from .selectors import service_record_counts


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "served_on", "session"]
    list_filter = ["kind"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "=organization__uscc", "session"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "served_on"

    def changelist_view(self, request, extra_context=None):
        counts = service_record_counts()
        summary = "；".join(
            f"{ServiceKind(kind).label} {c['households']} 家次 / {c['sessions']} 场次"
            for kind, c in counts.items()
        )
        extra_context = {**(extra_context or {}), "subtitle": summary}
        return super().changelist_view(request, extra_context=extra_context)
