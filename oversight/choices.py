"""Vocabularies and workflow tables of supervision (DESIGN.md §4, DOMAIN.md §4, §9)."""

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


class DrawKind(models.TextChoices):
    ANNUAL_REPORT_AUDIT = "annual_report_audit", "年度报告抽查"
    SPECIAL_INSPECTION = "special_inspection", "专项执法检查"
    FINANCIAL_AUDIT = "financial_audit", "财务专项审计抽查"


class DrawStratification(models.TextChoices):
    NONE = "", "不分层"
    TYPE = "type", "按组织类型"
    INDUSTRY = "industry", "按行业分类"
    SUPERVISING_UNIT = "supervising_unit", "按业务主管单位"


class DrawStatus(models.TextChoices):
    CREATED = "created", "已创建（已承诺）"
    EXECUTED = "executed", "已执行（已揭示）"


class InspectionStatus(models.TextChoices):
    PENDING = "pending", "待检查"
    IN_PROGRESS = "in_progress", "检查中"
    COMPLETED = "completed", "已完成"


INSPECTION_TRANSITIONS: dict[str, set[str]] = {
    InspectionStatus.PENDING: {InspectionStatus.IN_PROGRESS},
    InspectionStatus.IN_PROGRESS: {InspectionStatus.COMPLETED},
    InspectionStatus.COMPLETED: set(),
}


class InspectionOutcome(models.TextChoices):
    COMPLIANT = "compliant", "未发现问题"
    RECTIFICATION_REQUIRED = "rectification_required", "责令整改"
    CASE_OPENED = "case_opened", "立案查处"


class AuditKind(models.TextChoices):
    """R-AUD-01…06: audits recognized in practice that the register acts on."""

    DEPARTURE = "departure", "离任审计"
    TERM_END = "term_end", "换届审计"
    LIQUIDATION = "liquidation", "注销清算审计"
    FINANCIAL_SPECIAL = "financial_special", "财务专项审计"
