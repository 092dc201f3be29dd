"""Bench section `bulk` (issue 15): the whole register taken in bulk — the API's streamed
export (`GET /api/v1/organizations/export/?format=csv`, staff scope) and the daily public
register extract — each in a child process so that its peak RSS is its own, beside the floor
of the same rows fetched by a raw server-side cursor and written by the bare csv module."""

from __future__ import annotations

import argparse
import csv
import json
import os
import time
from pathlib import Path

from .core import BENCH_DATABASE_URL, _memory_kb, _setup_django, bench, compare, line, mb, run_child

ROOT = Path(__file__).resolve().parents[2]
EXPORT_SQL = """
    SELECT o.uscc, o.name, o.org_type, o.is_industry_association, c.code, u.code,
           o.legal_representative, o.domicile, o.phone, o.registered_capital,
           o.registration_certificate_no, o.established_on, o.status, o.deregistered_on,
           o.revoked_on
    FROM registry_organization o
    LEFT JOIN registry_industrycategory c ON c.id = o.industry_category_id
    LEFT JOIN registry_supervisingunit u ON u.id = o.supervising_unit_id
    ORDER BY o.id
"""


@bench("bulk", "whole-register export (API stream) and public extract: time, peak RSS")
def bench_bulk(args: argparse.Namespace, figures: dict) -> None:
    result = run_child("-m", "scripts.bench.bulk")
    if result is None:
        return
    line("rows streamed (staff, csv)", f"{result['rows']:,}  ({result['bytes'] / 2**20:,.0f} MB)")
    line(
        "peak memory (child VmHWM)",
        f"{mb(result['peak_kb'])}  (before {mb(result['baseline_kb'])}; the export adds "
        f"{mb(result['peak_kb'] - result['baseline_kb'])})",
    )
    compare(figures, "api_export_vs_floor", "API export vs floor (SQL + csv)",
            result["seconds"], result["floor_seconds"])  # fmt: skip
    line("public extract rows", f"{result['extract_rows']:,}")
    line("peak memory after both (VmHWM)", mb(result["extract_peak_kb"]))
    compare(figures, "extract_vs_floor", "public extract vs floor (SQL + csv)",
            result["extract_seconds"], result["floor_seconds"])  # fmt: skip
    figures.update(
        api_export_rows=result["rows"],
        api_export_peak_rss_mb=round(result["peak_kb"] / 1024),
        api_export_rss_increase_mb=round((result["peak_kb"] - result["baseline_kb"]) / 1024),
        extract_peak_rss_mb=round(result["extract_peak_kb"] / 1024),
    )


def _floor() -> float:
    from django.db import connection, transaction

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as outer, open(os.devnull, "w") as sink:
        cursor = outer.connection.cursor(name="bulk_floor")
        cursor.itersize = 2000
        cursor.execute(EXPORT_SQL)
        csv.writer(sink).writerows(cursor)
    return time.perf_counter() - began


def _api_export() -> tuple[int, int, float]:
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    user, _ = get_user_model().objects.get_or_create(
        username="bench-bulk", defaults={"is_staff": True, "is_superuser": True}
    )
    client = APIClient(SERVER_NAME="localhost")
    client.force_authenticate(user)
    began = time.perf_counter()
    response = client.get("/api/v1/organizations/export/", {"format": "csv"})
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return lines - 1, size, time.perf_counter() - began


def _child() -> None:
    _setup_django(BENCH_DATABASE_URL)
    import datetime

    from django.core.files.storage import default_storage

    from reports.models import RegisterExtract
    from reports.register_extract import register_extract_publish

    baseline, _ = _memory_kb()
    rows, size, seconds = _api_export()
    _, peak = _memory_kb()
    # A day nobody publishes for real, replaced on every run.
    day = datetime.date(2099, 1, 1)
    RegisterExtract.objects.filter(published_on=day).delete()
    began = time.perf_counter()
    extract = register_extract_publish(on=day)
    extract_seconds = time.perf_counter() - began
    _, extract_peak = _memory_kb()
    default_storage.delete(extract.file)
    extract.delete()
    floor = _floor()
    result = {
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "baseline_kb": baseline,
        "peak_kb": peak,
        "extract_rows": extract.row_count,
        "extract_seconds": extract_seconds,
        "extract_peak_kb": extract_peak,
        "floor_seconds": floor,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    _child()
