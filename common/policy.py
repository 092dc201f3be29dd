"""Legal periods as policy (issue 16 item 3): each domain period is a row effective from a
date, edited by staff with history, so a web process and a worker always decide with the same
value, a changed period applies only to decisions after its effective date, and every decision
can record the values it used (`policy_values`).

The defaults below are the values the migration seeds (effective from EPOCH); they are what
DOMAIN.md states, or the configurable default it asks for where the source is unconfirmed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from simple_history.models import HistoricalRecords

EPOCH = datetime.date(2000, 1, 1)


class PeriodUnit(models.TextChoices):
    DAY = "day", "日"
    WORKING_DAY = "working_day", "个工作日"
    MONTH = "month", "个月"
    YEAR = "year", "年"


@dataclass(frozen=True)
class PeriodDefault:
    value: int
    unit: str
    rule: str
    label: str


DEFAULTS: dict[str, PeriodDefault] = {
    "CREDIT_ESCALATION_YEARS": PeriodDefault(
        2, PeriodUnit.YEAR, "R-CRD-05(1)", "活动异常名录转列严重违法失信名单的期限"
    ),
    "CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS": PeriodDefault(
        6, PeriodUnit.MONTH, "R-CRD-07", "活动异常名录无需整改依职权移出的期限"
    ),
    "CREDIT_SERIOUS_REMOVAL_YEARS": PeriodDefault(
        2, PeriodUnit.YEAR, "R-CRD-08", "严重违法失信名单可申请移出的期限"
    ),
    "CREDIT_PENALTY_WINDOW_YEARS": PeriodDefault(
        3, PeriodUnit.YEAR, "R-CRD-05(5)", "多次受到警告或小额罚款的计算期间"
    ),
    "CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS": PeriodDefault(
        15, PeriodUnit.DAY, "R-CRD-03", "两次专门信函的最短间隔"
    ),
    "ZOMBIE_MISSED_REPORT_YEARS": PeriodDefault(
        2, PeriodUnit.YEAR, "R-ZMB-01(1)", "连续未报年度工作报告的年数"
    ),
    "ZOMBIE_NO_ACTIVITY_AFTER_REGISTRATION_MONTHS": PeriodDefault(
        12, PeriodUnit.MONTH, "R-ZMB-01(2)", "取得登记证书后未开展活动的期限"
    ),
    "ZOMBIE_NO_BUSINESS_YEARS": PeriodDefault(
        2, PeriodUnit.YEAR, "R-ZMB-01(3)", "未开展业务活动的参考期"
    ),
    "ZOMBIE_UNREACHABLE_YEARS": PeriodDefault(
        2, PeriodUnit.YEAR, "R-ZMB-01(4)", "无法取得联系的参考期"
    ),
    "INSPECTION_PUBLICATION_WORKING_DAYS": PeriodDefault(
        20, PeriodUnit.WORKING_DAY, "R-INS-09", "抽查结果公示期限"
    ),
    "DEPARTURE_AUDIT_VALID_DAYS": PeriodDefault(
        365, PeriodUnit.DAY, "R-AUD-01", "离任审计报告的有效期"
    ),
    # R-CRD-07's "within 5 working days of verifying" is a draft number (DOMAIN.md open
    # question 1): a period staff can change, like the others.
    "CREDIT_REMOVAL_WORKING_DAYS": PeriodDefault(
        5, PeriodUnit.WORKING_DAY, "R-CRD-07", "核实后作出移出活动异常名录决定的期限"
    ),
    "ZOMBIE_NOTICE_DAYS": PeriodDefault(
        60, PeriodUnit.DAY, "R-ZMB-02", "无法取得联系的组织撤销登记前的公告期"
    ),
}


class LegalPeriod(models.Model):
    """One value of one legal period, in force from `effective_from` until the next row of
    the same key. Rows are added, not edited, when the law changes: past decisions keep the
    value they were computed with (and record it in their evidence)."""

    key = models.CharField(
        "参数", max_length=60, choices=[(k, d.label) for k, d in DEFAULTS.items()]
    )
    value = models.PositiveIntegerField("期限")
    unit = models.CharField("单位", max_length=12, choices=PeriodUnit.choices)
    effective_from = models.DateField("生效日期")
    rule = models.CharField("规则依据", max_length=40)
    label = models.CharField("名称", max_length=100)
    note = models.CharField("调整说明", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "common"
        verbose_name = "法定期限"
        verbose_name_plural = "法定期限"
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"],
                name="common_legalperiod_one_value_per_day",
                violation_error_message="同一参数在同一生效日期只能有一个期限值。",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gt=0),
                name="common_legalperiod_positive",
                violation_error_message="期限必须大于0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}：{self.text}（自{self.effective_from}起）"

    @property
    def text(self) -> str:
        return period_text(self.value, self.unit)

    def clean(self) -> None:
        # Unit, citation and name follow the key: staff choose the key, date and value only.
        default = DEFAULTS.get(self.key)
        if default:
            self.unit, self.rule, self.label = default.unit, default.rule, default.label


def legal_period_add(
    *, key: str, value: int, effective_from: datetime.date, note: str = ""
) -> LegalPeriod:
    """A new value of `key` from `effective_from` on (the law changed): unit, citation and
    name follow the key, as in the admin. Earlier decisions keep the value they used."""
    period = LegalPeriod(key=key, value=value, effective_from=effective_from, note=note)
    period.clean()  # the key's unit, citation and name, before the fields are validated
    period.full_clean()
    period.save()
    return period


def period_text(value: int, unit: str) -> str:
    """ "2年", "6个月", "15日", "20个工作日": labels are rendered from the values."""
    return f"{value}{PeriodUnit(unit).label}"


def _rows(keys: Iterable[str], on: datetime.date) -> dict[str, int]:
    keys = list(keys)
    unknown = [k for k in keys if k not in DEFAULTS]
    if unknown:
        raise KeyError(f"未定义的法定期限：{', '.join(unknown)}")
    found: dict[str, int] = {}
    rows = (
        LegalPeriod.objects.filter(key__in=keys, effective_from__lte=on)
        .order_by("key", "-effective_from")
        .values_list("key", "value")
    )
    for key, value in rows:
        found.setdefault(key, value)
    # A key with no row in force (a date before the seeded EPOCH) falls back to its default.
    return {k: found.get(k, DEFAULTS[k].value) for k in keys}


def policy_value(key: str, *, on: datetime.date) -> int:
    """The value of legal period `key` in force on `on`."""
    return _rows([key], on)[key]


def policy_values(*keys: str, on: datetime.date) -> dict[str, int]:
    """Several periods in force on `on` in one query: what a decision stores in its evidence
    (`{"periods": policy_values(...)}`)."""
    return _rows(keys, on)


def policy_label(key: str, *, on: datetime.date) -> str:
    """The period as words ("2年"), for explanations and labels."""
    return period_text(policy_value(key, on=on), DEFAULTS[key].unit)


def policy_timeline(key: str) -> Callable[[datetime.date], int]:
    """The value of `key` in force on any date, from one query: for a page or a report that
    needs the period on many dates (each inspection's completion day, say)."""
    if key not in DEFAULTS:
        raise KeyError(f"未定义的法定期限：{key}")
    versions = list(
        LegalPeriod.objects.filter(key=key)
        .order_by("-effective_from")
        .values_list("effective_from", "value")
    )

    def on(day: datetime.date) -> int:
        for effective_from, value in versions:
            if effective_from <= day:
                return value
        return DEFAULTS[key].value

    return on
