"""Rating rounds: applications, evaluators' scores, review requests, reminders (R-EVL)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet
from funding.grants.models import Expert
from registry.models import Organization, Rating

from .choices import ApplicationStatus, RatingRoundStatus, ReviewDecision

SCORE = {"max_digits": 6, "decimal_places": 2}
SCORE_RANGE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))]


class RatingRound(models.Model):
    """等级评估批次: one year's evaluation with its own grade cut-offs (R-EVL-04)."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    applications_close_on = models.DateField("申请截止日期")
    # Cut-offs out of 1000 points are local (R-EVL-04): stored per round.
    min_5a = models.PositiveSmallIntegerField("5A最低分", default=900)
    min_4a = models.PositiveSmallIntegerField("4A最低分", default=800)
    min_3a = models.PositiveSmallIntegerField("3A最低分", default=700)
    min_2a = models.PositiveSmallIntegerField("2A最低分", default=600)
    min_1a = models.PositiveSmallIntegerField("1A最低分", default=500)
    status = models.CharField(
        "状态", max_length=20, choices=RatingRoundStatus.choices, default=RatingRoundStatus.OPEN
    )
    notice_started_on = models.DateField("公示开始日期", null=True, blank=True)
    notice_ends_on = models.DateField("公示截止日期", null=True, blank=True)
    announced_on = models.DateField("公告日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "applications__organization__supervising_unit"

    class Meta:
        verbose_name = "等级评估批次"
        verbose_name_plural = "等级评估批次"
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_5a__gt=F("min_4a"))
                & Q(min_4a__gt=F("min_3a"))
                & Q(min_3a__gt=F("min_2a"))
                & Q(min_2a__gt=F("min_1a"))
                & Q(min_5a__lte=1000),
                name="%(app_label)s_%(class)s_cutoffs_descending",
                violation_error_message="等级分数线须由5A到1A依次降低，且不超过1000分（R-EVL-04）。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def cutoffs(self) -> list[tuple[str, int]]:
        return [
            ("5A", self.min_5a),
            ("4A", self.min_4a),
            ("3A", self.min_3a),
            ("2A", self.min_2a),
            ("1A", self.min_1a),
        ]


class RatingApplication(ChangeTracked):
    """评估申请: an organization's application in a round, its eligibility and its result."""

    round = models.ForeignKey(
        RatingRound, verbose_name="评估批次", on_delete=models.PROTECT, related_name="applications"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField("申请日期")
    status = models.CharField(
        "状态", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.ACCEPTED
    )
    ineligibility_reasons = models.TextField("不符合条件的原因", blank=True)
    score = models.DecimalField("评估得分", **SCORE, null=True, blank=True, validators=SCORE_RANGE)
    grade = models.CharField("评定等级", max_length=2, blank=True)
    rating = models.OneToOneField(
        Rating,
        verbose_name="等级记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "评估申请"
        verbose_name_plural = "评估申请"
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization"],
                name="%(app_label)s_%(class)s_one_per_round",
                violation_error_message="同一组织在一个评估批次只能申请一次。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.organization}"


class RatingEvaluation(models.Model):
    """评估打分: one evaluator's score of an application (recusal per R-EVL-06)."""

    application = models.ForeignKey(
        RatingApplication,
        verbose_name="评估申请",
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    expert = models.ForeignKey(
        Expert, verbose_name="评估专家", on_delete=models.PROTECT, related_name="rating_scores"
    )
    score = models.DecimalField("得分", **SCORE, validators=SCORE_RANGE)
    evaluated_on = models.DateField("评估日期")

    class Meta:
        verbose_name = "评估打分"
        verbose_name_plural = "评估打分"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"],
                name="%(app_label)s_%(class)s_one_per_expert",
                violation_error_message="同一专家对同一申请只能打分一次。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} {self.score}"


class RatingReviewRequest(models.Model):
    """复核申请: filed during the public notice, decided within 15 days (R-EVL-06)."""

    application = models.ForeignKey(
        RatingApplication,
        verbose_name="评估申请",
        on_delete=models.PROTECT,
        related_name="review_requests",
    )
    requested_on = models.DateField("申请复核日期")
    reason = models.TextField("复核理由")
    decision = models.CharField(
        "复核结论", max_length=20, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    new_score = models.DecimalField(
        "复核后得分", **SCORE, null=True, blank=True, validators=SCORE_RANGE
    )
    decided_on = models.DateField("复核决定日期", null=True, blank=True)

    class Meta:
        verbose_name = "复核申请"
        verbose_name_plural = "复核申请"

    def __str__(self) -> str:
        return f"{self.application} 复核"


class RatingExpiryReminder(models.Model):
    """等级到期提醒: written by the daily task for grades nearing their expiry (R-XC-02)."""

    rating = models.OneToOneField(
        Rating, verbose_name="等级记录", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="+"
    )
    expires_on = models.DateField("有效期至")
    created_on = models.DateField("提醒日期")

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "等级到期提醒"
        verbose_name_plural = "等级到期提醒"
        ordering = ["expires_on"]

    def __str__(self) -> str:
        return f"{self.organization} 等级至{self.expires_on}到期"
