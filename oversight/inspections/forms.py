"""Forms of the supervision admin: report entry, the intermediate pages of actions, and the
creation and execution of draws. Writes happen in services; these only collect input."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from oversight.forms import DATE_WIDGET
from oversight.inspections.choices import DrawKind, DrawStratification, InspectionOutcome
from oversight.inspections.draw.core import DEFAULT_RATIO
from oversight.inspections.models import InspectionDraw


class InspectionCompleteForm(forms.Form):
    on = forms.DateField(label="完成日期", initial=timezone.localdate, widget=DATE_WIDGET)
    outcome = forms.ChoiceField(label="检查结果", choices=InspectionOutcome.choices)
    findings = forms.CharField(
        label="检查发现", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    rectification_deadline = forms.DateField(
        label="整改期限", required=False, widget=DATE_WIDGET, help_text="责令整改时必填。"
    )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        deadline = cleaned.get("rectification_deadline")
        if outcome == InspectionOutcome.RECTIFICATION_REQUIRED and not deadline:
            self.add_error("rectification_deadline", "责令整改须设定整改期限。")
        if outcome != InspectionOutcome.RECTIFICATION_REQUIRED and deadline:
            self.add_error("rectification_deadline", "只有责令整改才设定整改期限。")
        return cleaned


class DrawCreateForm(forms.Form):
    """Step 1 of a draw (DESIGN.md §4.2): what is committed to before anyone knows the seed."""

    kind = forms.ChoiceField(label="抽查类型", choices=DrawKind.choices)
    year = forms.IntegerField(label="抽查年度", min_value=2000, max_value=2999)
    round = forms.IntegerField(label="批次", min_value=1, max_value=999, initial=1)
    ratio = forms.DecimalField(
        label="抽查比例",
        initial=DEFAULT_RATIO,
        min_value=Decimal("0.0001"),
        max_value=Decimal("1"),
        max_digits=6,
        decimal_places=4,
        help_text="如 0.10 表示 10%；区级不得低于 3%（R-INS-02）。",
    )
    stratify_by = forms.ChoiceField(
        label="分层方式", choices=DrawStratification.choices, required=False
    )
    public_value_source = forms.CharField(
        label="公开随机值来源",
        max_length=300,
        required=False,
        help_text="可选。声明一个现在无人知道、执行时才公开的数值，例如“某日某期公开彩票开奖号码”；"
        "执行时须录入该值。",
    )
    public_value_known_at = forms.DateTimeField(
        label="公开随机值公布时间",
        required=False,
        help_text="声明了来源时必填：该值何时公布（如 2022-06-05 21:30）。此前不能执行（D17）。",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    report_year = forms.IntegerField(
        label="所查报告年度",
        required=False,
        min_value=1949,
        max_value=9999,
        help_text="年度报告抽查所查的报告年度，通常为抽查年度的上一年（D16）。",
    )
    as_of = forms.DateField(label="名录截止日", initial=timezone.localdate, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # D16: a draw is labelled by the year it is drawn; the reports it audits are last year's.
        self.fields["year"].initial = timezone.localdate().year
        self.fields["report_year"].initial = timezone.localdate().year - 1

    def clean(self):
        cleaned = super().clean()
        if {"kind", "year", "round"} <= cleaned.keys() and InspectionDraw.objects.filter(
            kind=cleaned["kind"], year=cleaned["year"], round=cleaned["round"]
        ).exists():
            raise ValidationError(
                "同一类型、年度、批次的抽查已经存在；如需再抽一批，请使用新的批次号。"
            )
        if bool(cleaned.get("public_value_source", "").strip()) != bool(
            cleaned.get("public_value_known_at")
        ):
            self.add_error("public_value_known_at", "公开随机值的来源和公布时间须一并声明（D17）。")
        return cleaned


class DrawExecuteForm(forms.Form):
    """Step 2 of a draw: the public value declared at creation, entered once it is out."""

    public_value = forms.CharField(
        label="公开随机值",
        max_length=300,
        required=False,
        help_text="照录创建时声明来源公布的数值（原样输入，含空格和标点）；未声明来源的留空。",
    )

    def __init__(self, *args, draw: InspectionDraw, **kwargs):
        super().__init__(*args, **kwargs)
        self.draw = draw

    def clean_public_value(self) -> str:
        value = self.cleaned_data["public_value"]
        if self.draw.public_value_source and not value.strip():
            raise ValidationError(
                f"创建时声明了公开随机值来源（{self.draw.public_value_source}），须录入该值后执行。"
            )
        if not self.draw.public_value_source and value:
            raise ValidationError("该抽查创建时没有声明公开随机值来源，公开随机值应留空。")
        return value
