"""The audit trail's tables (等保 2.0 安全审计): events, append-only, and one digest per day.

Both tables are append-only in the database itself (triggers of migration
0003_audit_trail): an UPDATE is always refused, an event can only be deleted once its day
has fallen out of the retained chain, and a day's digest only after the legal minimum of
180 days. The digests form a chain (each includes the previous one), so an edit that
bypasses the triggers is still found by `manage.py verify_audit_chain`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出登录"
    TOKEN_USE = "token_use", "令牌使用"
    TOKEN_AUTH_FAILED = "token_auth_failed", "令牌认证失败"
    TOKEN_ISSUE = "token_issue", "签发令牌"
    TOKEN_REVOKE = "token_revoke", "吊销令牌"
    ADMIN_ADD = "admin_add", "后台新增"
    ADMIN_CHANGE = "admin_change", "后台修改"
    ADMIN_DELETE = "admin_delete", "后台删除"
    EXPORT = "export", "导出"
    IMPORT = "import", "导入"
    PERSONAL_READ = "personal_read", "查看个人信息"
    DOWNLOAD = "download", "下载文件"


class AuditEvent(models.Model):
    """审计日志: who did what, when, from where. Never updated; see the module docstring."""

    occurred_at = models.DateTimeField("时间", default=timezone.now, editable=False)
    # The local calendar day the row belongs to in the hash chain, fixed at insert.
    day = models.DateField("日期", editable=False, db_index=True)
    action = models.CharField("事件", max_length=32, choices=AuditAction.choices)
    # No database constraint and no cascade: deleting a user must neither delete nor update
    # (which the trigger refuses) the record of what they did; `username` keeps the name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象标识", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    detail = models.TextField("详情", blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]
        indexes = [models.Index(fields=["action", "day"], name="common_audit_action_day")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("审计日志只能追加，不能修改。")
        if self.day is None:
            self.day = timezone.localtime(self.occurred_at).date()
        super().save(*args, **kwargs)


class AuditDigest(models.Model):
    """审计日摘要: SHA-256 of the previous day's digest followed by the day's rows."""

    day = models.DateField("日期", unique=True)
    previous_digest = models.CharField("前一日摘要", max_length=64)
    digest = models.CharField("当日摘要", max_length=64)
    rows = models.PositiveIntegerField("记录数")
    sealed_at = models.DateTimeField("封存时间", default=timezone.now)

    class Meta:
        verbose_name = "审计日摘要"
        verbose_name_plural = "审计日摘要"
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} {self.digest[:12]}…"
