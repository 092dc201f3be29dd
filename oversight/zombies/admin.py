"""Admin of the zombie cleanup (DESIGN.md §4.5): the monthly flags with their criteria and
evidence, the designation of R-ZMB-01(5) (the add form) and the action that confirms flags
into cases; the cases with one action per stage of R-ZMB-02 (an intermediate page asks the
date and notes) and their public-notice dates, the progress per unit and the button that
issues this month's circulars. Every write goes through oversight.zombies."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from common.actors import saved_user
from common.admin_actions import run_on_selection
from common.admin_service_add import ServiceAddAdminMixin
from common.policy import policy_label
from oversight.zombies.choices import (
    ZOMBIE_NOTICE_DAYS,
    ZOMBIE_OPEN_STAGES,
    ZombieCriterion,
    ZombieStage,
)
from oversight.zombies.circulars import zombie_circulars_issue
from oversight.zombies.models import ZombieCase, ZombieFlag
from oversight.zombies.selectors import zombie_progress_by_unit
from oversight.zombies.services import (
    zombie_case_open,
    zombie_case_transition,
    zombie_designate,
)

CRITERION_LABELS = dict(ZombieCriterion.choices)


def _criteria_html(codes: list[str]) -> str:
    return format_html_join(
        "", "<div>{}（{}）</div>", ((CRITERION_LABELS.get(c, c), c) for c in codes)
    )


class _DatedForm(forms.Form):
    on = forms.DateField(label="办理日期", initial=timezone.localdate)
    notes = forms.CharField(
        label="办理情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class _ConfirmForm(forms.Form):
    identified_on = forms.DateField(label="认定日期", initial=timezone.localdate)
    responsible_person = forms.CharField(label="责任人", required=False, max_length=50)


class _DesignationForm(forms.ModelForm):
    """认定 (R-ZMB-01(5)): the form's rules are the service's; `_post_clean` runs it (inside
    the add view's transaction) instead of the model's own validation."""

    request = None  # set by ServiceAddAdminMixin.get_form

    class Meta:
        model = ZombieFlag
        fields = ["organization", "as_of", "designating_unit", "reason"]
        labels = {"as_of": "认定日期"}
        help_texts = {
            "designating_unit": "代业务主管单位登记其认定时选择该单位；为空表示由登记管理机关认定。"
        }

    def _post_clean(self) -> None:
        if self.errors:
            return
        data = self.cleaned_data
        try:
            self.saved = zombie_designate(
                organization=data["organization"],
                reason=data["reason"],
                actor=saved_user(self.request.user),
                on=data["as_of"],
                unit=data.get("designating_unit"),
            )
        except ValidationError as exc:
            self.add_error(None, exc.messages)


# ------------------------------------------------------------------ flags


@admin.register(ZombieFlag)
class ZombieFlagAdmin(ServiceAddAdminMixin, admin.ModelAdmin):
    # Adding is designating (R-ZMB-01(5)); detection writes the other flags.
    add_form = _DesignationForm
    list_display = ["organization", "as_of", "source", "criteria_display", "has_open_case"]
    list_filter = ["source", "as_of"]
    search_fields = ["organization__name", "=organization__uscc"]
    list_select_related = ["organization"]
    date_hierarchy = "as_of"
    fields = [
        "organization",
        "as_of",
        "source",
        "criteria_display",
        "reason",
        "designating_unit",
        "designated_by",
        "evidence_display",
        "created_at",
    ]
    readonly_fields = fields
    autocomplete_fields = ["organization"]
    actions = ["confirm_cases"]

    @admin.display(description="符合的认定标准")
    def criteria_display(self, obj: ZombieFlag) -> str:
        return _criteria_html(obj.criteria)

    @admin.display(description="证据")
    def evidence_display(self, obj: ZombieFlag) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.evidence, ensure_ascii=False, indent=2))

    def get_queryset(self, request):
        # One EXISTS per row in the page query, not one query per row.
        open_case = ZombieCase.objects.filter(
            organization=OuterRef("organization"), stage__in=ZOMBIE_OPEN_STAGES
        )
        return super().get_queryset(request).annotate(open_case=Exists(open_case))

    @admin.display(description="已有未办结案件", boolean=True, ordering="open_case")
    def has_open_case(self, obj: ZombieFlag) -> bool:
        return obj.open_case

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="确认为清理整治案件", permissions=["confirm"])
    def confirm_cases(self, request, queryset):
        def apply(flag: ZombieFlag, data: dict) -> None:
            zombie_case_open(
                flag=flag,
                actor=saved_user(request.user),
                identified_on=data["identified_on"],
                responsible_person=data["responsible_person"],
            )

        return run_on_selection(
            self,
            request,
            queryset.select_related("organization"),
            label="确认为清理整治案件",
            form_class=_ConfirmForm,
            apply=apply,
            intro="所选风险标记将各自形成一件“已认定”的僵尸型社会组织清理整治案件（R-ZMB-02）。",
        )

    def has_confirm_permission(self, request) -> bool:
        return request.user.has_perm("oversight.add_zombiecase")


# ------------------------------------------------------------------ cases


def _stage_action(to: ZombieStage, label: str):
    def action(modeladmin, request, queryset):
        def apply(case: ZombieCase, data: dict) -> None:
            zombie_case_transition(
                case=case, to=to, on=data["on"], actor=saved_user(request.user), notes=data["notes"]
            )

        intro = {
            ZombieStage.NOTICE: "无法取得联系的组织以公告送达，公告期"
            f"{policy_label(ZOMBIE_NOTICE_DAYS, on=timezone.localdate())}（公告之日不计），"
            "期满后方可撤销登记（R-ZMB-02）。",
            ZombieStage.DEREGISTERING: "登记状态同时变为“注销办理中”。",
            ZombieStage.DEREGISTERED: "登记状态同时变为“已注销”；须已有注销清算审计报告（R-AUD-04，D11）。",
            ZombieStage.REVOKED: "登记状态同时变为“撤销登记”。",
            ZombieStage.RESTORED: "注销办理中的组织同时恢复为“正常”。",
        }.get(to, "")
        return run_on_selection(
            modeladmin,
            request,
            queryset.select_related("organization"),
            label=label,
            form_class=_DatedForm,
            apply=apply,
            intro=intro,
        )

    action.__name__ = f"to_{to.value}"
    return admin.action(description=label, permissions=["change"])(action)


STAGE_ACTIONS = [
    _stage_action(ZombieStage.NOTIFIED, "告知"),
    _stage_action(ZombieStage.NOTICE, "公告送达"),
    _stage_action(ZombieStage.DEREGISTERING, "受理注销"),
    _stage_action(ZombieStage.DEREGISTERED, "核准注销"),
    _stage_action(ZombieStage.REVOKED, "撤销登记"),
    _stage_action(ZombieStage.RESTORED, "恢复正常"),
]


class NoticeEndedFilter(admin.SimpleListFilter):
    """公告期: cases in the notice stage whose period has ended (may be revoked) or not yet."""

    title = "公告期"
    parameter_name = "notice_period"

    def lookups(self, request, model_admin):
        return [("running", "公告期未满"), ("ended", "公告期已满（可撤销登记）")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        notice = queryset.filter(stage=ZombieStage.NOTICE)
        if self.value() == "running":
            return notice.filter(notice_ends_on__gte=today)
        if self.value() == "ended":
            return notice.filter(notice_ends_on__lt=today)
        return queryset


@admin.register(ZombieCase)
class ZombieCaseAdmin(SimpleHistoryAdmin):
    list_display = [
        "organization",
        "supervising_unit",
        "stage",
        "criteria_display",
        "identified_on",
        "notified_on",
        "notice_published_on",
        "notice_ends_on",
        "closed_on",
        "responsible_person",
    ]
    list_filter = ["stage", NoticeEndedFilter, "organization__supervising_unit"]
    search_fields = ["organization__name", "=organization__uscc", "responsible_person"]
    list_select_related = ["organization__supervising_unit"]
    date_hierarchy = "identified_on"
    readonly_fields = [
        "organization",
        "flag",
        "criteria_display",
        "stage",
        "identified_on",
        "notified_on",
        "notice_published_on",
        "notice_ends_on",
        "closed_on",
        "confirmed_by",
    ]
    fields = [*readonly_fields, "responsible_person", "notes"]
    actions = STAGE_ACTIONS
    change_list_template = "admin/oversight/zombiecase/change_list.html"

    @admin.display(description="业务主管单位", ordering="organization__supervising_unit__code")
    def supervising_unit(self, obj: ZombieCase):
        return obj.organization.supervising_unit or "—"

    @admin.display(description="认定标准")
    def criteria_display(self, obj: ZombieCase) -> str:
        return _criteria_html(obj.criteria)

    def has_add_permission(self, request) -> bool:
        return False  # cases are opened by confirming a flag

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "progress/",
                self.admin_site.admin_view(self.progress_view),
                name="{}_{}_progress".format(*info),
            ),
            path(
                "issue-circulars/",
                self.admin_site.admin_view(self.issue_circulars_view),
                name="{}_{}_issue_circulars".format(*info),
            ),
            *super().get_urls(),
        ]

    def progress_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = zombie_progress_by_unit()
        totals = {s: sum(r["stages"][s] for r in rows) for s in ZombieStage.values}
        context = {
            **self.admin_site.each_context(request),
            "title": "僵尸型社会组织清理整治进度（按业务主管单位）",
            "opts": self.opts,
            "stages": ZombieStage.choices,
            "rows": [{**r, "counts": [r["stages"][s] for s in ZombieStage.values]} for r in rows],
            "totals": [totals[s] for s in ZombieStage.values],
            "grand_total": sum(totals.values()),
        }
        return TemplateResponse(request, "admin/oversight/zombiecase/progress.html", context)

    def issue_circulars_view(self, request):
        """生成本月通报: POST only (it writes); the month's circulars are issued once."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:oversight_zombiecase_changelist"))
        if not request.user.has_perm("oversight.add_circular"):
            raise PermissionDenied
        issued = zombie_circulars_issue(as_of=timezone.localdate(), actor=saved_user(request.user))
        self.message_user(
            request,
            f"本月通报共 {len(issued)} 份（每个业务主管单位一份，已生成的不重复生成）。",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:oversight_circular_changelist"))
