"""Form pieces every supervision subject's admin shares."""

from __future__ import annotations

from django import forms
from django.utils import timezone

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class DateForm(forms.Form):
    on = forms.DateField(label="日期", initial=timezone.localdate, widget=DATE_WIDGET)
