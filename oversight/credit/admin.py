"""Admin of the credit lists (DESIGN.md §4.4): decisions are read-only records (written only by
oversight.credit.services); proposals are worked through actions — 提议, 批准 (four eyes, bulk,
one document number per organization), 驳回 — and a dry-run page shows what the rules would
propose on a date without writing anything. Penalties and special letters, the rules' input,
are entered in admin_intake.py.

Imported by oversight/admin.py (`from oversight.credit import admin as credit_admin`)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from common.admin_actions import run_on_selection
from common.admin_changelist import RegisterChangeListMixin
from oversight.credit import admin_intake  # noqa: F401  (penalties, special letters)
from oversight.credit.choices import CreditGround, CreditList, DecisionAction
from oversight.credit.models import (
    CreditListing,
    CreditProposal,
    CreditRemoval,
)
from oversight.credit.runs import credit_rules_run
from oversight.credit.selectors import active_listings
from oversight.credit.services import (
    credit_proposal_propose,
    credit_proposal_reject,
    credit_proposals_approve_bulk,
)
from registry.models import Organization

DRY_RUN_SHOWN = 500


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Records and decisions that only services write (R-CRD-11: append-only)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ActiveListingFilter(admin.SimpleListFilter):
    title = "现仍在名录中"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("1", "是"), ("0", "已移出")]

    def queryset(self, request, queryset):
        active = active_listings().values("pk")
        if self.value() == "1":
            return queryset.filter(pk__in=active)
        if self.value() == "0":
            return queryset.exclude(pk__in=active)
        return queryset


@admin.register(CreditListing)
class CreditListingAdmin(ReadOnlyRecordAdmin):
    list_display = [
        "organization_name",
        "list_type",
        "action",
        "ground",
        "decided_on",
        "decision_no",
        "review_due_on",
    ]
    list_filter = [ActiveListingFilter, "list_type", "action", "ground", "decided_on"]
    search_fields = [
        "organization__name",
        "organization_name",
        "=organization__uscc",
        "decision_no",
    ]
    list_select_related = ["organization"]
    date_hierarchy = "decided_on"


@admin.register(CreditRemoval)
class CreditRemovalAdmin(ReadOnlyRecordAdmin):
    list_display = ["organization", "list_type", "ground", "decided_on", "decision_no"]
    list_filter = ["list_type", "ground", "decided_on"]
    search_fields = ["organization__name", "=organization__uscc", "decision_no"]
    list_select_related = ["organization"]


# ------------------------------------------------------------------ proposals


class ApproveForm(forms.Form):
    decided_on = forms.DateField(
        label="决定日期",
        initial=timezone.localdate,
        help_text="批准时按此日期重新核对规则；每个组织生成一个决定书文号。",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="驳回理由", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class DryRunForm(forms.Form):
    as_of = forms.DateField(label="计算日期", initial=timezone.localdate)


class GroundFilter(admin.SimpleListFilter):
    title = "依据"
    parameter_name = "ground"

    def lookups(self, request, model_admin):
        from oversight.credit.choices import RemovalGround

        return [*CreditGround.choices, *RemovalGround.choices]

    def queryset(self, request, queryset):
        return queryset.filter(ground=self.value()) if self.value() else queryset


def _describe(p: CreditProposal) -> str:
    return f"{p.organization.name}：{p.get_action_display()}{p.get_list_type_display()}——{p.explanation}"


@admin.register(CreditProposal)
class CreditProposalAdmin(RegisterChangeListMixin, admin.ModelAdmin):
    # A national first run suggests some 10⁵ proposals: totals beyond the exact-count limit
    # are estimated, and the unfiltered total is not counted beside a filtered one.
    show_full_result_count = False
    list_display = [
        "organization",
        "action",
        "list_type",
        "ground",
        "explanation",
        "as_of",
        "status",
        "proposed_by",
        "decided_by",
    ]
    list_filter = ["status", "action", "list_type", GroundFilter, "as_of"]
    search_fields = ["organization__name", "=organization__uscc", "explanation", "rule_key"]
    list_select_related = ["organization", "proposed_by", "decided_by"]
    readonly_fields = [f.name for f in CreditProposal._meta.fields]
    actions = ["propose", "approve", "reject"]
    change_list_template = "admin/oversight/creditproposal/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="提议所选事项（提交第二人审批）", permissions=["change"])
    def propose(self, request, queryset: QuerySet[CreditProposal]):
        done, failures = 0, []
        for p in queryset.select_related("organization"):
            try:
                credit_proposal_propose(proposal=p, actor=request.user)
                done += 1
            except ValidationError as exc:
                failures.append(f"{p.organization.name}：{'；'.join(exc.messages)}")
        if done:
            self.message_user(
                request, f"已提议 {done} 项，待另一名工作人员批准。", messages.SUCCESS
            )
        if failures:
            self.message_user(request, "未提议：" + " ".join(failures), messages.WARNING)

    @admin.action(description="批准所选事项（双人审核，每个组织一个文号）", permissions=["change"])
    def approve(self, request, queryset: QuerySet[CreditProposal]):
        return run_on_selection(
            self,
            request,
            queryset.select_related("organization"),
            label="批准",
            form_class=ApproveForm,
            describe=_describe,
            whole_selection=True,  # one bulk approval: one decision number per organization
            intro="批准后生成列入或移出决定，不可修改或删除。提议人不能批准自己提议的事项。",
            apply=lambda proposals, data: credit_proposals_approve_bulk(
                proposals=proposals, actor=request.user, decided_on=data["decided_on"]
            ),
        )

    @admin.action(description="驳回所选事项", permissions=["change"])
    def reject(self, request, queryset: QuerySet[CreditProposal]):
        return run_on_selection(
            self,
            request,
            queryset.select_related("organization"),
            label="驳回",
            form_class=RejectForm,
            describe=_describe,
            apply=lambda proposal, data: credit_proposal_reject(
                proposal=proposal, actor=request.user, reason=data["reason"]
            ),
        )

    def get_urls(self):
        return [
            path(
                "dry-run/",
                self.admin_site.admin_view(self.dry_run_view),
                name="oversight_creditproposal_dry_run",
            ),
            *super().get_urls(),
        ]

    def dry_run_view(self, request):
        """试运行: what the rules would propose on a date; nothing is written."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DryRunForm(request.GET or None)
        result = rows = None
        if form.is_valid():
            as_of: datetime.date = form.cleaned_data["as_of"]
            result = credit_rules_run(as_of=as_of, dry_run=True)
            shown = result.candidates[:DRY_RUN_SHOWN]
            orgs = dict(
                (pk, (name, uscc))
                for pk, name, uscc in Organization.objects.filter(
                    pk__in={c.organization_id for c in shown}
                ).values_list("pk", "name", "uscc")
            )
            actions, lists = dict(DecisionAction.choices), dict(CreditList.choices)
            rows = [
                {
                    "name": orgs.get(c.organization_id, ("", ""))[0],
                    "uscc": orgs.get(c.organization_id, ("", ""))[1],
                    "action": actions[c.action],
                    "list": lists[c.list_type],
                    "ground": c.ground,
                    "explanation": c.explanation,
                    "new": c.rule_key in result.new_keys,
                }
                for c in shown
            ]
        context = {
            **self.admin_site.each_context(request),
            "title": "信用规则试运行（不写入）",
            "opts": self.model._meta,
            "form": form,
            "result": result,
            "rows": rows,
            "shown": DRY_RUN_SHOWN,
            "changelist_url": reverse("admin:oversight_creditproposal_changelist"),
        }
        return TemplateResponse(request, "admin/oversight/creditproposal/dry_run.html", context)
