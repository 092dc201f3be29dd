"""Service records: one organization served in one session (场次) of one kind of service."""

from __future__ import annotations

from django.db import models

from common.scoping import ScopedQuerySet
from registry.models import Organization

from .choices import ServiceKind


class ServiceRecord(models.Model):
    """服务记录: an organization served (一家次) in a session (场次) of a bureau service."""

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("服务类别", max_length=32, choices=ServiceKind.choices)
    served_on = models.DateField("服务日期")
    session = models.CharField(
        "场次", max_length=50, help_text="同一场培训或服务的编号；场次数按编号计。"
    )
    notes = models.CharField("备注", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_path = "organization__supervising_unit"

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-served_on", "id"]
        indexes = [models.Index(fields=["kind", "served_on"], name="funding_service_kind_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "session"],
                name="%(app_label)s_%(class)s_once_per_session",
                violation_error_message="同一组织在同一场次只记录一次。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.session} {self.organization}"
