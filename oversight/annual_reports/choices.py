"""Vocabularies of annual reports: review model (D3), status, opinion and review result."""

from django.db import models


class ReviewModel(models.TextChoices):
    """R-ANN-07/08/09: 年检 gives a conclusion; 年报 gives none."""

    INSPECTION = "inspection", "年检（出具结论）"
    REPORT = "report", "年报（不出具结论）"


class AnnualReportStatus(models.TextChoices):
    AWAITING_OPINION = "awaiting_opinion", "待业务主管单位初审"
    AWAITING_REVIEW = "awaiting_review", "待登记管理机关审查"
    REVIEWED = "reviewed", "已审查"


class SupervisorOpinion(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"


class ReviewResult(models.TextChoices):
    PASSED = "passed", "合格"
    BASICALLY_PASSED = "basically_passed", "基本合格"
    FAILED = "failed", "不合格"
