"""Admin of 双随机 draws: create (commit) and execute (reveal) as tasks, the frozen inputs never listed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from common.admin_actions import ACTION_TEMPLATE
from oversight.admin_base import RecordAdminMixin
from oversight.inspections.draw_publication import inspection_draw_verify
from oversight.inspections.forms import DrawCreateForm, DrawExecuteForm
from oversight.inspections.models import (
    InspectionDraw,
)
from oversight.inspections.tasks import inspection_draw_create_task, inspection_draw_execute_task

# The frozen inputs of a draw: megabytes for a city-wide population, never shown in lists.
DRAW_BULK_FIELDS = ("population_text", "strata_text", "roster_text", "conflicts_text", "nonce")


# ---------------------------------------------------------------------------- draws


def _enqueue(request, task, **kwargs: Any) -> None:
    """Send a task once the surrounding transaction commits (STYLE.md: async), by keyword
    only, so a reordered signature cannot misread a queued message. Without a worker (eager
    mode) it runs at once, so its refusal is shown like any other error."""

    def send() -> None:
        try:
            task.delay(**kwargs)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))

    transaction.on_commit(send)


@admin.register(InspectionDraw)
class InspectionDrawAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "year",
        "round",
        "status",
        "ratio",
        "population_size",
        "sample_size",
        "created_at",
        "executed_at",
    ]
    list_filter = ["kind", "status", "year"]
    search_fields = ["population_hash", "seed"]
    actions = ["execute_draw", "verify_draw"]
    commitment_fields = [
        "population_size",
        "sample_size",
        "ratio_warning",
        "inspectors_per_org",
        "candidate_window",
        "population_hash",
        "strata_hash",
        "roster_hash",
        "conflicts_hash",
        "nonce_hash",
        "public_value_source",
        "created_at",
        "created_by",
    ]
    reveal_fields = [
        "revealed_nonce",
        "public_value",
        "seed",
        "executed_at",
        "executed_by",
        "inspections_link",
    ]
    setting_fields = [
        "kind",
        "year",
        "round",
        "ratio",
        "stratify_by",
        "population_rule",
        "population_as_of",
        "status",
    ]
    readonly_fields = [*setting_fields, *commitment_fields, *reveal_fields]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*DRAW_BULK_FIELDS)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            ("抽查设定", {"fields": self.setting_fields}),
            ("承诺（创建时即公开）", {"fields": self.commitment_fields}),
        ]
        if obj is not None and obj.is_executed:
            # The nonce stays secret until execution (DESIGN.md §4.2 step 1.4).
            fieldsets.append(("揭示（执行后公开）", {"fields": self.reveal_fields}))
        return fieldsets

    @admin.display(description="随机数（已揭示）")
    def revealed_nonce(self, obj: InspectionDraw) -> str:
        if not obj.is_executed:
            return "（执行前保密）"
        return bytes(InspectionDraw.objects.values_list("nonce", flat=True).get(pk=obj.pk)).hex()

    @admin.display(description="抽中的检查")
    def inspections_link(self, obj: InspectionDraw) -> str:
        url = reverse("admin:oversight_inspection_changelist") + f"?draw__id__exact={obj.pk}"
        return format_html('<a href="{}">查看 {} 家被抽中组织的检查</a>', url, obj.sample_size)

    def has_change_permission(self, request, obj=None) -> bool:
        # The actions need the change permission; the record itself is never edited: its
        # frozen inputs are the commitment and, once executed, a trigger refuses UPDATE.
        if obj is not None:
            return False
        return super().has_change_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        """Step 1 (commit) through the Celery task, after the request's transaction commits."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DrawCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            known_at = data["public_value_known_at"]
            _enqueue(
                request,
                inspection_draw_create_task,
                kind=data["kind"],
                year=data["year"],
                round=data["round"],
                ratio=str(data["ratio"]),
                stratify_by=data["stratify_by"],
                public_value_source=data["public_value_source"],
                public_value_known_at=known_at.isoformat() if known_at else None,
                report_year=data["report_year"],
                as_of=data["as_of"].isoformat(),
                actor_id=request.user.pk,
            )
            draw = InspectionDraw.objects.filter(
                kind=data["kind"], year=data["year"], round=data["round"]
            ).first()
            if draw is not None:
                self.message_user(
                    request,
                    f"已创建{draw}：抽查总体 {draw.population_size} 家，抽取 {draw.sample_size} 家。"
                    "名录、人员名录和随机数的哈希值已固定并可公开；执行时才揭示随机数。",
                    messages.SUCCESS,
                )
                if draw.ratio_warning:
                    self.message_user(request, draw.ratio_warning, messages.WARNING)
                return HttpResponseRedirect(
                    reverse("admin:oversight_inspectiondraw_change", args=[draw.pk])
                )
            self.message_user(
                request,
                "已提交创建抽查的后台任务。由后台任务执行时，抽查将在片刻后出现在列表中，请稍后刷新。",
                messages.INFO,
            )
            return HttpResponseRedirect(reverse("admin:oversight_inspectiondraw_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "创建双随机抽查（第一步：承诺）",
            "label": "创建抽查",
            "intro": "创建时固定抽查对象名录、检查人员名录和回避关系，并公开它们的 SHA-256 "
            "以及保密随机数的 SHA-256；执行时才揭示随机数并计算抽取结果（DESIGN.md §4.2）。",
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    @admin.action(description="执行抽查（录入公开随机值）", permissions=["change"])
    def execute_draw(self, request, queryset):
        draws = list(queryset)
        if len(draws) != 1:
            self.message_user(request, "每次只能执行一个抽查，请只选择一个。", messages.ERROR)
            return None
        draw = draws[0]
        if draw.is_executed:
            self.message_user(request, f"{draw}已经执行，不能再次执行。", messages.ERROR)
            return None
        form = DrawExecuteForm(request.POST if "apply" in request.POST else None, draw=draw)
        if "apply" in request.POST and form.is_valid():
            _enqueue(
                request,
                inspection_draw_execute_task,
                draw_id=draw.pk,
                public_value=form.cleaned_data["public_value"],
                actor_id=request.user.pk,
            )
            if InspectionDraw.objects.filter(pk=draw.pk, status="executed").exists():
                self.message_user(request, f"{draw}已执行，抽取结果已生成。", messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    f"已提交执行{draw}的后台任务；由后台任务执行时，结果将在片刻后出现，请稍后刷新。",
                    messages.INFO,
                )
            return None
        source = (
            f"{draw.public_value_source}（{draw.public_value_known_at_text} 公布）"
            if draw.public_value_source
            else "（未声明，公开随机值留空）"
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "执行抽查：确认",
            "label": "执行抽查",
            "intro": f"执行后揭示随机数，种子 = SHA-256(随机数 ‖ 公开随机值)，抽取结果随即确定，"
            f"不能重新执行或修改。创建时声明的公开随机值来源：{source}",
            "form": form,
            "items": [
                f"{draw}：总体 {draw.population_size} 家，抽取 {draw.sample_size} 家，"
                f"随机数 SHA-256 {draw.nonce_hash}"
            ],
            "count": 1,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "opts": self.opts,
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    @admin.action(description="核验抽查（按记录重新计算）", permissions=["view"])
    def verify_draw(self, request, queryset):
        for draw in InspectionDraw.objects.filter(pk__in=queryset.values("pk")):
            problems = inspection_draw_verify(draw=draw)
            if not problems:
                self.message_user(
                    request,
                    f"{draw}：核验一致。重新计算的哈希值、种子、抽中组织和检查人员与记录相符。",
                    messages.SUCCESS,
                )
            else:
                shown = problems[:20]
                more = f" ……共 {len(problems)} 处" if len(problems) > 20 else ""
                self.message_user(
                    request, f"{draw}：核验不一致：" + " ".join(shown) + more, messages.ERROR
                )
