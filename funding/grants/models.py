"""Special-fund rounds, grant projects and their records (DESIGN.md §6, DOMAIN.md §10)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet
from registry.models import Organization

from .choices import (
    EvaluationResult,
    FundRoundStatus,
    GrantCategory,
    GrantStatus,
    PaymentStatus,
    SupervisorOpinion,
)
from .validators import validate_enterprise_uscc

MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class FundRound(ChangeTracked):
    """社会建设专项资金申报期次: one call for proposals with its window and budget (R-FND-02)."""

    number = models.PositiveSmallIntegerField("期次", unique=True, help_text="第N期。")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    directions = models.TextField("资助方向", blank=True)
    opens_on = models.DateField("申报开始日期")
    closes_on = models.DateField("申报截止日期")
    budget = models.DecimalField("资金预算（元）", **MONEY, validators=POSITIVE)
    status = models.CharField(
        "状态", max_length=20, choices=FundRoundStatus.choices, default=FundRoundStatus.DRAFT
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()
    # A department sees the rounds to which its organizations applied.
    scope_unit_path = "grants__organization__supervising_unit"

    class Meta:
        verbose_name = "专项资金申报期次"
        verbose_name_plural = "专项资金申报期次"
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="%(app_label)s_%(class)s_window_ordered",
                violation_error_message="申报截止日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.number}期（{self.year}年）"


class Expert(models.Model):
    """评审专家: a member of the expert pool who scores grant applications and ratings."""

    code = models.CharField("专家编号", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("工作单位", max_length=100, blank=True)
    field = models.CharField("专业领域", max_length=100, blank=True)

    class Meta:
        verbose_name = "评审专家"
        verbose_name_plural = "评审专家"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ExpertConflict(models.Model):
    """利害关系申报: an expert must recuse from an organization (R-EVL-06, like inspectors)."""

    expert = models.ForeignKey(
        Expert, verbose_name="专家", on_delete=models.CASCADE, related_name="conflicts"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("利害关系", max_length=200)
    ended_on = models.DateField(
        "关系终止日期",
        null=True,
        blank=True,
        help_text="如离职日期；空表示关系仍存续。终止未满2年仍须回避（R-EVL-06）。",
    )

    class Meta:
        verbose_name = "专家利害关系"
        verbose_name_plural = "专家利害关系"

    def __str__(self) -> str:
        return f"{self.expert} — {self.organization}"


class GrantProject(ChangeTracked):
    """专项资金资助项目: an organization's application to a round and the project it becomes."""

    round = models.ForeignKey(
        FundRound, verbose_name="申报期次", on_delete=models.PROTECT, related_name="grants"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="申报组织", on_delete=models.PROTECT, related_name="grants"
    )
    title = models.CharField("项目名称", max_length=200)
    category = models.CharField("项目类别", max_length=32, choices=GrantCategory.choices)
    plan = models.TextField("实施方案", blank=True)
    requested_amount = models.DecimalField("申请金额（元）", **MONEY, validators=POSITIVE)
    approved_amount = models.DecimalField(
        "资助金额（元）", **MONEY, null=True, blank=True, validators=POSITIVE
    )
    status = models.CharField(
        "状态", max_length=20, choices=GrantStatus.choices, default=GrantStatus.SUBMITTED
    )
    submitted_on = models.DateField("申报日期")
    notice_started_on = models.DateField("公示开始日期", null=True, blank=True)
    notice_ends_on = models.DateField("公示截止日期", null=True, blank=True)
    approved_on = models.DateField("立项日期", null=True, blank=True)
    supervisor_opinion = models.CharField(
        "业务主管单位意见", max_length=20, choices=SupervisorOpinion.choices, blank=True
    )
    supervisor_remarks = models.TextField("主管单位意见说明", blank=True)
    supervisor_opinion_on = models.DateField("主管单位意见日期", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "资助项目"
        verbose_name_plural = "资助项目"
        ordering = ["-round__number", "id"]
        indexes = [models.Index(fields=["round", "status"], name="funding_grant_round_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | Q(approved_amount__lte=models.F("requested_amount")),
                name="%(app_label)s_%(class)s_approved_le_requested",
                violation_error_message="资助金额不能超过申请金额。",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GrantBudgetLine(models.Model):
    """预算明细: one line of an application's budget."""

    project = models.ForeignKey(
        GrantProject, verbose_name="项目", on_delete=models.CASCADE, related_name="budget_lines"
    )
    item = models.CharField("支出科目", max_length=100)
    amount = models.DecimalField("金额（元）", **MONEY, validators=POSITIVE)

    class Meta:
        verbose_name = "预算明细"
        verbose_name_plural = "预算明细"

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"


class GrantTransition(models.Model):
    """流转记录: one move of a project along the workflow, with actor, time and document."""

    project = models.ForeignKey(
        GrantProject, verbose_name="项目", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=20, choices=GrantStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=GrantStatus.choices)
    on = models.DateField("办理日期")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    remarks = models.TextField("说明", blank=True)
    document_no = models.CharField("文号", max_length=100, blank=True)

    class Meta:
        verbose_name = "项目流转记录"
        verbose_name_plural = "项目流转记录"
        ordering = ["project", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class GrantReview(models.Model):
    """专家评审: one expert's score of an application (recusal enforced by the service)."""

    project = models.ForeignKey(
        GrantProject, verbose_name="项目", on_delete=models.CASCADE, related_name="reviews"
    )
    expert = models.ForeignKey(
        Expert, verbose_name="评审专家", on_delete=models.PROTECT, related_name="grant_reviews"
    )
    score = models.DecimalField(
        "评分",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="百分制。",
    )
    comment = models.TextField("评审意见", blank=True)
    reviewed_on = models.DateField("评审日期")

    class Meta:
        verbose_name = "专家评审"
        verbose_name_plural = "专家评审"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "expert"],
                name="%(app_label)s_%(class)s_one_per_expert",
                violation_error_message="同一专家对同一项目只能评审一次。",
            ),
            models.CheckConstraint(
                condition=Q(score__lte=100),
                name="%(app_label)s_%(class)s_score_max_100",
                violation_error_message="评分不能超过100分。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} {self.score}"


class GrantPayment(models.Model):
    """资金拨付: one tranche; held (with its reason) while the organization has an obstacle."""

    project = models.ForeignKey(
        GrantProject, verbose_name="项目", on_delete=models.PROTECT, related_name="payments"
    )
    sequence = models.PositiveSmallIntegerField("批次")
    amount = models.DecimalField("金额（元）", **MONEY, validators=POSITIVE)
    requested_on = models.DateField("申请拨付日期")
    status = models.CharField("状态", max_length=10, choices=PaymentStatus.choices)
    paid_on = models.DateField("拨付日期", null=True, blank=True)
    held_reason = models.TextField("暂缓原因", blank=True)
    document_no = models.CharField("拨付文号", max_length=100, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "project__organization__supervising_unit"

    class Meta:
        verbose_name = "资金拨付"
        verbose_name_plural = "资金拨付"
        ordering = ["project", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sequence"],
                name="%(app_label)s_%(class)s_sequence_unique",
                violation_error_message="同一项目的拨付批次不能重复。",
            ),
            models.CheckConstraint(
                condition=Q(status="paid", paid_on__isnull=False)
                | Q(status="held", paid_on__isnull=True),
                name="%(app_label)s_%(class)s_paid_has_date",
                violation_error_message="已拨付的款项必须有拨付日期，暂缓的不得有。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} 第{self.sequence}批 {self.amount}"


class GrantCompletionReport(models.Model):
    """结项报告: what the project achieved and the third-party evaluation (R-FND-04)."""

    project = models.OneToOneField(
        GrantProject,
        verbose_name="项目",
        on_delete=models.PROTECT,
        related_name="completion_report",
    )
    activities_held = models.PositiveIntegerField("开展活动（场）")
    people_served = models.PositiveIntegerField("服务人次")
    evaluation_result = models.CharField(
        "第三方评估结果", max_length=20, choices=EvaluationResult.choices
    )
    evaluator = models.CharField("第三方评估机构", max_length=200, blank=True)
    submitted_on = models.DateField("提交日期")

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "project__organization__supervising_unit"

    class Meta:
        verbose_name = "结项报告"
        verbose_name_plural = "结项报告"

    def __str__(self) -> str:
        return f"{self.project} 结项报告"


class Sponsorship(models.Model):
    """企业资助: an enterprise's sponsorship of an organization or one of its projects."""

    sponsor_name = models.CharField("资助企业名称", max_length=200)
    sponsor_uscc = models.CharField(
        "企业统一社会信用代码", max_length=18, validators=[validate_enterprise_uscc]
    )
    organization = models.ForeignKey(
        Organization, verbose_name="受资助组织", on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        GrantProject,
        verbose_name="受资助项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsorships",
    )
    amount = models.DecimalField("资助金额（元）", **MONEY, validators=POSITIVE)
    sponsored_on = models.DateField("资助日期")

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "企业资助"
        verbose_name_plural = "企业资助"
        ordering = ["-sponsored_on", "id"]

    def __str__(self) -> str:
        return f"{self.sponsor_name} → {self.organization}"
