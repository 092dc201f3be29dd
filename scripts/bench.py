"""Benchmark of the scale targets (DESIGN.md: one million organizations on one PostgreSQL).

Not a test: it prints figures. `make bench` runs it with config.settings.test against its own
database, BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/socialorg_bench),
created and migrated when missing and kept between runs, so the 1M register is built once.

    scripts/bench.py                  every section, in order
    scripts/bench.py --only export    one section (repeatable); --list shows them
    scripts/bench.py --regenerate     drop the bench database and build it again
    scripts/bench.py --json out.json  also write the figures as JSON

Later issues add sections with the `@bench(...)` decorator; each reads the shared register.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/socialorg_bench"
)
REGISTER_SIZE = 1_000_000
EXPORT_ROWS = 100_000
IMPORT_ROWS = 10_000
ADMIN_REPEATS = 7


# ---------------------------------------------------------------------------------------------
# Sections


@dataclass(frozen=True)
class Bench:
    name: str
    title: str
    func: Callable[[argparse.Namespace, dict], None]


BENCHES: list[Bench] = []


def bench(name: str, title: str):
    def decorator(func: Callable[[argparse.Namespace, dict], None]):
        BENCHES.append(Bench(name, title, func))
        return func

    return decorator


def line(label: str, value: str) -> None:
    # Chinese characters take two columns on a terminal.
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)
    print(f"   {label}{' ' * max(1, 36 - width)}{value}", flush=True)


def mb(kilobytes: float) -> str:
    return f"{kilobytes / 1024:,.0f} MB"


@bench("generate", f"generate a register of {REGISTER_SIZE:,} organizations (seed_demo --orgs)")
def bench_generate(args: argparse.Namespace, figures: dict) -> None:
    from django.core.management import call_command

    from registry.models import Organization

    n = args.orgs
    present = Organization.objects.count()
    if present >= n and not args.regenerate:
        line("skipped", f"the bench database holds {present:,} organizations (--regenerate)")
        figures["organizations"] = present
        return
    began = time.perf_counter()
    call_command("seed_demo", orgs=n, verbosity=1)
    seconds = time.perf_counter() - began
    total = Organization.objects.count()
    line("time", f"{seconds:,.1f} s  ({n / seconds:,.0f} organizations/s, with history rows)")
    line("organizations now", f"{total:,}")
    figures.update(generate_seconds=round(seconds, 2), organizations=total)


@bench("export", f"export {EXPORT_ROWS:,} organizations to Excel")
def bench_export(args: argparse.Namespace, figures: dict) -> None:
    # In a child process, so that its peak RSS is the export's plus the interpreter and
    # Django (measured by the child before it exports), not this process's 1M-row history.
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.xlsx"
        child = subprocess.run(
            [sys.executable, __file__, "--child-export", str(args.export_rows), str(out)],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            check=False,
        )
        if child.returncode != 0:
            line("failed", child.stderr.strip().splitlines()[-1] if child.stderr else "?")
            print(child.stderr, file=sys.stderr)
            return
        result = json.loads(child.stdout.strip().splitlines()[-1])
    line("rows written", f"{result['rows']:,}")
    line("time", f"{result['seconds']:,.1f} s  ({result['rows'] / result['seconds']:,.0f} rows/s)")
    line(
        f"peak memory (child {result['method']})",
        f"{mb(result['peak_kb'])}  (RSS before the export {mb(result['baseline_kb'])}: "
        f"Python + Django; the export adds {mb(result['peak_kb'] - result['baseline_kb'])})",
    )
    line("file size", f"{result['bytes'] / 1024 / 1024:,.1f} MB")
    figures.update(
        export_rows=result["rows"],
        export_seconds=round(result["seconds"], 2),
        export_peak_rss_mb=round(result["peak_kb"] / 1024),
        export_rss_increase_mb=round((result["peak_kb"] - result["baseline_kb"]) / 1024),
    )


def _child_export(rows: int, path: str) -> None:
    from registry.exports import organizations_export_xlsx
    from registry.models import Organization

    # An unsliced queryset (the export may filter or iterate it as it likes).
    last_pk = Organization.objects.order_by("pk").values_list("pk", flat=True)[rows - 1]
    queryset = Organization.objects.filter(pk__lte=last_pk).order_by("pk")
    baseline, _ = _memory_kb()
    began = time.perf_counter()
    with open(path, "wb") as fileobj:
        written = organizations_export_xlsx(queryset=queryset, fileobj=fileobj)
    seconds = time.perf_counter() - began
    _, peak = _memory_kb()
    print(
        json.dumps(
            {
                "rows": written,
                "seconds": seconds,
                "baseline_kb": baseline,
                "peak_kb": peak,
                "method": "VmHWM" if Path("/proc/self/status").exists() else "ru_maxrss",
                "bytes": os.path.getsize(path),
            }
        )
    )


def _memory_kb() -> tuple[int, int]:
    """(current RSS, peak RSS) of this process in KiB.

    On Linux from /proc/self/status: getrusage's ru_maxrss survives fork+exec, so in a child
    it reports the parent's peak if that was higher (here: after generating 1M rows);
    VmHWM starts afresh with the new program. Elsewhere ru_maxrss for both."""
    status = Path("/proc/self/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak, peak


@bench("import", f"import {IMPORT_ROWS:,} rows from Excel (changed phone numbers)")
def bench_import(args: argparse.Namespace, figures: dict) -> None:
    import openpyxl
    from django.db import transaction

    from registry.choices import LifecycleStatus
    from registry.exports import PHONE, organizations_export_xlsx
    from registry.imports import organizations_import
    from registry.models import Organization

    n = args.import_rows
    # Active organizations from the middle of the register, away from the export's rows.
    active = Organization.objects.filter(status=LifecycleStatus.ACTIVE).order_by("pk")
    total = active.count()
    if total < n:
        line("skipped", f"only {total:,} active organizations")
        return
    offset = min(total // 2, total - n)
    first_pk = active.values_list("pk", flat=True)[offset]
    last_pk = active.filter(pk__gte=first_pk).values_list("pk", flat=True)[n - 1]
    exported = io.BytesIO()
    organizations_export_xlsx(
        queryset=active.filter(pk__gte=first_pk, pk__lte=last_pk), fileobj=exported
    )

    exported.seek(0)
    book = openpyxl.load_workbook(exported)
    sheet = book.active
    header_row, phone_col = _find_header(sheet, PHONE)
    cells = sheet.iter_rows(min_row=header_row + 1, min_col=phone_col, max_col=phone_col)
    for i, (cell,) in enumerate(cells):
        cell.value = f"0755-2{i:07d}"
    edited = io.BytesIO()
    book.save(edited)
    line("file", f"{n:,} rows, {edited.tell() / 1024 / 1024:,.1f} MB (联系电话 changed)")

    edited.seek(0)
    began = time.perf_counter()
    preview = organizations_import(fileobj=edited, commit=False)
    preview_seconds = time.perf_counter() - began
    line(
        "preview (commit=False)",
        f"{preview_seconds:,.1f} s  ({len(preview.errors)} errors)",
    )

    edited.seek(0)
    with transaction.atomic():
        began = time.perf_counter()
        result = organizations_import(fileobj=edited, commit=True)
        seconds = time.perf_counter() - began
        # The bench database stays as generated: the import is measured, then undone.
        transaction.set_rollback(True)
    line(
        "import (commit=True)",
        f"{seconds:,.1f} s  ({n / seconds:,.0f} rows/s; created {result.created:,}, "
        f"updated {result.updated:,}, errors {len(result.errors):,}; rolled back)",
    )
    for error in result.errors[:5]:
        line("  error", f"row {error.row} {error.column}: {error.message}")
    figures.update(
        import_rows=n,
        import_preview_seconds=round(preview_seconds, 2),
        import_seconds=round(seconds, 2),
        import_updated=result.updated,
        import_errors=len(result.errors),
    )


def _find_header(sheet, header: str) -> tuple[int, int]:
    for row in sheet.iter_rows(min_row=1, max_row=5):
        for cell in row:
            if str(cell.value or "").strip() == header:
                return cell.row, cell.column
    raise SystemExit(f"column {header} not found in the exported sheet")


@bench("admin", "admin changelist of organizations, 100 rows a page")
def bench_admin(args: argparse.Namespace, figures: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registry.models import Organization

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    some = Organization.objects.filter(status="active").order_by("pk").first()
    url = "/admin/registry/organization/"
    cases = [
        ("first page", ""),
        ("page 50 (offset 4,900)", "?p=49"),
        ("search name 春晖", "?q=春晖"),
        ("search USCC (exact)", f"?q={some.uscc}" if some else "?q=x"),
        ("filter 社会团体", "?org_type=social_group"),
        ("filter 注销办理中", "?status=deregistering"),
        ("search 协会 + filter 社会团体", "?q=协会&org_type=social_group"),
    ]
    for label, query in cases:
        timings, queries, status, size = [], 0, 0, 0
        for attempt in range(args.repeats + 1):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url + query)
                elapsed = time.perf_counter() - began
            status, size = response.status_code, len(response.content)
            queries = len(captured.captured_queries)
            if attempt:  # the first request warms caches and is not counted
                timings.append(elapsed * 1000)
        median = statistics.median(timings)
        line(
            label,
            f"HTTP {status}, {queries} queries, median {median:,.0f} ms "
            f"(min {min(timings):,.0f}, max {max(timings):,.0f}; {size / 1024:,.0f} KB)",
        )
        figures[f"admin {label}"] = {"queries": queries, "median_ms": round(median, 1)}


@bench("api", "REST API list page, in-process and under gunicorn (scripts/bench_api.py)")
def bench_api(args: argparse.Namespace, figures: dict) -> None:
    try:
        from bench_api import bench_api_gunicorn, bench_api_list
    except ImportError as exc:
        line("skipped", f"scripts/bench_api.py not available ({exc})")
        return
    results = {**bench_api_list(n_requests=200), **bench_api_gunicorn(concurrency=20)}
    for key, value in results.items():
        line(key, f"{value:,.1f}" if isinstance(value, float) else str(value))
    figures.update({f"api {k}": v for k, v in results.items()})


# ---------------------------------------------------------------------------------------------
# Database and entry point


def _ensure_database(url: str, *, recreate: bool) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if recreate:
            print(f"dropping database {name}", flush=True)
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"creating database {name}", flush=True)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def _setup_django(url: str) -> None:
    # whitenoise warns that STATIC_ROOT is missing (no collectstatic in a bench): noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    # config.settings.test reads TEST_DATABASE_URL: point it at the bench database.
    os.environ["TEST_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this section")
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the bench database")
    parser.add_argument("--orgs", type=int, default=REGISTER_SIZE, help=argparse.SUPPRESS)
    parser.add_argument("--export-rows", type=int, default=EXPORT_ROWS, help=argparse.SUPPRESS)
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=ADMIN_REPEATS, help=argparse.SUPPRESS)
    parser.add_argument("--json", metavar="PATH", help="also write the figures to PATH")
    parser.add_argument("--child-export", nargs=2, metavar=("ROWS", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.list:
        for b in BENCHES:
            print(f"{b.name:10} {b.title}")
        return 0
    if args.child_export:
        _setup_django(BENCH_DATABASE_URL)
        _child_export(int(args.child_export[0]), args.child_export[1])
        return 0

    names = [b.name for b in BENCHES]
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    _ensure_database(BENCH_DATABASE_URL, recreate=args.regenerate)
    _setup_django(BENCH_DATABASE_URL)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    print(
        f"bench database {connection.settings_dict['NAME']} on "
        f"{connection.settings_dict['HOST']} (PostgreSQL {connection.pg_version // 10000}), "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )

    figures: dict = {}
    failed = []
    for b in BENCHES:
        if args.only and b.name not in args.only:
            continue
        print(f"== {b.name}: {b.title}", flush=True)
        began = time.perf_counter()
        try:
            b.func(args, figures)
        except Exception:  # one broken section must not hide the figures of the others
            traceback.print_exc()
            failed.append(b.name)
        line("(section wall time)", f"{time.perf_counter() - began:,.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    if failed:
        print(f"failed sections: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
