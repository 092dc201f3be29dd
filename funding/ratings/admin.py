"""Admin of rating rounds: applications with scores, notice and announcement, reminders."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone

from common.admin_actions import run_on_selection

from .models import (
    RatingApplication,
    RatingEvaluation,
    RatingExpiryReminder,
    RatingReviewRequest,
    RatingRound,
)
from .services import rating_round_announce, rating_round_start_notice


class DateForm(forms.Form):
    on = forms.DateField(label="日期", initial=timezone.localdate)


def _round_action(service, label: str, intro: str):
    def action(modeladmin, request, queryset):
        return run_on_selection(
            modeladmin,
            request,
            queryset,
            label=label,
            form_class=DateForm,
            apply=lambda rnd, data: service(rating_round=rnd, on=data["on"], actor=request.user),
            intro=intro,
        )

    action.__name__ = service.__name__
    action.short_description = label
    action.allowed_permissions = ("change",)
    return action


@admin.register(RatingRound)
class RatingRoundAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "year",
        "status",
        "min_5a",
        "min_4a",
        "min_3a",
        "min_2a",
        "min_1a",
        "notice_ends_on",
        "announced_on",
    ]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "notice_started_on", "notice_ends_on", "announced_on"]
    actions = [
        _round_action(
            rating_round_start_notice,
            "按分数线评定等级并公示",
            "按本批次的分数线（R-EVL-04）由各专家打分的平均分评定等级，公示5个工作日；公示期内可申请复核。",
        ),
        _round_action(
            rating_round_announce,
            "公示期满，公告并写入等级记录",
            "公示期满且复核均已决定后，评定的等级写入社会组织的等级记录，并按公告日适用的规则计算有效期（D8）。",
        ),
    ]


class EvaluationInline(admin.TabularInline):
    model = RatingEvaluation
    extra = 0
    fields = ["expert", "score", "evaluated_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReviewRequestInline(admin.TabularInline):
    model = RatingReviewRequest
    extra = 0
    fields = ["requested_on", "reason", "decision", "new_score", "decided_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RatingApplication)
class RatingApplicationAdmin(admin.ModelAdmin):
    list_display = ["organization", "round", "applied_on", "status", "score", "grade"]
    list_filter = ["round", "status", "grade"]
    list_select_related = ["organization", "round"]
    search_fields = ["organization__name", "=organization__uscc"]
    inlines = [EvaluationInline, ReviewRequestInline]

    def has_add_permission(self, request) -> bool:
        return False  # applications go through rating_apply (eligibility with reasons)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in RatingApplication._meta.fields]


@admin.register(RatingExpiryReminder)
class RatingExpiryReminderAdmin(admin.ModelAdmin):
    """The daily task's reminders (R-XC-02): grades expiring soon, soonest first."""

    list_display = ["organization", "expires_on", "created_on"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "=organization__uscc"]
    date_hierarchy = "expires_on"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
