"""`manage.py seed_demo`: the Futian demo data set, or a large synthetic register (--orgs N)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from registry.demo import DEMO, SYNTHETIC, SeedContext, seed_steps


class Command(BaseCommand):
    help = (
        "Load deterministic demo data. Without options: the Futian demo register (765 "
        "organizations on 2022-06-30; 811 on 2021-06-01, 766 on 2022-06-01), plus the demo "
        "data of every app that registers a seed step in its demo.py. Safe to run again: what "
        "exists (matched by USCC) is left alone and only what is missing is created. "
        "--orgs N appends a synthetic register to whatever is there instead: synthetic "
        "organizations 0…N-1 (USCC body MJY + counter), skipping those that already exist, "
        "so repeating the same N does nothing and a larger N adds the difference. PostgreSQL "
        "uses COPY (1,000,000 in a few minutes); other databases bulk inserts."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--orgs",
            type=int,
            metavar="N",
            help="build a synthetic register of N organizations instead of the demo set",
        )
        parser.add_argument(
            "--step",
            action="append",
            dest="steps",
            metavar="NAME",
            help="run only this step (repeatable); see --list-steps",
        )
        parser.add_argument(
            "--list-steps", action="store_true", help="list the seed steps and exit"
        )

    def handle(self, *args, orgs=None, steps=None, list_steps=False, **options) -> None:
        self.verbosity = options.get("verbosity", 1)
        # Each app contributes its steps from its own demo.py (registry.demo included).
        autodiscover_modules("demo")
        if orgs is not None and orgs < 1:
            raise CommandError("--orgs 必须是正整数。")
        ctx = SeedContext(orgs=orgs, log=self._progress)
        selected = seed_steps(mode=ctx.mode)
        if list_steps:
            for mode in (DEMO, SYNTHETIC):
                for step in seed_steps(mode=mode):
                    self.stdout.write(f"{mode:10} {step.order:5}  {step.name}")
            return
        if steps:
            unknown = sorted(set(steps) - {s.name for s in selected})
            if unknown:
                raise CommandError(f"没有这些步骤：{', '.join(unknown)}（见 --list-steps）")
            selected = [s for s in selected if s.name in steps]

        what = f"合成登记簿（{orgs:,} 个组织）" if orgs else "演示数据"
        self._say(f"seed_demo：{what}，{len(selected)} 个步骤")
        began = time.monotonic()
        for step in selected:
            step_began = time.monotonic()
            # One transaction per step: a failed step leaves the earlier ones in place and
            # a re-run picks up where it stopped.
            with transaction.atomic():
                message = step.func(ctx)
            if self.verbosity == 1 and self.stdout.isatty():
                self.stdout.write("\r\033[K", ending="")
            self._say(f"[{step.name}] {message}（{time.monotonic() - step_began:.1f} 秒）")
        self._say(self.style.SUCCESS(f"完成，共用时 {time.monotonic() - began:.1f} 秒。"))

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def _progress(self, message: str) -> None:
        # Progress of long steps (--orgs): one line each with -v 2; on a terminal, one line
        # rewritten in place; otherwise (make run, logs) nothing.
        if self.verbosity >= 2:
            self.stdout.write(message)
        elif self.verbosity == 1 and self.stdout.isatty():
            self.stdout.write(f"\r{message}\033[K", ending="")
            self.stdout.flush()
