"""Records of the reports app: the daily public register extract (issue 15)."""

from __future__ import annotations

from django.db import models


class RegisterExtract(models.Model):
    """公开登记信息数据包: one day's extract of the register's public fields, published as a
    CSV file with its SHA-256 (reports.register_extract). Written once per day, never changed."""

    published_on = models.DateField("发布日期", unique=True)
    file = models.CharField("文件", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    row_count = models.PositiveIntegerField("记录数")
    size = models.PositiveBigIntegerField("文件大小（字节）")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开登记信息数据包"
        verbose_name_plural = "公开登记信息数据包"
        ordering = ["-published_on"]

    def __str__(self) -> str:
        return f"登记信息数据包 {self.published_on:%Y-%m-%d}"

    @property
    def filename(self) -> str:
        return f"register-{self.published_on:%Y-%m-%d}.csv"
