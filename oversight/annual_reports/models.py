"""Annual work reports and their yearly cycles (DESIGN.md §4.1, DOMAIN.md §4.1–§4.3)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet
from oversight.annual_reports.choices import (
    AnnualReportStatus,
    ReviewModel,
    ReviewResult,
    SupervisorOpinion,
)
from registry.models import Organization

MONEY = {"max_digits": 16, "decimal_places": 2}


class AnnualReportCycle(models.Model):
    """年报周期: deadlines and review model of one report year, set per cycle (D3, R-ANN-04)."""

    year = models.PositiveSmallIntegerField("报告年度", unique=True)
    review_model = models.CharField(
        "审查方式", max_length=20, choices=ReviewModel.choices, default=ReviewModel.INSPECTION
    )
    supervisor_deadline = models.DateField(
        "报送业务主管单位截止日", help_text="默认次年3月31日（R-ANN-01）。"
    )
    bureau_deadline = models.DateField(
        "报送登记管理机关截止日", help_text="默认次年5月31日（R-ANN-01）。"
    )
    exemption_cutoff = models.DateField(
        "民非豁免起算日",
        help_text="在此日期及以后成立的民办非企业单位本年度免报（成立不满6个月，R-ANN-02）。",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年报周期"
        verbose_name_plural = "年报周期"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度"

    @classmethod
    def defaults_for(cls, year: int) -> dict:
        return {
            "supervisor_deadline": datetime.date(year + 1, 3, 31),
            "bureau_deadline": datetime.date(year + 1, 5, 31),
            "exemption_cutoff": datetime.date(year, 7, 1),
        }


class AnnualReport(ChangeTracked):
    """年度工作报告: one organization's report for one year, with opinion and review."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        db_index=False,  # the unique (organization, year) index leads with it
    )
    year = models.PositiveSmallIntegerField("报告年度")
    submitted_on = models.DateField("报送日期")
    is_sealed = models.BooleanField(
        "已签字盖章", default=True, help_text="未签字盖章视为未按要求报送（R-ANN-06）。"
    )
    income = models.DecimalField("本年收入（元）", **MONEY, default=Decimal("0"))
    expenditure = models.DecimalField("本年支出（元）", **MONEY, default=Decimal("0"))
    net_assets = models.DecimalField("年末净资产（元）", **MONEY, default=Decimal("0"))
    staff_count = models.PositiveIntegerField("工作人员数", default=0)
    full_time_staff = models.PositiveIntegerField("专职工作人员数", default=0)
    activities_held = models.PositiveIntegerField("开展活动次数", default=0)
    party_members = models.PositiveIntegerField("正式党员数", default=0)
    probationary_party_members = models.PositiveIntegerField("预备党员数", default=0)
    status = models.CharField(
        "办理状态",
        max_length=20,
        choices=AnnualReportStatus.choices,
        default=AnnualReportStatus.AWAITING_OPINION,
    )
    supervisor_opinion = models.CharField(
        "初审意见", max_length=10, choices=SupervisorOpinion.choices, blank=True
    )
    supervisor_remarks = models.TextField("初审说明", blank=True)
    supervisor_opinion_on = models.DateTimeField("初审时间", null=True, blank=True)
    supervisor_opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="初审人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.CharField(
        "审查结论",
        max_length=20,
        choices=ReviewResult.choices,
        blank=True,
        help_text="年报模式不出具结论（R-ANN-08）。",
    )
    remarks = models.TextField("审查意见", blank=True)
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度工作报告"
        verbose_name_plural = "年度工作报告"
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message="该组织该年度的年度工作报告已存在。",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="oversight_report_year_status"),
            # The API's list order (newest year first, then id): a page of one year is read
            # from here, where the primary key walked past 5M other years' rows (load bench).
            models.Index(fields=["-year", "id"], name="oversight_report_year_id"),
            # The work queues (awaiting the unit's opinion, awaiting review) are a sliver of a
            # national table that is almost all reviewed: the workbench counts them from this.
            models.Index(
                fields=["status"],
                condition=~Q(status="reviewed"),
                name="oversight_report_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年度报告"
