"""僵尸型社会组织: monthly flags with the criteria met and their evidence, and the cleanup
cases staff open from them (DESIGN.md §4.5, DOMAIN.md §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.change_tracking import ChangeTracked
from common.scoping import ScopedQuerySet
from oversight.zombies.choices import ZOMBIE_OPEN_STAGES, FlagSource, ZombieStage
from registry.models import Organization, SupervisingUnit


class ZombieFlag(ChangeTracked):
    """僵尸风险标记: one organization flagged on one detection date, with which criteria of
    R-ZMB-01 it met and the evidence of each (R-ZMB-03, D7); or designated as a zombie by the
    bureau or the supervising unit (R-ZMB-01(5)), with the reason and who designated it.
    Detection writes only `detected` rows and never touches a designation."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="zombie_flags",
    )
    as_of = models.DateField("检测日期")
    criteria = models.JSONField("符合的认定标准", default=list)
    evidence = models.JSONField("证据", default=dict)
    source = models.CharField(
        "来源", max_length=12, choices=FlagSource.choices, default=FlagSource.DETECTED
    )
    reason = models.TextField("认定理由", blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    designating_unit = models.ForeignKey(
        SupervisingUnit,
        verbose_name="认定单位（业务主管单位）",
        help_text="为空表示由登记管理机关认定。",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "僵尸风险标记"
        verbose_name_plural = "僵尸风险标记"
        ordering = ["-as_of", "organization_id"]
        constraints = [
            # Detection's ON CONFLICT target: one detected and one designated flag at most per
            # organization and day, so neither can displace the other.
            models.UniqueConstraint(
                fields=["organization", "as_of", "source"],
                name="%(app_label)s_%(class)s_once_per_run",
            ),
            models.CheckConstraint(
                condition=Q(source="detected") | ~Q(reason=""),
                name="%(app_label)s_%(class)s_designation_has_reason",
                violation_error_message="认定须说明理由（R-ZMB-01第5项）。",
            ),
        ]
        indexes = [models.Index(fields=["as_of"], name="oversight_zombieflag_asof")]

    def __str__(self) -> str:
        return f"{self.organization} {self.as_of}"


class ZombieCase(ChangeTracked):
    """僵尸型社会组织清理整治案件: identified → notified (or → notice, the public notice to an
    organization that cannot be reached) → deregistering → deregistered, or → revoked, or →
    restored (R-ZMB-02); the stage table is `ZOMBIE_TRANSITIONS`."""

    scope_unit_path = "organization__supervising_unit"

    organization = models.ForeignKey(
        Organization,
        verbose_name="社会组织",
        on_delete=models.PROTECT,
        related_name="zombie_cases",
    )
    flag = models.ForeignKey(
        ZombieFlag,
        verbose_name="依据的风险标记",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    criteria = models.JSONField("认定标准", default=list)
    stage = models.CharField(
        "阶段", max_length=20, choices=ZombieStage.choices, default=ZombieStage.IDENTIFIED
    )
    identified_on = models.DateField("认定日期")
    notified_on = models.DateField("告知日期", null=True, blank=True)
    notice_published_on = models.DateField("公告日期", null=True, blank=True)
    notice_ends_on = models.DateField(
        "公告期满日期",
        null=True,
        blank=True,
        help_text="公告之日起60日的最后一日；期满后方可撤销登记（R-ZMB-02）。",
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    notes = models.TextField("办理情况", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "僵尸型社会组织案件"
        verbose_name_plural = "僵尸型社会组织案件"
        ordering = ["-identified_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(stage__in=[s.value for s in ZOMBIE_OPEN_STAGES]),
                name="%(app_label)s_%(class)s_one_open_case",
                violation_error_message="该组织已有未办结的清理整治案件。",
            ),
        ]
        indexes = [models.Index(fields=["stage"], name="oversight_zombiecase_stage")]

    def __str__(self) -> str:
        return f"{self.organization}（{self.get_stage_display()}）"
