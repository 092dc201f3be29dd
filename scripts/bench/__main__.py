"""`python -m scripts.bench` (what `make bench` runs): every section, or those named by --only."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

from .core import (
    ADMIN_REPEATS,
    BENCH_DATABASE_URL,
    BENCHES,
    EXPORT_ROWS,
    IMPORT_ROWS,
    REGISTER_SIZE,
    _ensure_database,
    _setup_django,
    line,
)

# One module of sections per app, imported in this order: sections run in the order they are
# registered, and the register (`registry`) comes first because every other section reads it.
SECTION_MODULES = (
    "registry",
    "api",
    "load",
    "bulk",
    "oversight",
    "partybuilding",
    "funding",
    "reports",
    "jobs",
)
for _name in SECTION_MODULES:
    importlib.import_module(f"{__package__}.{_name}")


def _parser() -> argparse.ArgumentParser:
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
    return parser


def _run_child(*, args: argparse.Namespace) -> bool:
    """The child processes a section starts (`runner`): True when `args` asked for one and
    it ran."""
    if args.child_export:
        _setup_django(BENCH_DATABASE_URL)
        from .registry import _child_export

        _child_export(int(args.child_export[0]), args.child_export[1])
        return True
    if args.child_draw:
        _setup_django(BENCH_DATABASE_URL)
        from .oversight import _child_draw

        _child_draw()
        return True
    return False


def _prepare_database() -> None:
    """Django on the bench database, migrated, and a line saying which one."""
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


def _run_sections(*, args: argparse.Namespace, figures: dict) -> list[str]:
    """Every section asked for, in order; returns the names of those that failed."""
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
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.list:
        for b in BENCHES:
            print(f"{b.name:10} {b.title}")
        return 0
    if _run_child(args=args):
        return 0
    names = [b.name for b in BENCHES]
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    _ensure_database(BENCH_DATABASE_URL, recreate=args.regenerate)
    _prepare_database()
    figures: dict = {}
    failed = _run_sections(args=args, figures=figures)
    print_summary(figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    if failed:
        print(f"failed sections: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def print_summary(figures: dict) -> None:
    """One table of every figure of the run (issue 14's scale run), flattened."""
    print("== summary", flush=True)
    for key, value in sorted(_flatten(figures)):
        line(key, value)


def _flatten(figures: dict, prefix: str = ""):
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and "ratio" in value:
            goal = f"  goal ≤ {value['goal_ratio']:g}×" if "goal_ratio" in value else ""
            yield (
                name,
                f"{value['project_s']} s / floor {value['floor_s']} s = {value['ratio']}×{goal}",
            )
        elif isinstance(value, dict):
            yield from _flatten(value, f"{name}.")
        else:
            yield name, str(value)


if __name__ == "__main__":
    sys.exit(main())
