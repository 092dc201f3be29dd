"""Admin of the legal periods (issue 16 item 3): staff add a row effective from a date when a
period changes; earlier rows stay, so earlier decisions keep the value they used."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .policy import LegalPeriod


@admin.register(LegalPeriod)
class LegalPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "key", "text", "effective_from", "rule", "note"]
    list_filter = ["key"]
    search_fields = ["label", "key", "rule"]
    ordering = ["key", "-effective_from"]
    readonly_fields = ["unit", "rule", "label"]

    @admin.display(description="期限")
    def text(self, obj: LegalPeriod) -> str:
        return obj.text
