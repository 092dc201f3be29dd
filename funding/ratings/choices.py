"""Vocabularies of rating rounds (等级评估, DOMAIN.md §6)."""

from django.db import models


class RatingRoundStatus(models.TextChoices):
    OPEN = "open", "受理申请"
    EVALUATING = "evaluating", "评估中"
    NOTICE = "notice", "公示中"
    ANNOUNCED = "announced", "已公告"


class ApplicationStatus(models.TextChoices):
    ACCEPTED = "accepted", "已受理"
    INELIGIBLE = "ineligible", "不符合申请条件"
    AWARDED = "awarded", "评定等级"
    NOT_GRADED = "not_graded", "未达等级"


class ReviewDecision(models.TextChoices):
    PENDING = "pending", "待复核"
    UPHELD = "upheld", "维持原评估结果"
    CHANGED = "changed", "变更评估结果"


# R-EVL-06: the review decision is notified in writing within 15 days of the request.
REVIEW_DECISION_DAYS = 15
# R-EVL-02: two full years holding the certificate before a first evaluation.
FIRST_EVALUATION_YEARS = 2
# R-EVL-08 (revision 2026): re-evaluation may be applied for in the first 4 years.
REEVALUATION_WINDOW_YEARS = 4
# Local practice (R-EVL-02 [LOCAL]): moving up a grade once 2 years have passed.
UPGRADE_AFTER_YEARS = 2
