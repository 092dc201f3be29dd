"""Admin of removal applications (移出申请, R-CRD-07): recorded with their dates through the add
form, verified and refused by actions (an intermediate page asks the date), with the overdue
filter the workbench links to. The removal itself is decided on the proposals page (four
eyes); it closes the application. Every write goes through oversight.credit.applications."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from common.actors import saved_user
from common.admin_actions import run_on_selection
from common.admin_service_add import ServiceAddAdminMixin
from common.policy import policy_label
from oversight.credit.applications import (
    CREDIT_REMOVAL_WORKING_DAYS,
    removal_application_record,
    removal_application_refuse,
    removal_application_verify,
)
from oversight.credit.models import CreditRemovalApplication
from oversight.credit.selectors import removal_applications_overdue


class OverdueFilter(admin.SimpleListFilter):
    """逾期未决定: verified, pending, past the last day for the removal decision."""

    title = "办理期限"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        period = policy_label(CREDIT_REMOVAL_WORKING_DAYS, on=timezone.localdate())
        return [("yes", f"逾期未作出移出决定（核实后{period}）")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return removal_applications_overdue(today=timezone.localdate(), applications=queryset)
        return queryset


class _ApplicationForm(forms.ModelForm):
    """登记移出申请: the service's rules run in `_post_clean` (inside the add view's transaction)."""

    request = None  # set by ServiceAddAdminMixin.get_form

    class Meta:
        model = CreditRemovalApplication
        fields = ["organization", "list_type", "applied_on", "applicant", "ground", "verified_on"]

    def _post_clean(self) -> None:
        if self.errors:
            return
        data = self.cleaned_data
        try:
            self.saved = removal_application_record(
                organization=data["organization"],
                list_type=data["list_type"],
                applied_on=data["applied_on"],
                applicant=data["applicant"],
                ground=data["ground"],
                verified_on=data.get("verified_on"),
                actor=saved_user(self.request.user),
            )
        except ValidationError as exc:
            self.add_error(None, exc.messages)


class _VerifyForm(forms.Form):
    verified_on = forms.DateField(label="核实日期", initial=timezone.localdate)


class _RefuseForm(forms.Form):
    on = forms.DateField(label="办结日期", initial=timezone.localdate)
    reason = forms.CharField(label="不予移出理由", widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(CreditRemovalApplication)
class CreditRemovalApplicationAdmin(ServiceAddAdminMixin, SimpleHistoryAdmin):
    add_form = _ApplicationForm
    list_display = [
        "organization",
        "list_type",
        "applied_on",
        "applicant",
        "verified_on",
        "due_on",
        "status",
        "decided_on",
    ]
    list_filter = [OverdueFilter, "status", "list_type"]
    search_fields = ["organization__name", "=organization__uscc", "applicant"]
    list_select_related = ["organization"]
    date_hierarchy = "applied_on"
    autocomplete_fields = ["organization"]
    readonly_fields = [
        "organization",
        "list_type",
        "applied_on",
        "applicant",
        "ground",
        "recorded_by",
        "verified_on",
        "due_on",
        "status",
        "decided_on",
        "removal",
        "refusal_reason",
    ]
    actions = ["verify", "refuse"]

    def has_change_permission(self, request, obj=None) -> bool:
        # Changed only by the actions (verify, refuse) and by the removal decision.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="核实（起算移出决定期限）", permissions=["change"])
    def verify(self, request, queryset):
        def apply(application, data):
            removal_application_verify(
                application=application,
                verified_on=data["verified_on"],
                actor=saved_user(request.user),
            )

        return run_on_selection(
            self,
            request,
            queryset.select_related("organization"),
            label="核实移出申请",
            form_class=_VerifyForm,
            apply=apply,
            intro="核实已履行义务或完成整改；应在核实之日起"
            f"{policy_label(CREDIT_REMOVAL_WORKING_DAYS, on=timezone.localdate())}内"
            "作出移出决定（R-CRD-07，按工作日历计算）。",
        )

    @admin.action(description="不予移出", permissions=["change"])
    def refuse(self, request, queryset):
        def apply(application, data):
            removal_application_refuse(
                application=application,
                on=data["on"],
                reason=data["reason"],
                actor=saved_user(request.user),
            )

        return run_on_selection(
            self,
            request,
            queryset.select_related("organization"),
            label="不予移出",
            form_class=_RefuseForm,
            apply=apply,
        )
