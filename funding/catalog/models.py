"""The purchase-of-services catalog: editions, their entries and manual exclusions (R-PUR)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet
from registry.models import Organization

from .choices import DEFAULT_MIN_AGE_YEARS, EditionStatus


class CatalogEdition(ChangeTracked):
    """目录版次: one numbered publication of the catalog; immutable once published (DB trigger)."""

    number = models.PositiveSmallIntegerField("版次", unique=True, help_text="第N次发布。")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    application_date = models.DateField(
        "申报基准日期", help_text="按此日的信用状况审查（R-PUR-05）。"
    )
    min_age_years = models.PositiveSmallIntegerField(
        "最低成立年限（年）", default=DEFAULT_MIN_AGE_YEARS, help_text="R-PUR-04，可配置。"
    )
    status = models.CharField(
        "状态", max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "entries__organization__supervising_unit"

    class Meta:
        verbose_name = "购买服务目录版次"
        verbose_name_plural = "购买服务目录版次"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"第{self.number}次目录（{self.year}年）"


class CatalogEntry(ChangeTracked):
    """目录条目: an organization in a published edition, as it stood at publication."""

    edition = models.ForeignKey(
        CatalogEdition, verbose_name="目录版次", on_delete=models.PROTECT, related_name="entries"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称（发布时）", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18)
    grade = models.CharField("评估等级（发布时）", max_length=2, blank=True)
    is_priority = models.BooleanField("优先（3A及以上）", default=False)
    auto_admitted = models.BooleanField("5A自动入选", default=False)

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "目录条目"
        verbose_name_plural = "目录条目"
        ordering = ["edition", "-is_priority", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organization"],
                name="%(app_label)s_%(class)s_once_per_edition",
                violation_error_message="同一组织在同一版目录中只能出现一次。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.name}"


class CatalogExclusion(models.Model):
    """人工排除: an eligible organization that staff left out of an edition, with the reason."""

    edition = models.ForeignKey(
        CatalogEdition, verbose_name="目录版次", on_delete=models.PROTECT, related_name="exclusions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("排除理由", max_length=500)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "目录人工排除"
        verbose_name_plural = "目录人工排除"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organization"],
                name="%(app_label)s_%(class)s_once_per_edition",
                violation_error_message="同一组织在同一版目录中只能排除一次。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} 排除 {self.organization}"
