"""Admin forms of party building: the coverage inline checks the formation rules (R-PTY-01/02)
and assignments check R-PTY-03, through the same functions as the services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from .models import InstructorAssignment
from .rules import CoverageRow, coverage_problems
from .services import coverage_conflicts, instructor_assignment_problems


class CoverageInlineFormSet(BaseInlineFormSet):
    """The covered organizations of a party organization, checked as a whole."""

    def clean(self) -> None:
        super().clean()
        po = self.instance
        if any(self.errors) or not (po.formation and po.approved_on):
            return
        forms_rows = [
            (
                form,
                CoverageRow(
                    form.cleaned_data["organization"].pk,
                    form.cleaned_data["joined_on"],
                    form.cleaned_data.get("left_on"),
                ),
            )
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("organization")
            and form.cleaned_data.get("joined_on")
        ]
        rows = [row for _form, row in forms_rows]
        problems = coverage_problems(
            formation=po.formation,
            approved_on=po.approved_on,
            dissolved_on=po.dissolved_on,
            rows=rows,
        )
        general: list[str] = []
        for p in problems:
            if p.index is None:
                general.append(p.message)
            else:
                forms_rows[p.index][0].add_error(
                    p.field if p.field in ("joined_on", "left_on") else "organization", p.message
                )
        for index, reason in coverage_conflicts(rows=rows, exclude_party_organization_id=po.pk):
            forms_rows[index][0].add_error("organization", reason)
        if general:
            raise ValidationError(general)


class InstructorAssignmentForm(forms.ModelForm):
    class Meta:
        model = InstructorAssignment
        fields = ["instructor", "organization", "started_on", "ended_on"]

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("instructor") or not data.get("organization"):
            return data
        problems = instructor_assignment_problems(
            instructor=data["instructor"],
            organization=data["organization"],
            started_on=data["started_on"],
            ended_on=data.get("ended_on"),
            exclude_pk=self.instance.pk,
        )
        if problems:
            raise ValidationError(problems)
        return data


class DissolveForm(forms.Form):
    on = forms.DateField(
        label="撤销日期",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="自该日起不再计入党组织和覆盖数。",
    )
    doc_no = forms.CharField(label="撤销文号", max_length=100)


class EndForm(forms.Form):
    on = forms.DateField(
        label="结束日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class SummaryDateForm(forms.Form):
    as_of = forms.DateField(
        label="统计日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "统计日期格式不正确，应为“年-月-日”，如 2022-06-30。"},
    )
