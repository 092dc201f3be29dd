"""Vocabularies and workflow tables of supervision (DESIGN.md §4, DOMAIN.md §4, §9)."""

from django.db import models


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
