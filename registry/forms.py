"""Forms of the register's admin: the organization form shows USCC warnings, transitions ask for a date."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from .models import Organization
from .services import REGISTRATION_FIELDS, organization_check_change
from .uscc import uscc_normalize, uscc_problems


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        # Lifecycle fields change only through organization_transition.
        fields = [*REGISTRATION_FIELDS, "uscc"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.uscc_warnings: list[str] = []
        if self.instance.pk and "uscc" in self.fields:
            # R-USCC-02: the code is kept for life; it is never edited after registration.
            self.fields["uscc"].disabled = True

    def clean_uscc(self) -> str:
        return uscc_normalize(self.cleaned_data.get("uscc", ""))

    def clean(self) -> dict:
        cleaned = super().clean()
        uscc = cleaned.get("uscc")
        if uscc:
            self.uscc_warnings = [
                p.message
                for p in uscc_problems(
                    uscc,
                    org_type=cleaned.get("org_type"),
                    division_code=settings.REGISTRY_DIVISION_CODE,
                )
                if not p.is_error
            ]
        if self.instance.pk:
            changes = {f: cleaned[f] for f in ("legal_representative", "org_type") if f in cleaned}
            from django.core.exceptions import ValidationError

            try:
                organization_check_change(organization=self.instance, changes=changes)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned


class TransitionForm(forms.Form):
    """The decision behind a lifecycle transition (R-XC-03): its date, and for 撤销登记 and
    核准注销 its document number, authority and evidence or statement of facts."""

    on = forms.DateField(
        label="决定日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_no = forms.CharField(label="决定文号", max_length=100, required=False)
    authority = forms.CharField(label="决定机关", max_length=100, required=False)
    facts = forms.CharField(
        label="事实与理由", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = forms.FileField(label="证据材料", required=False)
    reason = forms.CharField(label="变更事由（记入历史）", max_length=200, required=False)

    # Set by transition_form_class for the transitions that change legal status.
    documented = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].initial = settings.REGISTRY_AUTHORITY_NAME
        if self.documented:
            self.fields["document_no"].required = True
            self.fields["authority"].required = True
            self.fields["facts"].help_text = "须上传证据材料或填写事实与理由（R-XC-03）。"

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.documented and not cleaned.get("facts") and not cleaned.get("evidence"):
            self.add_error("facts", "须上传证据材料或填写事实与理由（R-XC-03）。")
        return cleaned


def transition_form_class(*, documented: bool) -> type[TransitionForm]:
    """The form of one transition; `documented` for those that change legal status."""
    return type(
        "DocumentedTransitionForm" if documented else "TransitionForm",
        (TransitionForm,),
        {"documented": documented},
    )
