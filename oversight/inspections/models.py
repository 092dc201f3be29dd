"""Inspectors, 双随机 draws and the inspections they select (DESIGN.md §4.2–§4.3)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet
from oversight.inspections.choices import (
    AuditKind,
    DrawKind,
    DrawStatus,
    DrawStratification,
    InspectionOutcome,
    InspectionStatus,
)
from registry.models import Organization, SupervisingUnit


class Inspector(models.Model):
    """执法检查人员: one entry of the inspector register (一单两库, R-INS-07)."""

    code = models.CharField("人员编号", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("所在单位", max_length=100)
    certificate_no = models.CharField("执法证号", max_length=50, blank=True)
    field = models.CharField("业务领域", max_length=100, blank=True)
    is_active = models.BooleanField("在册", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InspectorConflict(models.Model):
    """回避申报: an inspector's declared stake in an organization or a supervising unit (R-INS-10)."""

    inspector = models.ForeignKey(
        Inspector, verbose_name="检查人员", on_delete=models.PROTECT, related_name="conflicts"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    supervising_unit = models.ForeignKey(
        SupervisingUnit,
        verbose_name="业务主管单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField("回避事由", max_length=200)
    declared_on = models.DateField("申报日期")
    ended_on = models.DateField("解除日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, supervising_unit__isnull=True)
                | Q(organization__isnull=True, supervising_unit__isnull=False),
                name="%(app_label)s_%(class)s_one_target",
                violation_error_message="回避对象须为一个社会组织或一个业务主管单位（二选一）。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspector} 回避 {self.organization or self.supervising_unit}"


class InspectionDraw(ChangeTracked):
    """双随机抽查: a commit-then-reveal draw of organizations and inspectors (DESIGN.md §4.2).

    Creation freezes the population, the roster and the conflicts and publishes their hashes
    with SHA-256(nonce); execution reveals the nonce and derives everything from the seed.
    After execution the row is immutable: a database trigger refuses UPDATE and DELETE.
    """

    # A draw belongs to no single unit: a department sees it when at least one of its
    # organizations was selected (common.scoping applies this to-many path as EXISTS).
    scope_unit_path = "inspections__organization__supervising_unit"

    kind = models.CharField("抽查类型", max_length=32, choices=DrawKind.choices)
    # D16: labelled by the year the draw is made (the 2021 draw audits the 2020 reports).
    year = models.PositiveSmallIntegerField("抽查年度")
    report_year = models.PositiveSmallIntegerField(
        "所查报告年度",
        null=True,
        blank=True,
        help_text="年度报告抽查所查的报告年度（D16）；其他抽查为空。",
    )
    round = models.PositiveSmallIntegerField("批次", default=1)
    ratio = models.DecimalField(
        "抽查比例",
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    stratify_by = models.CharField(
        "分层方式", max_length=20, choices=DrawStratification.choices, blank=True, default=""
    )
    population_rule = models.CharField("抽查对象范围", max_length=200)
    population_as_of = models.DateField("名录截止日")
    status = models.CharField(
        "状态", max_length=10, choices=DrawStatus.choices, default=DrawStatus.CREATED
    )
    population_size = models.PositiveIntegerField("抽查总体数 N")
    sample_size = models.PositiveIntegerField("抽取数量 k")
    ratio_warning = models.CharField("比例提示", max_length=300, blank=True)
    inspectors_per_org = models.PositiveSmallIntegerField("每家检查人员数", default=2)
    candidate_window = models.PositiveSmallIntegerField("候选窗口", default=8)
    population_text = models.TextField("抽查对象名录", editable=False)
    population_hash = models.CharField("名录 SHA-256", max_length=64, editable=False)
    strata_text = models.TextField("分层表", blank=True, editable=False)
    strata_hash = models.CharField("分层表 SHA-256", max_length=64, blank=True, editable=False)
    roster_text = models.TextField("检查人员名录", editable=False)
    roster_hash = models.CharField("人员名录 SHA-256", max_length=64, editable=False)
    conflicts_text = models.TextField("回避关系", blank=True, editable=False)
    conflicts_hash = models.CharField("回避关系 SHA-256", max_length=64, editable=False)
    nonce = models.BinaryField("随机数（执行前保密）", editable=False)
    nonce_hash = models.CharField("随机数 SHA-256", max_length=64, editable=False)
    public_value_source = models.CharField(
        "公开随机值来源",
        max_length=300,
        blank=True,
        help_text="创建时声明、届时才会公开的数值来源，例如某日某公开彩票开奖号码。",
    )
    public_value_known_at = models.DateTimeField(
        "公开随机值公布时间",
        null=True,
        blank=True,
        help_text="声明的公开随机值何时公布；此前不能执行抽查（D17）。与来源一并计入承诺值。",
    )
    public_value = models.CharField("公开随机值", max_length=300, blank=True)
    seed = models.CharField("种子", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    executed_at = models.DateTimeField("执行时间", null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="执行人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "双随机抽查"
        verbose_name_plural = "双随机抽查"
        ordering = ["-year", "kind", "-round"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "round"],
                name="%(app_label)s_%(class)s_one_per_round",
                violation_error_message="同一类型、年度、批次只能有一次抽查。",
            ),
            models.CheckConstraint(
                condition=Q(status="created", executed_at__isnull=True, seed="")
                | Q(status="executed", executed_at__isnull=False) & ~Q(seed=""),
                name="%(app_label)s_%(class)s_executed_has_seed",
                violation_error_message="已执行的抽查必须有执行时间和种子。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}第{self.round}批"

    @property
    def public_value_known_at_text(self) -> str:
        """The declared time as bound into the commitment (D17): local time, to the minute."""
        if self.public_value_known_at is None:
            return ""
        return timezone.localtime(self.public_value_known_at).isoformat(timespec="minutes")

    @property
    def is_executed(self) -> bool:
        return self.status == DrawStatus.EXECUTED


class Inspection(ChangeTracked):
    """抽查检查: one organization selected by one draw, and what the inspection found."""

    scope_unit_path = "organization__supervising_unit"

    # No index of their own: a draw writes ~100k inspections in one transaction, and every
    # index is paid per row. The draw's rows are found by the unique (draw, organization) and
    # (draw, position) indexes, an organization's by (organization, draw).
    draw = models.ForeignKey(
        InspectionDraw,
        verbose_name="抽查",
        on_delete=models.PROTECT,
        related_name="inspections",
        db_index=False,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="inspections",
        db_index=False,
    )
    position = models.PositiveIntegerField("抽中顺序")
    stratum = models.CharField("分层", max_length=100, blank=True)
    inspectors = models.ManyToManyField(
        Inspector,
        verbose_name="检查人员",
        through="InspectionAssignment",
        related_name="inspections",
    )
    status = models.CharField(
        "检查状态",
        max_length=20,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PENDING,
    )
    started_on = models.DateField("开始日期", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    findings = models.TextField("检查发现", blank=True)
    outcome = models.CharField(
        "检查结果", max_length=32, choices=InspectionOutcome.choices, blank=True
    )
    rectification_deadline = models.DateField("整改期限", null=True, blank=True)
    rectification_verified_on = models.DateField("整改核实日期", null=True, blank=True)
    published_on = models.DateField("结果公示日期", null=True, blank=True)
    # The history is read by inspection (its id); nothing looks it up by draw or organization.
    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["draw", "organization"]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查检查"
        verbose_name_plural = "抽查检查"
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "organization"], name="%(app_label)s_%(class)s_once_per_draw"
            ),
            models.UniqueConstraint(
                fields=["draw", "position"], name="%(app_label)s_%(class)s_position_per_draw"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="rectification_required")
                | Q(rectification_deadline__isnull=False),
                name="%(app_label)s_%(class)s_rectification_has_deadline",
                violation_error_message="责令整改须有整改期限。",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | (~Q(outcome="") & Q(completed_on__isnull=False)),
                name="%(app_label)s_%(class)s_completed_has_outcome",
                violation_error_message="完成的检查须有检查结果和完成日期。",
            ),
        ]
        indexes = [models.Index(fields=["organization", "draw"], name="oversight_insp_org")]

    def __str__(self) -> str:
        return f"{self.draw}：{self.organization}"


class InspectionAssignment(models.Model):
    """检查人员分派: an inspector drawn for one inspection (R-INS-04: at least two each)."""

    scope_unit_path = "inspection__organization__supervising_unit"

    # Indexed by the unique (inspection, inspector) index, which leads with it.
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="抽查检查",
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,
    )
    inspector = models.ForeignKey(
        Inspector, verbose_name="检查人员", on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "检查人员分派"
        verbose_name_plural = "检查人员分派"
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "inspector"], name="%(app_label)s_%(class)s_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} / {self.inspector}"


class Audit(ChangeTracked):
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
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name="来源抽查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_audits",
        help_text="由双随机抽查引出的财务专项审计。",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

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
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name="来源抽查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        help_text="因抽查发现的问题而约谈时填写。",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.organization} {self.held_on} 约谈"


class Circular(ChangeTracked):
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
    inspections = models.ManyToManyField(
        "Inspection",
        verbose_name="涉及的抽查检查",
        blank=True,
        related_name="circulars",
        help_text="通报抽查及后续审计、约谈结果时，所涉及的抽查检查。",
    )
    # Circulars a job issues are recognised by what they are, never by their title (which
    # staff may reword): kind, period and addressee, e.g. "missing_reports:2021:-".
    issue_key = models.CharField(
        "通报键",
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="定期通报的类别、期间与主送单位；同一键只印发一次。手工通报为空。",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def key_for(*, kind: str, period: str, unit_code: str | None) -> str:
        """The issue key of a periodic circular: kind, period and addressee (or "-")."""
        return f"{kind}:{period}:{unit_code or '-'}"
