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
    on = forms.DateField(
        label="生效日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="事由", max_length=200, required=False)
