"""Execute (reveal) a created 双随机 inspection draw."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oversight.inspections.draw_services import inspection_draw_execute
from oversight.inspections.models import InspectionDraw
from oversight.management import arguments
from oversight.management.commands._draw_output import print_draw


class Command(BaseCommand):
    help = "执行（揭示）已创建的双随机抽查：录入公开随机值，计算种子、抽取对象并分派检查人员。"

    def add_arguments(self, parser):
        parser.add_argument("draw_id", type=arguments.positive_int, help="抽查编号")
        parser.add_argument("--public-value", default="")

    def handle(self, *args, draw_id: int, public_value: str, **options):
        if not InspectionDraw.objects.filter(pk=draw_id).exists():
            raise CommandError(f"抽查 {draw_id} 不存在。")
        try:
            draw, executed = inspection_draw_execute(draw_id=draw_id, public_value=public_value)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        if not executed:
            self.stderr.write("该抽查此前已执行，结果不变。")
        print_draw(self.stdout, draw)
