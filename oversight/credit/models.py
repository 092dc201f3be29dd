"""Credit lists (活动异常名录 / 严重违法失信名单) and the records they rest on (DOMAIN.md §3).

Every listing and every removal is its own immutable decision record (R-CRD-11, R-XC-03):
nothing here is ever updated or deleted after it is written — database triggers refuse it.
An organization's credit standing is derived from listings without a removal.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet
from common.uploads import validate_evidence_file
from oversight.credit.choices import (
    CreditGround,
    CreditList,
    DecisionAction,
    LetterMailing,
    LetterReturnReason,
    PenaltyKind,
    ProposalStatus,
    RemovalApplicationStatus,
    RemovalGround,
)
from registry.models import Organization


class Penalty(models.Model):
    """行政处罚: a warning, fine or heavier sanction (R-CRD-02(5), R-CRD-05(3)(4)(5)(7)),
    recorded by `penalty_record` from the admin or an Excel import; history kept."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="penalties"
    )
    kind = models.CharField("处罚种类", max_length=30, choices=PenaltyKind.choices)
    amount = models.DecimalField(
        "罚款金额（元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    decided_on = models.DateField("处罚决定日期")
    decision_no = models.CharField("处罚决定书文号", max_length=100, unique=True)
    authority = models.CharField("作出处罚决定机关", max_length=100)
    facts = models.TextField("违法事实", blank=True)
    legal_basis = models.CharField("处罚依据", max_length=200, blank=True)
    evidence = models.FileField(
        "处罚决定书（扫描件）",
        upload_to="credit/penalties/%Y/",
        blank=True,
        validators=[validate_evidence_file],
        help_text="PDF、OFD、JPG 或 PNG，不超过 20 MB。",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行政处罚"
        verbose_name_plural = "行政处罚"
        ordering = ["-decided_on"]
        indexes = [
            models.Index(fields=["organization", "decided_on"], name="oversight_penalty_org")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="fine") | Q(amount__gt=0),
                name="%(app_label)s_%(class)s_fine_has_amount",
                violation_error_message="罚款须填写金额。",
            ),
            models.CheckConstraint(
                condition=Q(kind="fine") | Q(amount=0),
                name="%(app_label)s_%(class)s_amount_only_for_fines",
                violation_error_message="只有罚款填写金额，其他处罚种类金额为0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()} {self.decision_no}"


class SpecialLetter(ChangeTracked):
    """专项信函: a letter sent to the registered address; two unsigned ones mean unreachable
    (R-CRD-03, D6: both dates recorded, minimum interval configurable; D15: unsigned only
    once its return is recorded). A second mailing names the first it follows. Written by
    `special_letter_record` / `special_letter_return_record`; history kept."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="special_letters",
    )
    mailing = models.PositiveSmallIntegerField(
        "寄送次序", choices=LetterMailing.choices, default=LetterMailing.FIRST
    )
    first_letter = models.OneToOneField(
        "self",
        verbose_name="第一次寄送的信函",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_letter",
    )
    # R-CRD-03: the registered address (住所) when the letter was sent, as it was then.
    address = models.CharField("寄送地址（登记住所）", max_length=200, blank=True)
    sent_on = models.DateField("寄出日期")
    tracking_no = models.CharField("EMS邮件号", max_length=50, blank=True)
    signed_for = models.BooleanField("已签收", default=False)
    returned_on = models.DateField("退回日期", null=True, blank=True)
    return_reason = models.CharField(
        "退回原因", max_length=20, choices=LetterReturnReason.choices, blank=True
    )
    sent_evidence = models.FileField(
        "寄件凭证",
        upload_to="credit/letters/%Y/",
        blank=True,
        validators=[validate_evidence_file],
        help_text="EMS 详情单或寄件回执；PDF、OFD、JPG 或 PNG，不超过 20 MB。",
    )
    return_evidence = models.FileField(
        "退件凭证",
        upload_to="credit/letters/%Y/",
        blank=True,
        validators=[validate_evidence_file],
        help_text="退回的信封、退改批条或 EMS 投递记录；PDF、OFD、JPG 或 PNG，不超过 20 MB。",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "专项信函"
        verbose_name_plural = "专项信函"
        ordering = ["-sent_on"]
        indexes = [models.Index(fields=["organization", "sent_on"], name="oversight_letter_org")]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("sent_on")),
                name="%(app_label)s_%(class)s_returned_after_sent",
                violation_error_message="退回日期不能早于寄出日期。",
            ),
            models.CheckConstraint(
                condition=Q(signed_for=False) | Q(returned_on__isnull=True),
                name="%(app_label)s_%(class)s_signed_or_returned",
                violation_error_message="已签收的信函不能同时登记退回。",
            ),
            models.CheckConstraint(
                condition=Q(mailing=1, first_letter__isnull=True)
                | Q(mailing=2, first_letter__isnull=False),
                name="%(app_label)s_%(class)s_second_follows_first",
                violation_error_message="第二次寄送须对应一封第一次寄送的信函。",
            ),
        ]

    def __str__(self) -> str:
        state = "已签收" if self.signed_for else ("已退回" if self.returned_on else "未签收")
        return f"{self.organization} {self.get_mailing_display()} {self.sent_on} {state}"


class CreditListing(ChangeTracked):
    """列入决定: one decision putting an organization on a list (R-CRD-11). Immutable; its
    removal is a separate record (CreditRemoval)."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="credit_listings",
    )
    organization_name = models.CharField("列入时名称", max_length=200)
    list_type = models.CharField("名录", max_length=10, choices=CreditList.choices)
    action = models.CharField(
        "决定类型", max_length=10, choices=DecisionAction.choices, default=DecisionAction.LIST
    )
    ground = models.CharField("列入依据", max_length=20, choices=CreditGround.choices)
    facts = models.TextField("事实说明")
    evidence = models.JSONField("证据", default=dict, blank=True)
    decided_on = models.DateField("决定日期")
    effective_on = models.DateField("生效日期")
    authority = models.CharField("作出决定机关", max_length=100)
    decision_no = models.CharField("决定书文号", max_length=100, unique=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    review_due_on = models.DateField(
        "期满日期",
        help_text="按决定日期适用的法定期限计算：活动异常名录期满转列或移出、严重失信名单期满可申请移出的日期。",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提议人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # A service may date the record (`at=`, the demo's own time); default now.
    created_at = models.DateTimeField("记录时间", default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信用名录列入决定"
        verbose_name_plural = "信用名录列入决定"
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "list_type"], name="oversight_listing_org"),
            models.Index(fields=["list_type", "decided_on"], name="oversight_listing_list"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(list_type="abnormal", ground__startswith="R-CRD-02")
                | Q(list_type="serious", ground__startswith="R-CRD-05"),
                name="%(app_label)s_%(class)s_ground_fits_list",
                violation_error_message="列入依据与名录不符：活动异常名录依据 R-CRD-02，严重违法失信名单依据 R-CRD-05。",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("proposed_by")),
                name="%(app_label)s_%(class)s_four_eyes",
                violation_error_message="提议人和批准人不能是同一人（双人审核）。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} {self.get_list_type_display()} {self.decision_no}"


class CreditRemoval(models.Model):
    """移出决定: one decision taking an organization off a list; it closes every listing of
    that list that was active for the organization (R-CRD-07/08, R-CRD-11)."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="credit_removals",
    )
    list_type = models.CharField("名录", max_length=10, choices=CreditList.choices)
    listings = models.ManyToManyField(
        CreditListing, verbose_name="移出的列入决定", related_name="removals"
    )
    ground = models.CharField("移出依据", max_length=30, choices=RemovalGround.choices)
    facts = models.TextField("事实说明")
    evidence = models.JSONField("证据", default=dict, blank=True)
    decided_on = models.DateField("移出日期")
    authority = models.CharField("作出决定机关", max_length=100)
    decision_no = models.CharField("移出决定书文号", max_length=100, unique=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提议人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # A service may date the record (`at=`, the demo's own time); default now.
    created_at = models.DateTimeField("记录时间", default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信用名录移出决定"
        verbose_name_plural = "信用名录移出决定"
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["organization", "list_type"], name="oversight_removal_org")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("proposed_by")),
                name="%(app_label)s_%(class)s_four_eyes",
                violation_error_message="提议人和批准人不能是同一人（双人审核）。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} 移出{self.get_list_type_display()} {self.decision_no}"


class CreditProposal(models.Model):
    """待决事项: what the rules suggest on a date (list, escalate, remove), with the reason in
    words; a clerk proposes it, a second clerk approves it, and only then a decision record is
    written (DESIGN.md §4.4). `rule_key` makes the daily job idempotent."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="credit_proposals",
    )
    action = models.CharField("事项", max_length=10, choices=DecisionAction.choices)
    list_type = models.CharField("名录", max_length=10, choices=CreditList.choices)
    ground = models.CharField("依据", max_length=30)
    rule_key = models.CharField("规则键", max_length=200)
    explanation = models.TextField("理由")
    evidence = models.JSONField("证据", default=dict, blank=True)
    as_of = models.DateField("计算日期")
    status = models.CharField(
        "状态", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.SUGGESTED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提议人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    proposed_at = models.DateTimeField("提议时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    rejection_reason = models.CharField("驳回理由", max_length=300, blank=True)
    listing = models.OneToOneField(
        CreditListing,
        verbose_name="形成的列入决定",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
    )
    removal = models.OneToOneField(
        CreditRemoval,
        verbose_name="形成的移出决定",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
    )
    created_at = models.DateTimeField("生成时间", default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信用待决事项"
        verbose_name_plural = "信用待决事项"
        ordering = ["status", "-as_of", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_key"],
                name="%(app_label)s_%(class)s_one_per_rule_key",
                violation_error_message="同一规则事项已存在。",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                name="%(app_label)s_%(class)s_four_eyes",
                violation_error_message="提议人和批准人不能是同一人（双人审核）。",
            ),
        ]
        indexes = [models.Index(fields=["status", "as_of"], name="oversight_proposal_status")]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_action_display()}{self.get_list_type_display()}"


class CreditRemovalApplication(ChangeTracked):
    """移出申请 (R-CRD-07): an organization applies to come off a list once it has fulfilled its
    obligation or finished rectification. The authority removes it within
    `CREDIT_REMOVAL_WORKING_DAYS` working days of verifying this (D18 calendar): `due_on` is
    fixed when the verification is recorded; an application still pending after `due_on` is
    overdue. Unlike the decisions above it changes (verified, decided), so it keeps history."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="credit_removal_applications",
    )
    list_type = models.CharField(
        "名录", max_length=10, choices=CreditList.choices, default=CreditList.ABNORMAL
    )
    applied_on = models.DateField("申请日期")
    applicant = models.CharField("申请人", max_length=100, help_text="如：法定代表人姓名。")
    ground = models.TextField("申请理由", help_text="已履行的义务或已完成的整改。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_on = models.DateField("核实日期", null=True, blank=True)
    due_on = models.DateField(
        "移出决定期限", null=True, blank=True, help_text="核实之日起5个工作日（R-CRD-07）。"
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=RemovalApplicationStatus.choices,
        default=RemovalApplicationStatus.PENDING,
    )
    decided_on = models.DateField("办结日期", null=True, blank=True)
    removal = models.ForeignKey(
        CreditRemoval,
        verbose_name="移出决定",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    refusal_reason = models.TextField("不予移出理由", blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "信用名录移出申请"
        verbose_name_plural = "信用名录移出申请"
        ordering = ["-applied_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="oversight_removalapp_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_on__isnull=True) | Q(verified_on__gte=models.F("applied_on")),
                name="%(app_label)s_%(class)s_verified_after_applied",
                violation_error_message="核实日期不能早于申请日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} 申请移出{self.get_list_type_display()}（{self.applied_on}）"
