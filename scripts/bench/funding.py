"""Bench section of funding: the purchase-of-services catalog eligibility over the register."""

from __future__ import annotations

import argparse
import datetime
import time

from .core import bench, line

CATALOG_APPLICATION_DATE = datetime.date(2025, 6, 30)
CATALOG_PUBLICATION_DATE = datetime.date(2025, 7, 28)


def _bare_sql_floor(on: datetime.date) -> tuple[float, int]:
    """The least any implementation must do: read every registered row's id and dates."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, established_on, deregistration_started_on FROM registry_organization "
            "WHERE established_on <= %s AND (deregistered_on IS NULL OR deregistered_on > %s) "
            "AND (revoked_on IS NULL OR revoked_on > %s)",
            [on, on, on],
        )
        n = len(cursor.fetchall())
    return time.perf_counter() - started, n


@bench("catalog", "购买服务目录资格")
def bench_catalog(args: argparse.Namespace, figures: dict) -> None:
    from common.eligibility import CATALOG, _providers
    from funding.catalog.selectors import catalog_eligibility

    providers = [r.func.__qualname__ for r in _providers if CATALOG in r.purposes]
    floor, n = _bare_sql_floor(CATALOG_PUBLICATION_DATE)
    started = time.perf_counter()
    result = catalog_eligibility(
        application_date=CATALOG_APPLICATION_DATE,
        publication_date=CATALOG_PUBLICATION_DATE,
        min_age_years=1,
    )
    seconds = time.perf_counter() - started
    line(
        "organizations judged",
        f"{len(result.eligible) + len(result.ineligible):,} (register {n:,})",
    )
    line("eligible / ineligible", f"{len(result.eligible):,} / {len(result.ineligible):,}")
    line("obstacle providers", ", ".join(providers) or "none registered")
    line("catalog_eligibility", f"{seconds:,.2f} s  (goal ≤ 3 s)")
    line("bare-SQL floor (read the rows)", f"{floor:,.2f} s")
    figures.update(
        catalog_organizations=n,
        catalog_eligible=len(result.eligible),
        catalog_seconds=round(seconds, 2),
        catalog_floor_seconds=round(floor, 2),
    )
