"""Admin of the reports app: the published register extracts, read-only (written by the daily
job, never edited — the public page prints their SHA-256)."""

from django.contrib import admin

from reports.models import RegisterExtract


@admin.register(RegisterExtract)
class RegisterExtractAdmin(admin.ModelAdmin):
    list_display = ["published_on", "row_count", "size", "sha256", "created_at"]
    date_hierarchy = "published_on"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
