"""Bench section of the REST API: a list page in-process and under gunicorn (api_load.py)."""

from __future__ import annotations

import argparse

from .core import BENCHES, _ensure_database, _memory_kb, _setup_django, bench, line, mb  # noqa: F401


@bench("api", "REST API list page, in-process and under gunicorn (scripts/bench/api_load.py)")
def bench_api(args: argparse.Namespace, figures: dict) -> None:
    try:
        from .api_load import bench_api_gunicorn, bench_api_list
    except ImportError as exc:
        line("skipped", f"scripts/bench/api_load.py not available ({exc})")
        return
    results = {**bench_api_list(n_requests=200), **bench_api_gunicorn(concurrency=20)}
    for key, value in results.items():
        line(key, f"{value:,.1f}" if isinstance(value, float) else str(value))
    figures.update({f"api {k}": v for k, v in results.items()})
