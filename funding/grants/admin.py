"""Admin of the special fund: rounds, projects moved by the transition table, tranches."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from common.admin_actions import run_on_selection
from common.admin_excel import ExcelImportExportMixin

from .choices import GRANT_TRANSITIONS, GrantStatus
from .excel import GRANT_HEADERS, grants_export_xlsx, grants_import
from .models import (
    Expert,
    ExpertConflict,
    FundRound,
    GrantCompletionReport,
    GrantPayment,
    GrantProject,
    GrantReview,
    GrantTransition,
    Sponsorship,
)
from .payments import grant_payment_release, grant_payment_request
from .services import (
    _check_no_overlapping_open_round,
    grant_check_submission,
    grant_submit,
    grant_transition,
)


class NoDeleteMixin:
    """Fund records are kept for good (STYLE.md Audit)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class FundRoundForm(forms.ModelForm):
    class Meta:
        model = FundRound
        fields = [
            "number",
            "year",
            "title",
            "directions",
            "opens_on",
            "closes_on",
            "budget",
            "status",
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            probe = FundRound(
                pk=self.instance.pk,
                **{k: cleaned.get(k) for k in ("number", "opens_on", "closes_on", "status")},
            )
            _check_no_overlapping_open_round(probe)  # refuses overlapping open windows
        return cleaned


@admin.register(FundRound)
class FundRoundAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    form = FundRoundForm
    list_display = ["number", "year", "title", "opens_on", "closes_on", "budget", "status"]
    list_filter = ["status", "year"]
    search_fields = ["title"]


class ExpertConflictInline(admin.TabularInline):
    model = ExpertConflict
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "field"]
    search_fields = ["code", "name", "unit"]
    inlines = [ExpertConflictInline]


class TransitionForm(forms.Form):
    on = forms.DateField(label="办理日期", initial=timezone.localdate)
    document_no = forms.CharField(label="文号", required=False, max_length=100)
    remarks = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    approved_amount = forms.DecimalField(
        label="资助金额（元）",
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text="公示时必填（拟资助金额）；立项时可调整，不得超过申请金额。",
    )


def _transition_action(target: str):
    label = GrantStatus(target).label
    sources = [s for s, moves in GRANT_TRANSITIONS.items() if target in moves]

    def action(modeladmin, request, queryset):
        return run_on_selection(
            modeladmin,
            request,
            queryset.select_related("organization", "round"),
            label=f"转为“{label}”",
            form_class=TransitionForm,
            apply=lambda project, data: grant_transition(
                project=project,
                to=target,
                on=data["on"],
                remarks=data["remarks"] or "",
                document_no=data["document_no"] or "",
                approved_amount=data["approved_amount"],
                actor=request.user,
            ),
            describe=lambda p: (
                f"{p.round} {p.organization.name}《{p.title}》（{p.get_status_display()}）"
            ),
            intro="只有处于"
            + "、".join(f"“{GrantStatus(s).label}”" for s in sources)
            + f"的项目可以转为“{label}”。任何一个不符合条件时，全部不作变更。",
        )

    action.__name__ = f"to_{target}"
    action.short_description = f"转为“{label}”"
    action.allowed_permissions = ("change",)
    return action


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label="本批金额（元）", max_digits=14, decimal_places=2)
    on = forms.DateField(label="拨付日期", initial=timezone.localdate)
    document_no = forms.CharField(label="拨付文号", required=False, max_length=100)


def pay_tranche(modeladmin, request, queryset):
    return run_on_selection(
        modeladmin,
        request,
        queryset.select_related("organization"),
        label="拨付一批资金",
        form_class=PaymentForm,
        apply=lambda project, data: grant_payment_request(
            project=project,
            amount=data["amount"],
            on=data["on"],
            document_no=data["document_no"] or "",
            actor=request.user,
        ),
        describe=lambda p: f"{p.organization.name}《{p.title}》资助{p.approved_amount}元",
        intro="拨付当日重新核查组织的登记和信用状况（D12）：有障碍的，款项记为“暂缓拨付”并写明原因。"
        "累计拨付不得超过资助金额。",
    )


