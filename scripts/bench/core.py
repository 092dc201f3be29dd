"""Benchmark of the scale targets (DESIGN.md: one million organizations on one PostgreSQL).

Not a test: it prints figures. `make bench` runs it with config.settings.test against its own
database, BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/socialorg_bench),
created and migrated when missing and kept between runs, so the 1M register is built once.

    python -m scripts.bench                  every section, in order
    python -m scripts.bench --only export    one section (repeatable); --list shows them
    python -m scripts.bench --regenerate     drop the bench database and build it again
    python -m scripts.bench --json out.json  also write the figures as JSON

Each app has a module of sections in this package (registry.py, oversight.py, …) that
registers them with the `@bench(...)` decorator below and is imported by __main__.py; a new
section is a new function in its app's module, each reading the shared register.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
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


def compare(
    figures: dict, key: str, label: str, project: float, floor: float, *, goal: float | None = None
) -> float:
    """Print the project's figure beside the floor of the same work timed in the same run, and
    their ratio (the issue's goals are ratios, so a noisy machine still compares); record all
    three under `key` for --json. Seconds in, ratio out."""
    ratio = project / floor if floor > 0 else float("inf")
    verdict = "" if goal is None else f"  goal ≤ {goal:g}× {'✓' if ratio <= goal else '✗'}"
    line(label, f"project {_secs(project)}  floor {_secs(floor)}  ratio {ratio:,.2f}×{verdict}")
    figures[key] = {
        "project_s": round(project, 4),
        "floor_s": round(floor, 4),
        "ratio": round(ratio, 2),
        **({"goal_ratio": goal, "met": ratio <= goal} if goal is not None else {}),
    }
    return ratio


def _secs(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def mb(kilobytes: float) -> str:
    return f"{kilobytes / 1024:,.0f} MB"


def run_child(*args: str) -> dict | None:
    """Run `python <args>` from the project root (a section measured in a process of its own,
    so its peak RSS is its own); return the JSON of its last output line, or None after
    printing why it failed."""
    child = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=ROOT,
        check=False,
    )
    if child.returncode != 0:
        line("failed", child.stderr.strip().splitlines()[-1] if child.stderr else "?")
        print(child.stderr, file=sys.stderr)
        return None
    return json.loads(child.stdout.strip().splitlines()[-1])


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


ZOMBIE_REPORT_YEARS = range(2015, 2025)  # ten report years, all due on ZOMBIE_AS_OF
ZOMBIE_AS_OF = "2025-07-01"


CREDIT_AS_OF = "2025-07-01"
CREDIT_BENCH_PENALTIES = 3_000
CREDIT_BENCH_LETTER_ORGS = 1_000
CREDIT_BENCH_LISTINGS = 5_000


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
