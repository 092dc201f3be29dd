"""Audits, joint inspections, interviews and circulars (DESIGN.md §4.3, DOMAIN.md §9)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.scoping import ScopedQuerySet
from registry.models import Organization, SupervisingUnit

from ..choices import (
    AuditKind,
)


class Audit(models.Model):
    """审计: a departure, term-end, liquidation or special financial audit (R-AUD-01…06)."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="audits"
    )
    kind = models.CharField("审计类型", max_length=20, choices=AuditKind.choices)
    subject_person = models.CharField(
        "被审计人", max_length=50, blank=True, help_text="离任审计的离任人（通常为法定代表人）。"
    )
    period_start = models.DateField("审计期间起", null=True, blank=True)
    period_end = models.DateField("审计期间止", null=True, blank=True)
    firm = models.CharField("会计师事务所", max_length=100, blank=True)
    commissioned_on = models.DateField("委托日期")
    completed_on = models.DateField("报告日期", null=True, blank=True)
    report_no = models.CharField("报告文号", max_length=100, blank=True)
    report_file = models.FileField("审计报告", upload_to="audits/%Y/", blank=True)
    conclusion = models.TextField("审计结论", blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "审计"
        verbose_name_plural = "审计"
        ordering = ["-commissioned_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | ~Q(report_no=""),
                name="%(app_label)s_%(class)s_completed_has_report",
                violation_error_message="已出具报告的审计须填写报告文号。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()}"

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


class JointInspection(models.Model):
    """跨部门联合检查: an inspection carried out with other departments."""

    title = models.CharField("检查名称", max_length=200)
    held_on = models.DateField("检查日期")
    departments = models.ManyToManyField(
        SupervisingUnit, verbose_name="参加部门", related_name="joint_inspections", blank=True
    )
    other_departments = models.CharField("其他参加部门", max_length=300, blank=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name="检查对象", related_name="joint_inspections"
    )
    findings = models.TextField("检查情况", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "联合检查"
        verbose_name_plural = "联合检查"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class Interview(models.Model):
    """约谈: a supervisory talk with an organization's responsible people."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="interviews"
    )
    held_on = models.DateField("约谈日期")
    reason = models.TextField("约谈事由")
    interviewees = models.CharField("被约谈人", max_length=200)
    interviewers = models.CharField("约谈人", max_length=200)
    outcome = models.TextField("约谈结果", blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.organization} {self.held_on} 约谈"


class Circular(models.Model):
    """通报: a notice to a supervising unit (or to all), optionally with an Excel attachment."""

    # A circular reaches a department through its addressee; one addressed to all units (no
    # addressee) reaches every department (common.scoping).
    scope_unit_path = "supervising_unit"
    scope_include_null = True

    title = models.CharField("标题", max_length=200)
    document_no = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("印发日期")
    supervising_unit = models.ForeignKey(
        SupervisingUnit,
        verbose_name="主送单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="circulars",
        help_text="留空表示面向全部单位。",
    )
    body = models.TextField("正文", blank=True)
    attachment = models.FileField("附件", upload_to="circulars/%Y/", blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return self.title
