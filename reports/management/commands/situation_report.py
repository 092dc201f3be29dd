"""manage.py situation_report --as-of 2022-06-30 --out report.xlsx: the situation report as a
workbook, the same figures as the dashboard's download."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.exports import situation_report_xlsx
from reports.selectors import situation_overview


def _date(value: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{name} 日期“{value}”无效，应为 YYYY-MM-DD 格式，如 2022-06-30。"
        ) from None


class Command(BaseCommand):
    help = "生成社会组织工作情况统计报告（Excel）：首页为主要数据，其后每个领域一张工作表。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="统计日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--since", help="“以来列入信用名录”的起始日期，默认统计日上一年1月1日")
        parser.add_argument("--out", required=True, help="输出的 .xlsx 文件路径")

    def handle(self, *args, **options):
        as_of = _date(options["as_of"], "--as-of") if options["as_of"] else timezone.localdate()
        since = _date(options["since"], "--since") if options["since"] else None
        if since and since > as_of:
            raise CommandError("--since 起始日期不得晚于 --as-of 统计日期。")
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(f"--out 应为 .xlsx 文件：{out}")
        if not out.parent.is_dir():
            raise CommandError(f"--out 所在目录不存在：{out.parent}")
        figures = situation_overview(as_of=as_of, since=since)
        with out.open("wb") as fh:
            situation_report_xlsx(figures=figures, as_of=as_of, scope_label="全区", fileobj=fh)
        self.stdout.write(f"已生成 {out}：统计日 {as_of:%Y-%m-%d}，{len(figures)} 项指标。")
