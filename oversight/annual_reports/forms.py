"""Admin forms of annual reports: the report's figures and the bureau's review."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.services import annual_report_submit
from oversight.forms import DATE_WIDGET

FIGURE_FIELDS = [
    "income",
    "expenditure",
    "net_assets",
    "staff_count",
    "full_time_staff",
    "activities_held",
    "party_members",
    "probationary_party_members",
]


class AnnualReportAdminForm(forms.ModelForm):
    """Entry of a paper report by bureau staff; a new report obeys annual_report_submit."""

    class Meta:
        model = AnnualReport
        fields = ["organization", "year", "submitted_on", "is_sealed", *FIGURE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk or self.errors:
            return cleaned
        # Run the service itself inside a savepoint that is always rolled back: the form
        # then refuses exactly what annual_report_submit refuses, with its messages, and
        # nobody has to keep a second copy of its rules in step.
        try:
            with transaction.atomic():
                annual_report_submit(
                    organization=cleaned["organization"],
                    year=cleaned["year"],
                    submitted_on=cleaned["submitted_on"],
                    is_sealed=cleaned.get("is_sealed", True),
                    **{name: cleaned[name] for name in FIGURE_FIELDS if name in cleaned},
                )
                transaction.set_rollback(True)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return cleaned


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="审查日期", initial=timezone.localdate, widget=DATE_WIDGET)
    remarks = forms.CharField(
        label="审查意见", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
