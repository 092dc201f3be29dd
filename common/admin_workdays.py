"""Admin of the working-day calendar (D18): staff add a new year's holidays and 调休 days."""

from __future__ import annotations

from django.contrib import admin

from .workdays import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
