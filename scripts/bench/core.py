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
from decimal import Decimal
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
DRAW_INSPECTORS = 200
DRAW_RATIO = Decimal("0.10")  # ≈100k of the 1M register
DRAW_YEAR = 2099  # far from any real year; each run takes the next round of it


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


@bench("draw", f"双随机 draw over the register: ratio {DRAW_RATIO} (create, execute, verify)")
def bench_draw(args: argparse.Namespace, figures: dict) -> None:
    # In a child process, like the export, so that VmHWM is the draw's peak (plus Python and
    # Django), not this process's. The child rolls the draw back: an executed draw can never
    # be deleted (DESIGN.md §4.2), and the shared bench database must not grow by ~400k rows
    # (inspections, their history, assignments) each run. The commit itself is not timed.
    _ensure_bench_inspectors(DRAW_INSPECTORS)
    child = subprocess.run(
        [sys.executable, __file__, "--child-draw"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if child.returncode != 0:
        line("failed", child.stderr.strip().splitlines()[-1] if child.stderr else "?")
        print(child.stderr, file=sys.stderr)
        return
    r = json.loads(child.stdout.strip().splitlines()[-1])
    line("population N / sample k", f"{r['n']:,} / {r['k']:,}  (roster {r['roster']:,})")
    line("create (commit step)", f"{r['create']:,.2f} s")
    line(
        "execute (reveal + write)",
        f"{r['execute']:,.2f} s  ({r['inspections']:,} inspections, "
        f"{r['assignments']:,} assignments)",
    )
    line("  of which selection + assignment", f"{r['algorithm']:,.2f} s (draw.execute, pure)")
    line("create + execute", f"{r['create'] + r['execute']:,.2f} s  (goal ≤ 8 s)")
    line("verify (inspection_draw_verify)", f"{r['verify']:,.2f} s  ({r['problems']} problems)")
    line(
        f"peak memory (child {r['method']})",
        f"after create {mb(r['peak_create_kb'])}, after execute {mb(r['peak_execute_kb'])}, "
        f"after verify {mb(r['peak_verify_kb'])} (Python + Django before: {mb(r['baseline_kb'])})",
    )
    figures.update(
        draw_population=r["n"],
        draw_sample=r["k"],
        draw_create_seconds=round(r["create"], 2),
        draw_execute_seconds=round(r["execute"], 2),
        draw_total_seconds=round(r["create"] + r["execute"], 2),
        draw_verify_seconds=round(r["verify"], 2),
        draw_peak_rss_mb=round(r["peak_verify_kb"] / 1024),
        draw_execute_peak_rss_mb=round(r["peak_execute_kb"] / 1024),
    )


def _ensure_bench_inspectors(n: int) -> None:
    from simple_history.utils import bulk_create_with_history

    from oversight.inspections.models import Inspector

    active = Inspector.objects.filter(is_active=True).count()
    if active >= n:
        return
    taken = set(Inspector.objects.values_list("code", flat=True))
    codes = [c for c in (f"BENCH-I{i:04d}" for i in range(1, 10 * n)) if c not in taken]
    bulk_create_with_history(
        [
            Inspector(code=code, name=f"检查员{code[-4:]}", unit="福田区民政局", field="行政执法")
            for code in codes[: n - active]
        ],
        Inspector,
        batch_size=500,
        default_change_reason="bench",
    )
    line("inspectors", f"created {n - active} (roster now {n})")


def _child_draw() -> None:
    import datetime

    from django.db import transaction
    from django.db.models import Max

    from oversight.inspections import draw as draw_algorithm
    from oversight.inspections.choices import DrawKind
    from oversight.inspections.draw_services import (
        inspection_draw_create,
        inspection_draw_execute,
        inspection_draw_verify,
    )
    from oversight.inspections.models import InspectionAssignment, InspectionDraw

    kind, year = DrawKind.SPECIAL_INSPECTION, DRAW_YEAR
    last = InspectionDraw.objects.filter(kind=kind, year=year).aggregate(r=Max("round"))["r"]
    baseline, _ = _memory_kb()
    timings: dict[str, float] = {}
    algorithm_seconds = 0.0
    original_execute = draw_algorithm.execute

    def timed_execute(**kwargs):
        nonlocal algorithm_seconds
        began = time.perf_counter()
        result = original_execute(**kwargs)
        algorithm_seconds += time.perf_counter() - began
        return result

    with transaction.atomic():
        began = time.perf_counter()
        draw, _ = inspection_draw_create(
            kind=kind,
            year=year,
            round=(last or 0) + 1,  # a fresh round: never the draw of an earlier run
            ratio=DRAW_RATIO,
            as_of=datetime.date.today(),
        )
        timings["create"] = time.perf_counter() - began
        _, peak_create = _memory_kb()
        draw_algorithm.execute = timed_execute
        began = time.perf_counter()
        draw, _ = inspection_draw_execute(draw_id=draw.pk)
        timings["execute"] = time.perf_counter() - began
        draw_algorithm.execute = original_execute
        _, peak_execute = _memory_kb()
        inspections = draw.inspections.count()
        assignments = InspectionAssignment.objects.filter(inspection__draw=draw).count()
        began = time.perf_counter()
        problems = inspection_draw_verify(draw=draw)
        timings["verify"] = time.perf_counter() - began
        _, peak_verify = _memory_kb()
        transaction.set_rollback(True)
    print(
        json.dumps(
            {
                **timings,
                "algorithm": algorithm_seconds,
                "n": draw.population_size,
                "k": draw.sample_size,
                "roster": len(draw.roster_text.split("\n")),
                "inspections": inspections,
                "assignments": assignments,
                "problems": len(problems),
                "baseline_kb": baseline,
                "peak_create_kb": peak_create,
                "peak_execute_kb": peak_execute,
                "peak_verify_kb": peak_verify,
                "method": "VmHWM" if Path("/proc/self/status").exists() else "ru_maxrss",
            }
        )
    )


ZOMBIE_REPORT_YEARS = range(2015, 2025)  # ten report years, all due on ZOMBIE_AS_OF
ZOMBIE_AS_OF = "2025-07-01"


@bench("zombies", "zombie detection (R-ZMB-01) over 1M organizations × 10 years of reports")
def bench_zombies(args: argparse.Namespace, figures: dict) -> None:
    import datetime

    from django.db import connection, transaction

    from oversight.zombies.detection import zombie_detect

    _ensure_bench_annual_reports(ZOMBIE_REPORT_YEARS)
    as_of = datetime.date.fromisoformat(ZOMBIE_AS_OF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM oversight_annualreport")
        line("annual reports", f"{cursor.fetchone()[0]:,}")
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        dry = zombie_detect(as_of=as_of, dry_run=True)
        timings.append(time.perf_counter() - began)
    line("dry run (count only), best of 3", f"{min(timings):,.2f} s  (goal ≤ 2 s)")
    line("candidates", f"{dry.candidates:,}  {dry.by_criterion}")
    # The real run writes the flags; rolled back so that every bench run starts from the
    # same database (a second run on the same date would write nothing and look faster).
    with transaction.atomic():
        began = time.perf_counter()
        real = zombie_detect(as_of=as_of)
        real_seconds = time.perf_counter() - began
        began = time.perf_counter()
        again = zombie_detect(as_of=as_of)
        again_seconds = time.perf_counter() - began
        transaction.set_rollback(True)
    line("real run (writes the flags)", f"{real_seconds:,.2f} s  ({real.created:,} flags)")
    line("second run, same date", f"{again_seconds:,.2f} s  ({again.created:,} new flags)")
    figures.update(
        zombie_candidates=dry.candidates,
        zombie_dry_run_seconds=round(min(timings), 2),
        zombie_real_run_seconds=round(real_seconds, 2),
        zombie_second_run_seconds=round(again_seconds, 2),
    )


def _ensure_bench_annual_reports(years: range) -> None:
    """Ten years of annual reports for the register, one INSERT … SELECT per missing year,
    with a deterministic hash pattern: ~4% not filed, ~3% late, ~1% unsealed, ~3% with no
    activity. Bench data only: no history rows. Skips the years already present."""
    import datetime

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT year FROM oversight_annualreport")
        present = {row[0] for row in cursor.fetchall()}
        missing = [y for y in years if y not in present]
        for year in missing:
            began = time.perf_counter()
            cursor.execute(
                """
                INSERT INTO oversight_annualreport (
                    organization_id, year, submitted_on, is_sealed, income, expenditure,
                    net_assets, staff_count, full_time_staff, activities_held, party_members,
                    probationary_party_members, status, supervisor_opinion, supervisor_remarks,
                    result, remarks)
                SELECT o.id, %(year)s,
                       CASE WHEN h.v %% 100 < 3 THEN %(late)s ELSE %(on_time)s END,
                       (h.v / 100) %% 100 <> 0,
                       (h.v %% 997) * 1000, (h.v %% 991) * 900, (h.v %% 983) * 5000,
                       h.v %% 30, h.v %% 7,
                       CASE WHEN (h.v / 10000) %% 100 < 3 THEN 0 ELSE 1 + h.v %% 20 END,
                       h.v %% 5, 0, 'awaiting_review', '', '', '', ''
                FROM registry_organization o
                CROSS JOIN LATERAL (SELECT abs(hashtext(o.uscc || %(year_text)s)) AS v) h
                WHERE o.established_on <= %(dec31)s
                  AND (o.deregistered_on IS NULL OR o.deregistered_on > %(deadline)s)
                  AND (o.revoked_on IS NULL OR o.revoked_on > %(deadline)s)
                  AND (h.v / 1000000) %% 100 >= 4
                """,
                {
                    "year": year,
                    "year_text": str(year),
                    "dec31": datetime.date(year, 12, 31),
                    "deadline": datetime.date(year + 1, 5, 31),
                    "on_time": datetime.date(year + 1, 4, 15),
                    "late": datetime.date(year + 1, 6, 20),
                },
            )
            line(
                f"annual reports {year}",
                f"{cursor.rowcount:,} rows in {time.perf_counter() - began:,.1f} s",
            )
        if missing:
            cursor.execute("ANALYZE oversight_annualreport")


CREDIT_AS_OF = "2025-07-01"
CREDIT_BENCH_PENALTIES = 3_000
CREDIT_BENCH_LETTER_ORGS = 1_000
CREDIT_BENCH_LISTINGS = 5_000


@bench("credit", "daily credit rules (DOMAIN.md §3) over 1M organizations × 10 years of reports")
def bench_credit(args: argparse.Namespace, figures: dict) -> None:
    import datetime

    from django.db import connection, transaction

    from oversight.credit.runs import credit_rules_run

    _ensure_bench_annual_reports(ZOMBIE_REPORT_YEARS)
    _ensure_bench_credit_records(ZOMBIE_REPORT_YEARS)
    as_of = datetime.date.fromisoformat(CREDIT_AS_OF)
    with connection.cursor() as cursor:
        for table in ("annualreport", "penalty", "specialletter", "creditlisting"):
            cursor.execute(f"SELECT COUNT(*) FROM oversight_{table}")
            line(f"{table} rows", f"{cursor.fetchone()[0]:,}")
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        dry = credit_rules_run(as_of=as_of, dry_run=True)
        timings.append(time.perf_counter() - began)
    line("dry run, best of 3", f"{min(timings):,.2f} s  (goal ≤ 5 s)")
    line("candidates", f"{len(dry.candidates):,}")
    for rule, (total, _new) in dry.counts_by_rule().items():
        line(f"  {rule}", f"{total:,}")
    # The real run writes the proposals; rolled back so that every bench run starts from the
    # same database (a second run on the same date writes nothing and is the daily steady state).
    with transaction.atomic():
        began = time.perf_counter()
        real = credit_rules_run(as_of=as_of)
        real_seconds = time.perf_counter() - began
        began = time.perf_counter()
        again = credit_rules_run(as_of=as_of)
        again_seconds = time.perf_counter() - began
        transaction.set_rollback(True)
    line("real run (writes the proposals)", f"{real_seconds:,.2f} s  ({len(real.new):,} new)")
    line("second run, same date", f"{again_seconds:,.2f} s  ({len(again.new):,} new)")
    figures.update(
        credit_candidates=len(dry.candidates),
        credit_dry_run_seconds=round(min(timings), 2),
        credit_real_run_seconds=round(real_seconds, 2),
        credit_second_run_seconds=round(again_seconds, 2),
    )


def _ensure_bench_credit_records(years: range) -> None:
    """Report cycles for `years`, and a deterministic sprinkle of penalties, special letters and
    abnormal listings over the register (bench data: bare INSERT … SELECT, no history rows),
    only when missing."""
    from django.db import connection

    from oversight.annual_reports.models import AnnualReportCycle

    for year in years:
        AnnualReportCycle.objects.get_or_create(
            year=year, defaults=AnnualReportCycle.defaults_for(year)
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM oversight_penalty WHERE decision_no LIKE 'BENCH-%%'")
        if cursor.fetchone()[0]:
            return
        began = time.perf_counter()
        # Penalties: every 333rd organization, a warning, small fine, large fine or suspension
        # in the three years before the bench date; some organizations get two.
        cursor.execute(
            """
            INSERT INTO oversight_penalty (organization_id, kind, amount, decided_on,
                                           decision_no, facts, legal_basis)
            SELECT o.id,
                   (ARRAY['warning','fine','fine','suspension'])[1 + o.id %% 4],
                   CASE o.id %% 4 WHEN 1 THEN 2000 WHEN 2 THEN 80000 ELSE 0 END,
                   DATE '2025-06-30' - (o.id %% 1000)::int,
                   'BENCH-P-' || o.id || '-' || g.n, '基准测试', ''
            FROM registry_organization o
            CROSS JOIN generate_series(1, 2) g(n)
            WHERE o.id %% 333 = 0 AND (g.n = 1 OR o.id %% 2 = 0)
            LIMIT %(n)s
            """,
            {"n": CREDIT_BENCH_PENALTIES},
        )
        # Letters: two unsigned ones 30 days apart for every 997th organization.
        cursor.execute(
            """
            INSERT INTO oversight_specialletter (organization_id, sent_on, tracking_no,
                                                 signed_for, returned_on)
            SELECT o.id, DATE '2025-03-01' + g.n * 30, 'BENCH-L-' || o.id || '-' || g.n,
                   false, DATE '2025-03-08' + g.n * 30
            FROM (SELECT id FROM registry_organization WHERE id %% 997 = 0 LIMIT %(n)s) o
            CROSS JOIN generate_series(0, 1) g(n)
            """,
            {"n": CREDIT_BENCH_LETTER_ORGS},
        )
        # Abnormal listings for missed reports decided over the past three years: some due
        # for escalation, some removable because the report was filed late.
        cursor.execute(
            """
            INSERT INTO oversight_creditlisting (organization_id, organization_name, list_type,
                action, ground, facts, evidence, decided_on, effective_on, authority,
                decision_no, review_due_on, created_at)
            SELECT o.id, o.name, 'abnormal', 'list', 'R-CRD-02(1)', '基准测试',
                   jsonb_build_object('report_year', 2021),
                   DATE '2022-06-15' + (o.id %% 900)::int, DATE '2022-06-15' + (o.id %% 900)::int,
                   '深圳市福田区民政局', 'BENCH-C-' || o.id,
                   DATE '2024-06-15' + (o.id %% 900)::int, now()
            FROM (SELECT id, name FROM registry_organization WHERE id %% 199 = 0 LIMIT %(n)s) o
            """,
            {"n": CREDIT_BENCH_LISTINGS},
        )
        cursor.execute("ANALYZE oversight_penalty")
        cursor.execute("ANALYZE oversight_specialletter")
        cursor.execute("ANALYZE oversight_creditlisting")
        line("credit records", f"generated in {time.perf_counter() - began:,.1f} s")


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
    parser.add_argument("--child-draw", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.list:
        for b in BENCHES:
            print(f"{b.name:10} {b.title}")
        return 0
    if args.child_export:
        _setup_django(BENCH_DATABASE_URL)
        _child_export(int(args.child_export[0]), args.child_export[1])
        return 0
    if args.child_draw:
        _setup_django(BENCH_DATABASE_URL)
        _child_draw()
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
