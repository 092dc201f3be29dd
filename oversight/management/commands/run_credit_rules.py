"""python manage.py run_credit_rules [--as-of DATE] [--dry-run]: the daily credit rules job."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.credit.choices import CreditList, DecisionAction
from oversight.credit.runs import credit_rules_run
from oversight.management import arguments
from registry.models import Organization


class Command(BaseCommand):
    help = "计算信用名录待决事项（列入、转列、移出，DOMAIN.md §3）；--dry-run 只显示不写入。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=arguments.iso_date, help="计算日期 YYYY-MM-DD（默认今日）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只显示规则建议，不写入")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        day = as_of or timezone.localdate()
        result = credit_rules_run(as_of=day, dry_run=dry_run)
        if dry_run:
            names = dict(
                Organization.objects.filter(
                    pk__in={c.organization_id for c in result.candidates}
                ).values_list("pk", "uscc")
            )
            actions, lists = dict(DecisionAction.choices), dict(CreditList.choices)
            for c in result.candidates:
                mark = "新" if c.rule_key in result.new_keys else "已有"
                self.stdout.write(
                    f"[{mark}] {names.get(c.organization_id, c.organization_id)} "
                    f"{actions[c.action]}{lists[c.list_type]} {c.ground}：{c.explanation}"
                )
        verb = "将新增" if dry_run else "新增"
        self.stdout.write(f"{day} 规则计算{'（试运行，未写入）' if dry_run else ''}：")
        for rule, (total, new) in result.counts_by_rule().items():
            self.stdout.write(f"  {rule}: 符合 {total}，{verb} {new}")
        self.stdout.write(
            f"合计：符合 {len(result.candidates)}，{verb} {len(result.new)}，"
            f"恢复 {result.revived}，失效 {result.obsoleted}"
        )
