"""The register: supervising units, industry categories, organizations and their ratings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet

from .choices import (
    LEGAL_STATUS_DECISIONS,
    REGISTERED_STATUSES,
    LifecycleDecisionKind,
    LifecycleStatus,
    OrganizationType,
    RatingGrade,
    RatingRuleVersion,
    SupervisingUnitKind,
)
from .rating_rules import rating_validity
from .uscc import uscc_errors
from .validators import validate_uscc


class IndustryCategory(models.Model):
    """行业分类: the statistical category of 民办函〔2007〕210号, editable per D1 (R-CLS-01/02)."""

    code = models.PositiveSmallIntegerField("代码", unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    scope = models.CharField("范围说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行业分类"
        verbose_name_plural = "行业分类"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SupervisingUnit(ChangeTracked):
    """业务主管单位 / 行业管理部门: the department that supervises organizations."""

    code = models.CharField("单位代码", max_length=32, unique=True)
    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField(
        "单位类别",
        max_length=32,
        choices=SupervisingUnitKind.choices,
        default=SupervisingUnitKind.DISTRICT_DEPARTMENT,
    )
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()
    # Row scope (common.scoping): a department user sees its own unit.
    scope_unit_path = "pk"

    class Meta:
        verbose_name = "业务主管单位"
        verbose_name_plural = "业务主管单位"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(ScopedQuerySet):
    def registered_on(self, day: datetime.date) -> OrganizationQuerySet:
        """Organizations that were on the register on `day`, answered from dates alone."""
        return self.filter(established_on__lte=day).filter(
            Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=day),
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
        )

    def registered(self) -> OrganizationQuerySet:
        return self.filter(status__in=REGISTERED_STATUSES)

    def delete(self):
        raise ValidationError("登记记录永不删除：请办理注销或撤销登记。")


class OrganizationManager(models.Manager.from_queryset(OrganizationQuerySet)):
    def get_by_natural_key(self, uscc: str) -> Organization:
        return self.get(uscc=uscc)


class Organization(ChangeTracked):
    """社会组织: one registered social organization, identified for life by its USCC."""

    # The foreign keys to the register's reference tables: imports and bulk writes resolve
    # them from lookups loaded once, not per row.
    LOOKUP_FIELDS = ("industry_category", "supervising_unit")

    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text="18位，GB 32100-2015。",
    )
    name = models.CharField("名称", max_length=200)  # indexed with id in Meta.indexes
    org_type = models.CharField("组织类型", max_length=32, choices=OrganizationType.choices)
    is_industry_association = models.BooleanField(
        "行业协会商会", default=False, help_text="仅社会团体可标记（R-ORG-02）。"
    )
    industry_category = models.ForeignKey(
        IndustryCategory,
        verbose_name="行业分类",
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    supervising_unit = models.ForeignKey(
        SupervisingUnit,
        verbose_name="业务主管单位",
        on_delete=models.PROTECT,
        related_name="organizations",
        null=True,
        blank=True,
        help_text="直接登记的组织和脱钩的行业协会商会没有业务主管单位（R-ORG-03）。",
        db_index=False,  # the (supervising_unit, …) indexes in Meta lead with it
    )
    legal_representative = models.CharField("法定代表人", max_length=50)
    domicile = models.CharField("住所", max_length=200)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    business_scope = models.TextField("业务范围", blank=True)
    registered_capital = models.DecimalField(
        "注册资金（元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    registration_certificate_no = models.CharField("登记证号", max_length=50, blank=True)
    established_on = models.DateField("成立日期")
    status = models.CharField(
        "登记状态",
        max_length=20,
        choices=LifecycleStatus.choices,
        default=LifecycleStatus.ACTIVE,
    )
    deregistration_started_on = models.DateField("注销受理日期", null=True, blank=True)
    deregistered_on = models.DateField("注销日期", null=True, blank=True)
    revoked_on = models.DateField("撤销登记日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The history is read by organization id; its uscc is not searched (no_db_index).
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], no_db_index=["uscc"])

    objects = OrganizationManager()
    # Row scope (common.scoping): a department user sees the organizations it supervises.
    scope_unit_path = "supervising_unit"

    class Meta:
        verbose_name = "社会组织"
        verbose_name_plural = "社会组织"
        ordering = ["name", "id"]
        # Every index is paid on every write of a row (an import of 10,000 changed phone
        # numbers writes 10,000 entries into each), so none repeats another: no separate
        # index on supervising_unit, and no LIKE-prefix (varchar_pattern_ops) index on name,
        # which no query uses (name search is served by the trigram and name-gram indexes).
        indexes = [
            models.Index(fields=["name", "id"], name="registry_org_name_id"),
            models.Index(fields=["status", "org_type"], name="registry_org_status_type"),
            models.Index(fields=["supervising_unit", "name"], name="registry_org_unit_name"),
            models.Index(fields=["established_on"], name="registry_org_established"),
            # A department's list (status and type filters, ordered by name and id) reads its
            # page and its count from one index (API bench, 1M rows). The id ends the key so
            # the page stops after 50 entries even where many organizations share a name;
            # without it, PostgreSQL sorted every entry of the first name (1,356 at 1M).
            models.Index(
                fields=["supervising_unit", "status", "org_type", "name", "id"],
                name="registry_org_unit_list",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_industry_association=False) | Q(org_type="social_group"),
                name="%(app_label)s_%(class)s_industry_association_is_social_group",
                violation_error_message="只有社会团体可以标记为行业协会商会（R-ORG-02）。",
            ),
            models.CheckConstraint(
                condition=Q(status="deregistered", deregistered_on__isnull=False)
                | Q(~Q(status="deregistered"), deregistered_on__isnull=True),
                name="%(app_label)s_%(class)s_deregistered_has_date",
                violation_error_message="已注销的组织必须有注销日期，其他状态不得有。",
            ),
            # A revoked organization keeps its revocation date when it completes 注销登记
            # afterwards (D13); an active or deregistering one has none.
            models.CheckConstraint(
                condition=Q(status="revoked", revoked_on__isnull=False)
                | Q(status="deregistered")
                | Q(~Q(status__in=["revoked", "deregistered"]), revoked_on__isnull=True),
                name="%(app_label)s_%(class)s_revoked_has_date",
                violation_error_message="撤销登记的组织必须有撤销日期；正常和注销办理中的组织不得有。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.uscc,)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.uscc and self.org_type:
            mismatch = [
                p.message
                for p in uscc_errors(self.uscc, org_type=self.org_type)
                if p.code == "type_mismatch"
            ]
            if mismatch:
                errors["uscc"] = mismatch
        if self.is_industry_association and self.org_type != OrganizationType.SOCIAL_GROUP:
            errors["is_industry_association"] = ["只有社会团体可以标记为行业协会商会（R-ORG-02）。"]
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        raise ValidationError("登记记录永不删除：请办理注销或撤销登记。")

    @property
    def is_registered(self) -> bool:
        return self.status in REGISTERED_STATUSES


class LifecycleDecisionQuerySet(ScopedQuerySet):
    def delete(self):
        raise ValidationError("登记状态决定只能新增，不能修改或删除（R-XC-03）。")


class LifecycleDecision(models.Model):
    """登记状态决定: one decision moving an organization along its lifecycle (受理注销, 核准注销,
    撤销登记 …), written by `organization_transition` in the transaction of the change.
    Append-only (R-XC-03, R-CRD-11): the database refuses UPDATE and DELETE."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="lifecycle_decisions",
    )
    # R-CRD-11: the record names the organization as it was when decided.
    organization_uscc = models.CharField("统一社会信用代码", max_length=18)
    organization_name = models.CharField("决定时名称", max_length=200)
    kind = models.CharField("决定类型", max_length=30, choices=LifecycleDecisionKind.choices)
    from_status = models.CharField("原登记状态", max_length=20, choices=LifecycleStatus.choices)
    to_status = models.CharField("新登记状态", max_length=20, choices=LifecycleStatus.choices)
    decided_on = models.DateField("决定日期")
    document_no = models.CharField("决定文号", max_length=100, blank=True)
    authority = models.CharField("决定机关", max_length=100, blank=True)
    facts = models.TextField("事实与理由", blank=True)
    evidence = models.FileField("证据材料", upload_to="lifecycle/%Y/", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = LifecycleDecisionQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "登记状态决定"
        verbose_name_plural = "登记状态决定"
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["kind", "decided_on"], name="registry_decision_kind_day"),
            models.Index(fields=["organization", "decided_on"], name="registry_decision_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=LEGAL_STATUS_DECISIONS)
                | (~Q(document_no="") & ~Q(authority="") & (~Q(facts="") | ~Q(evidence=""))),
                name="%(app_label)s_%(class)s_legal_status_documented",
                violation_error_message="撤销登记和核准注销须有决定文号、决定机关和证据材料或事实与理由（R-XC-03）。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} {self.get_kind_display()} {self.document_no}".strip()

    def delete(self, *args, **kwargs):
        raise ValidationError("登记状态决定只能新增，不能修改或删除（R-XC-03）。")


class Rating(models.Model):
    """等级评估: a grade awarded to an organization, valid per the rule version at the award."""

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="ratings"
    )
    grade = models.CharField("评估等级", max_length=2, choices=RatingGrade.choices)
    awarded_on = models.DateField("评定日期")
    rule_version = models.CharField(
        "适用规则", max_length=20, choices=RatingRuleVersion.choices, editable=False
    )
    valid_from = models.DateField("有效期起", editable=False)
    expires_on = models.DateField("有效期至", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "等级评估"
        verbose_name_plural = "等级评估"
        ordering = ["-awarded_on"]
        indexes = [models.Index(fields=["organization", "-awarded_on"], name="registry_rating_org")]

    def __str__(self) -> str:
        return f"{self.organization} {self.grade}（{self.awarded_on}）"

    def save(self, *args, **kwargs) -> None:
        self.rule_version, self.valid_from, self.expires_on = rating_validity(
            awarded_on=self.awarded_on
        )
        super().save(*args, **kwargs)
