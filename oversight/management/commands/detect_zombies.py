"""僵尸型社会组织检测 (R-ZMB-01/03): flag the candidates of a date, as the monthly job does."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.management import arguments
from oversight.zombies.detection import zombie_detect


class Command(BaseCommand):
    help = (
        "按 R-ZMB-01 第(1)至(4)项检测僵尸型社会组织候选，写入僵尸风险标记（同一日期重复运行"
        "结果相同）。--dry-run 只统计不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=arguments.iso_date,
            metavar="YYYY-MM-DD",
            help="检测日期，默认今天",
        )
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入标记")

    def handle(self, *args, as_of: datetime.date | None = None, dry_run: bool = False, **options):
        day = as_of or timezone.localdate()
        result = zombie_detect(as_of=day, dry_run=dry_run)
        self.stdout.write(result.summary())
