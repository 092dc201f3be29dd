"""Create (and unless --create-only, execute) a 双随机 inspection draw."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oversight.inspections.choices import DrawKind, DrawStratification
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.management import arguments
from oversight.management.commands._draw_output import print_draw

STRATIFY = {
    "type": DrawStratification.TYPE,
    "industry": DrawStratification.INDUSTRY,
    "supervising_unit": DrawStratification.SUPERVISING_UNIT,
}


class Command(BaseCommand):
    help = "创建双随机抽查（承诺），并在未指定 --create-only 时立即执行（揭示）。"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=DrawKind.values)
        parser.add_argument("--year", type=arguments.year, required=True, help="抽查年度（D16）")
        parser.add_argument(
            "--report-year", type=arguments.year, default=None, help="所查报告年度（D16）"
        )
        parser.add_argument("--round", type=arguments.positive_int, default=1)
        parser.add_argument("--ratio", type=arguments.ratio, default=Decimal("0.10"))
        parser.add_argument("--stratify", choices=sorted(STRATIFY), default=None)
        parser.add_argument("--public-value-source", default="")
        parser.add_argument(
            "--public-value-known-at",
            type=arguments.iso_datetime,
            default=None,
            help="声明的公开随机值公布时间，如 2022-06-05T21:30（D17）",
        )
        parser.add_argument("--public-value", default="")
        parser.add_argument(
            "--as-of",
            type=arguments.iso_date,
            default=None,
            help="名录截止日 YYYY-MM-DD（默认今天）",
        )
        parser.add_argument("--create-only", action="store_true")

    def handle(self, *args, **o):
        try:
            draw, created = inspection_draw_create(
                kind=o["kind"],
                year=o["year"],
                round=o["round"],
                ratio=o["ratio"],
                stratify_by=STRATIFY.get(o["stratify"], ""),
                public_value_source=o["public_value_source"],
                public_value_known_at=o["public_value_known_at"],
                report_year=o["report_year"],
                as_of=o["as_of"],
            )
            if not created:
                self.stderr.write("该类型、年度、批次的抽查已存在，沿用原抽查。")
            if not o["create_only"]:
                draw, _ = inspection_draw_execute(draw_id=draw.pk, public_value=o["public_value"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        print_draw(self.stdout, draw)
