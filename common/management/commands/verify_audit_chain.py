"""Verify the audit trail's daily hash chain; exit 1 when any sealed day no longer matches."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from common.audit import audit_chain_verify, audit_days_seal


class Command(BaseCommand):
    help = "校验审计日志的日摘要链：任何一日的记录被修改、增删，或摘要缺失，即以状态 1 退出。"

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="校验前先封存尚未封存的已结束日期")

    def handle(self, *args, seal: bool, **options):
        if seal:
            audit_days_seal()
        report = audit_chain_verify()
        if report.ok:
            span = f"{report.first_day} 至 {report.last_day}" if report.days else "无已封存日期"
            self.stdout.write(
                self.style.SUCCESS(f"审计日志摘要链完整：{report.days} 日（{span}）。")
            )
            return
        for problem in report.broken:
            self.stderr.write(problem)
        self.stderr.write(f"审计日志摘要链校验失败：{len(report.broken)} 处不符。")
        sys.exit(1)
