"""Accounts of the API: department membership and API tokens (the raw key is never stored)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


def hash_token_key(key: str) -> str:
    """SHA-256 hex of a raw key. Keys are 240-bit random strings, so an unsalted fast hash is
    enough (no dictionary to attack) and lets the token be found by an indexed equality."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class DepartmentMembership(models.Model):
    """部门账号归属: the supervising unit a department (non-staff) user acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="department_membership",
    )
    # A string reference keeps `common` free of imports of the domain apps (.importlinter).
    supervising_unit = models.ForeignKey(
        settings.SCOPE_UNIT_MODEL,
        verbose_name="业务主管单位",
        on_delete=models.PROTECT,
        related_name="department_memberships",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门账号"
        verbose_name_plural = "部门账号"

    def __str__(self) -> str:
        return f"{self.user} → {self.supervising_unit}"


class ApiToken(models.Model):
    """API 令牌: one of a user's keys for `Authorization: Token <key>`; revoked, never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("用途说明", max_length=100, blank=True)
    prefix = models.CharField(
        "令牌前缀", max_length=16, editable=False, help_text="令牌开头几位，仅用于辨认。"
    )
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    expires_at = models.DateTimeField(
        "过期时间", null=True, blank=True, help_text="留空表示不过期。"
    )
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吊销人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]
        # Issuing for a department account is its own right (issue 9): `add_apitoken` alone
        # only lets a clerk issue keys for themselves.
        permissions = [("manage_department_accounts", "管理部门账号（为部门账号签发令牌）")]

    def __str__(self) -> str:
        return f"{self.prefix}… （{self.user}）"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


from common.audit_models import AuditDigest, AuditEvent  # noqa: E402, F401
from common.policy import LegalPeriod  # noqa: E402, F401
from common.workdays import CalendarDay  # noqa: E402, F401
