"""Bench section of reports: the whole situation overview and the workbench at bench scale."""

from __future__ import annotations

import argparse
import datetime
import time

from .core import bench, line

AS_OF = datetime.date(2022, 6, 30)


def _floor(on: datetime.date) -> float:
    """The least any implementation must do: bare SQL counts of the register by type on `on`
    and of the credit listings, zombie cases and grants behind the figures."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT org_type, is_industry_association, industry_category_id, count(*) "
            "FROM registry_organization WHERE established_on <= %s "
            "AND (deregistered_on IS NULL OR deregistered_on > %s) "
            "AND (revoked_on IS NULL OR revoked_on > %s) GROUP BY 1, 2, 3",
            [on, on, on],
        )
        cursor.fetchall()
        for table in ("oversight_creditlisting", "oversight_zombiecase", "funding_grantproject"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            cursor.fetchone()
    return time.perf_counter() - started


@bench("overview", "统计报告：全部指标与今日工作")
def bench_overview(args: argparse.Namespace, figures: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports.selectors import situation_overview
    from reports.workbench import reporting_deadlines, workbench_todos

    floor = _floor(AS_OF)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = situation_overview(as_of=AS_OF)
        overview = time.perf_counter() - started
    user = get_user_model().objects.filter(is_superuser=True).first()
    today = timezone.localdate()
    started = time.perf_counter()
    workbench_todos(user=user, today=today)
    reporting_deadlines(today=today)
    workbench = time.perf_counter() - started
    line("overview figures / queries", f"{len(result)} / {len(queries)}")
    line("situation_overview", f"{overview:,.2f} s  (goal ≤ 2 s)")
    line("bare-SQL floor (counts)", f"{floor:,.2f} s")
    line("workbench", f"{workbench * 1000:,.0f} ms  (goal ≤ 300 ms)")
    figures.update(
        overview_seconds=round(overview, 2),
        overview_floor_seconds=round(floor, 2),
        overview_queries=len(queries),
        workbench_ms=round(workbench * 1000),
    )
