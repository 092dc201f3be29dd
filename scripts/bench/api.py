"""Bench section of the REST API: a list page in-process and under gunicorn (api_load.py)."""

from __future__ import annotations

import argparse

from .core import BENCHES, _ensure_database, _memory_kb, _setup_django, bench, compare, line, mb  # noqa: F401


@bench("api", "REST API list page, in-process and under gunicorn (scripts/bench/api_load.py)")
def bench_api(args: argparse.Namespace, figures: dict) -> None:
    try:
        from .api_load import bench_api_gunicorn, bench_api_list
    except ImportError as exc:
        line("skipped", f"scripts/bench/api_load.py not available ({exc})")
        return
    results = {**bench_api_list(n_requests=200), **bench_api_gunicorn()}
    for key, value in results.items():
        line(key, f"{value:,.1f}" if isinstance(value, float) else str(value))
    figures.update({f"api {k}": v for k, v in results.items()})
    floor = results["api_list_floor_p50_ms"] / 1000
    for role in ("staff", "department"):
        compare(
            figures,
            f"api_list_{role}_p50_vs_floor",
            f"{role} page p50 vs floor view (in-process)",
            results[f"api_list_{role}_p50_ms"] / 1000,
            floor,
        )
        for clients in (1, 5, 20):
            prefix = f"api_gunicorn_{role}"
            # Seconds per request at this concurrency: 1 / req/s, so the ratio compares throughput.
            compare(
                figures,
                f"{prefix}_c{clients}_vs_floor",
                f"{role} gunicorn {clients:>2} clients, s/req",
                1 / results[f"{prefix}_project_c{clients}_rps"],
                1 / results[f"{prefix}_floor_c{clients}_rps"],
            )