pay_tranche.short_description = "拨付一批资金"
pay_tranche.allowed_permissions = ("change",)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TransitionInline(ReadOnlyInline):
    model = GrantTransition
    fields = ["from_status", "to_status", "on", "actor", "document_no", "remarks", "at"]
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = GrantReview
    fields = ["expert", "score", "reviewed_on", "comment"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = GrantPayment
    fields = ["sequence", "amount", "requested_on", "status", "paid_on", "held_reason"]
    readonly_fields = fields


class GrantProjectAddForm(forms.ModelForm):
    """A clerk enters an application: the round and eligibility rules run before saving."""

    class Meta:
        model = GrantProject
        fields = [
            "round",
            "organization",
            "title",
            "category",
            "plan",
            "requested_amount",
            "submitted_on",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            grant_check_submission(
                fund_round=cleaned["round"],
                organization=cleaned["organization"],
                on=cleaned["submitted_on"],
            )
        return cleaned


@admin.register(GrantProject)
class GrantProjectAdmin(NoDeleteMixin, ExcelImportExportMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "organization",
        "round",
        "category",
        "requested_amount",
        "approved_amount",
        "status",
        "notice_ends_on",
    ]
    list_filter = ["status", "round", "category", "supervisor_opinion"]
    list_select_related = ["organization", "round"]
    search_fields = ["title", "organization__name", "=organization__uscc"]
    autocomplete_fields = ["organization"]
    readonly_fields = [
        "status",
        "approved_amount",
        "notice_started_on",
        "notice_ends_on",
        "approved_on",
        "supervisor_opinion",
        "supervisor_remarks",
        "supervisor_opinion_on",
    ]
    inlines = [ReviewInline, PaymentInline, TransitionInline]
    actions = [
        *(_transition_action(t) for t in GrantStatus.values if t != "submitted"),
        pay_tranche,
    ]
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [f.name for f in GrantProject._meta.fields]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = GrantProjectAddForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return  # projects change only through the workflow actions
        obj.pk = grant_submit(
            fund_round=obj.round,
            organization=obj.organization,
            title=obj.title,
            category=obj.category,
            requested_amount=obj.requested_amount,
            plan=obj.plan,
            on=obj.submitted_on,
            actor=request.user,
        ).pk

    excel_import_template = "admin/funding/grantproject/import.html"
    excel_import_title = "从 Excel 导入资助申报"
    excel_export_basename = "资助项目"
    excel_columns = GRANT_HEADERS
    excel_upload_dir = Path(tempfile.gettempdir()) / "socialorg-grant-imports"
    excel_session_key = "funding_grant_imports"

    def excel_export(self, *, queryset, fileobj) -> int:
        return grants_export_xlsx(queryset=queryset, fileobj=fileobj)

    def excel_import(self, *, fileobj, actor, commit: bool):
        return grants_import(fileobj=fileobj, actor=actor, commit=commit)

    def excel_import_pending(self, result) -> bool:
        return bool(result.to_create)

    def excel_import_done_message(self, result) -> str:
        return f"导入完成：新增 {result.created} 个资助申报。"


class ReleaseForm(forms.Form):
    on = forms.DateField(label="拨付日期", initial=timezone.localdate)
    document_no = forms.CharField(label="拨付文号", required=False, max_length=100)


def release_payment(modeladmin, request, queryset):
    return run_on_selection(
        modeladmin,
        request,
        queryset.select_related("project__organization"),
        label="解除暂缓并拨付",
        form_class=ReleaseForm,
        apply=lambda payment, data: grant_payment_release(
            payment=payment,
            on=data["on"],
            document_no=data["document_no"] or "",
            actor=request.user,
        ),
        describe=lambda p: (
            f"{p.project.organization.name} 第{p.sequence}批 {p.amount}元（{p.held_reason}）"
        ),
        intro="拨付当日重新核查；障碍仍在的，不能解除暂缓。",
    )


release_payment.short_description = "解除暂缓并拨付"
release_payment.allowed_permissions = ("change",)


@admin.register(GrantPayment)
class GrantPaymentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "project",
        "sequence",
        "amount",
        "requested_on",
        "status",
        "paid_on",
        "held_reason",
    ]
    list_filter = ["status"]
    list_select_related = ["project"]
    search_fields = ["project__title", "project__organization__name"]
    actions = [release_payment]

    def has_add_permission(self, request) -> bool:
        return False  # tranches are paid from the project list (the action checks eligibility)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in GrantPayment._meta.fields]


@admin.register(GrantCompletionReport)
class GrantCompletionReportAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = [
        "project",
        "activities_held",
        "people_served",
        "evaluation_result",
        "submitted_on",
    ]
    list_filter = ["evaluation_result"]
    autocomplete_fields = ["project"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        from .payments import grant_completion_report_submit

        saved = grant_completion_report_submit(
            project=obj.project,
            activities_held=obj.activities_held,
            people_served=obj.people_served,
            evaluation_result=obj.evaluation_result,
            evaluator=obj.evaluator,
            on=obj.submitted_on,
            actor=request.user,
        )
        obj.pk = saved.pk


@admin.register(Sponsorship)
class SponsorshipAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = [
        "sponsor_name",
        "sponsor_uscc",
        "organization",
        "project",
        "amount",
        "sponsored_on",
    ]
    search_fields = ["sponsor_name", "=sponsor_uscc", "organization__name"]
    autocomplete_fields = ["organization", "project"]
