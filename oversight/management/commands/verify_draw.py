"""Recompute an executed draw from the database and say whether the stored result matches."""

from django.core.management.base import BaseCommand, CommandError

from oversight.inspections.draw_publication import inspection_draw_verify
from oversight.inspections.models import InspectionDraw
from oversight.management import arguments


class Command(BaseCommand):
    help = "从数据库中冻结的名录、人员、回避关系、随机数和公开随机值重新计算抽查，核对结果。"

    def add_arguments(self, parser):
        parser.add_argument("draw_id", type=arguments.positive_int, help="抽查编号")

    def handle(self, *args, draw_id: int, **options):
        draw = InspectionDraw.objects.filter(pk=draw_id).first()
        if draw is None:
            raise CommandError(f"抽查 {draw_id} 不存在。")
        problems = inspection_draw_verify(draw=draw)
        if problems:
            for problem in problems:
                self.stdout.write(problem)
            raise CommandError(f"核验不通过：{len(problems)} 处不符。", returncode=1)
        self.stdout.write("OK")
