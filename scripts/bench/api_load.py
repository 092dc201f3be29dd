"""API benchmarks: a list page of 50 with two filters and ordering by name.

Called by the `api` section (api.py) after django.setup(), against the database with the 1M organizations:

    from scripts.bench.api_load import bench_api_gunicorn, bench_api_list
    results = {**bench_api_list(n_requests=200), **bench_api_gunicorn(concurrency=20)}

or alone: `DJANGO_SETTINGS_MODULE=config.settings.test TEST_DATABASE_URL=... python
-m scripts.bench.api_load`. Each function issues a bench token for a staff user (and a department
user), revokes it at the end, and returns a flat dict of figures (milliseconds). Gunicorn is
started on 127.0.0.1 at a free port against the same database and stopped afterwards; the
request loops are bounded in count. Goal (issue 3): p95 ≤ 50 ms, constant queries per request.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
LIST_PATH = "/api/v1/organizations/?org_type=social_group&status=active&ordering=name&page_size=50"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def _bench_tokens() -> dict[str, tuple[object, str]]:
    """{"staff": (token, key), "department": (token, key)} for the bench users."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Count

    from common.services import api_token_create, department_user_ensure

    User = get_user_model()
    staff, _ = User.objects.get_or_create(username="bench-api-staff", defaults={"is_staff": True})
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="registry", codename="view_organization")
    )
    Organization = apps.get_model("registry", "Organization")
    # The department with the most organizations: the heaviest department page.
    top = (
        Organization.objects.exclude(supervising_unit=None)
        .values("supervising_unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    unit = apps.get_model("registry", "SupervisingUnit").objects.get(pk=top["supervising_unit"])
    department = department_user_ensure(username=f"bench-api-{unit.code}", unit=unit)
    return {
        "staff": api_token_create(user=staff, name="bench"),
        "department": api_token_create(user=department, name="bench"),
    }


def _revoke(tokens: dict) -> None:
    from common.services import api_token_revoke

    for token, _key in tokens.values():
        api_token_revoke(token=token)


def bench_api_list(n_requests: int = 200, path: str = LIST_PATH) -> dict[str, float]:
    """p50/p95 (ms) and SQL queries per request of `path` through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    tokens = _bench_tokens()
    results: dict[str, float] = {}
    try:
        for role, (_token, key) in tokens.items():
            client = Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_HOST="127.0.0.1")
            for _ in range(5):  # warm-up: connection, caches, the token's last-used write
                assert client.get(path).status_code == 200
            timings, queries = [], set()
            for _ in range(n_requests):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.content[:200]
                queries.add(
                    sum(1 for q in ctx.captured_queries if not q["sql"].startswith("UPDATE"))
                )
            results[f"api_list_{role}_p50_ms"] = round(statistics.median(timings), 1)
            results[f"api_list_{role}_p95_ms"] = round(_percentile(timings, 95), 1)
            results[f"api_list_{role}_queries"] = max(queries)
            results[f"api_list_{role}_queries_constant"] = float(len(queries) == 1)
    finally:
        _revoke(tokens)
    return results


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )


def _wait_for(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn 未能启动")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn 启动超时")


def bench_api_gunicorn(
    concurrency: int = 20,
    requests: int = 2000,
    workers: int | None = None,
    path: str = LIST_PATH,
) -> dict[str, float]:
    """p50/p95 (ms) and throughput of `path` from `concurrency` keep-alive clients against
    gunicorn on 127.0.0.1 (loopback only; `requests` in total, then gunicorn is stopped)."""
    tokens = _bench_tokens()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TEST_DATABASE_URL": _database_url(),
        # Throttling stays on (its cache round trip is part of the cost) but cannot trip.
        "API_THROTTLE_RATE": "100000000/min",
        "CONN_MAX_AGE": "600",
    }
    workers = workers or (2 * (os.cpu_count() or 1) + 1)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            "--threads=4",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    results: dict[str, float] = {}
    try:
        _wait_for(port, proc)
        for role, (_token, key) in tokens.items():
            headers = {"Authorization": f"Token {key}", "Connection": "keep-alive"}
            timings: list[float] = []
            errors = 0
            lock = threading.Lock()
            per_client = max(1, requests // concurrency)

            def client_loop(headers=headers, timings=timings, lock=lock, n=per_client) -> None:
                nonlocal errors
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                for _ in range(n):
                    start = time.perf_counter()
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    elapsed = (time.perf_counter() - start) * 1000
                    with lock:
                        timings.append(elapsed)
                        errors += response.status != 200
                conn.close()

            # Warm every worker (connections, imports) before measuring.
            for _ in range(workers * 2):
                warm = threading.Thread(target=client_loop, kwargs={"n": 2, "timings": []})
                warm.start()
                warm.join()
            errors = 0
            threads = [threading.Thread(target=client_loop) for _ in range(concurrency)]
            wall = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - wall
            results[f"api_gunicorn_{role}_p50_ms"] = round(statistics.median(timings), 1)
            results[f"api_gunicorn_{role}_p95_ms"] = round(_percentile(timings, 95), 1)
            results[f"api_gunicorn_{role}_rps"] = round(len(timings) / wall, 1)
            results[f"api_gunicorn_{role}_errors"] = errors
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        _revoke(tokens)
    return results


if __name__ == "__main__":
    import json

    import django

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    figures = bench_api_list()
    figures.update(bench_api_gunicorn())
    print(json.dumps(figures, indent=2, ensure_ascii=False))
