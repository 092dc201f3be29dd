"""Bench section `load`: a bounded Locust run of a mixed workload (locustfile.py) against
gunicorn on 127.0.0.1 — departments listing, filtering and opening organizations and annual
reports through the API, staff opening admin changelists. Headless, loopback only, stopped by
its own run time (and killed if it overruns); it reports the error count, which must be 0,
and the percentiles per request kind."""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .core import bench, line

LOAD_USERS = 20
LOAD_SECONDS = 60
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _staff_session() -> tuple[object, str]:
    """A logged-in session of a staff user who may view the register and the proposals."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.test import Client

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-load-staff", defaults={"is_staff": True}
    )
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["registry", "oversight"],
            codename__in=["view_organization", "view_creditproposal"],
        )
    )
    client = Client()
    client.force_login(staff)
    return client, client.cookies["sessionid"].value


def _run_locust(port: int, env: dict[str, str], workdir: str) -> dict[str, dict[str, str]]:
    prefix = os.path.join(workdir, "load")
    command = [
        sys.executable,
        "-m",
        "locust",
        f"--locustfile={LOCUSTFILE}",
        "--headless",
        f"--users={LOAD_USERS}",
        f"--spawn-rate={LOAD_USERS}",
        f"--run-time={LOAD_SECONDS}s",
        f"--host=http://127.0.0.1:{port}",
        f"--csv={prefix}",
        "--only-summary",
        "--stop-timeout=5",
        "--loglevel=WARNING",
    ]
    # Only what it needs: the bench's environment (database URL, Django settings) is none of
    # its business, and gevent must patch ssl before anything imports it. Locust exits 1 when
    # a request failed; the failures are read from its CSV below.
    minimal = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    subprocess.run(
        command, env={**minimal, **env}, timeout=LOAD_SECONDS + 60, check=False, cwd=workdir
    )
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


@bench("load", f"Locust, mixed workload, {LOAD_USERS} users for {LOAD_SECONDS} s (gunicorn)")
def bench_load(args: argparse.Namespace, figures: dict) -> None:
    # Not imported here: Locust patches ssl with gevent on import, which must not happen in
    # a process that has loaded ssl already (it runs as its own process below).
    if importlib.util.find_spec("locust") is None:
        line("skipped", "locust is not installed (make install)")
        return
    from .api_load import _bench_tokens, _revoke, start_gunicorn, stop_gunicorn

    tokens = _bench_tokens()
    client, session = _staff_session()
    proc = None
    try:
        proc, port, workers = start_gunicorn()
        env = {"LOAD_DEPARTMENT_TOKEN": tokens["department"][1], "LOAD_STAFF_SESSION": session}
        with tempfile.TemporaryDirectory() as workdir:
            rows = _run_locust(port, env, workdir)
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        _revoke(tokens)
        client.logout()
    total = rows.pop("Aggregated")
    for name, row in sorted(rows.items()):
        line(
            f"  {name}",
            f"{int(row['Request Count']):,} requests, {row['Failure Count']} errors, "
            f"p50 {row['50%']} ms, p95 {row['95%']} ms",
        )
    errors = int(total["Failure Count"])
    line(
        "all requests",
        f"{int(total['Request Count']):,} in {LOAD_SECONDS} s "
        f"({float(total['Requests/s']):,.1f} req/s, {workers} gunicorn workers)",
    )
    line("percentiles p50 / p95 / p99", f"{total['50%']} / {total['95%']} / {total['99%']} ms")
    line("errors (must be 0)", f"{errors} {'✓' if errors == 0 else '✗'}")
    figures.update(
        load_requests=int(total["Request Count"]),
        load_rps=round(float(total["Requests/s"]), 1),
        load_errors=errors,
        load_p50_ms=float(total["50%"]),
        load_p95_ms=float(total["95%"]),
        load_p99_ms=float(total["99%"]),
    )
    if errors:
        raise RuntimeError(f"{errors} requests of the load test failed")
