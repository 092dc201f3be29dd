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
        results.update(_floor_list(n_requests))
    finally:
        _revoke(tokens)
    return results


def _floor_list(n_requests: int) -> dict[str, float]:
    """p50/p95 (ms) of the floor view (floor_urls.py) through the same test client."""
    from django.test import Client, override_settings

    from .floor_urls import FLOOR_PATH

    path = f"{FLOOR_PATH}?org_type=social_group&status=active"
    with override_settings(ROOT_URLCONF="scripts.bench.floor_urls"):
        client = Client(HTTP_HOST="127.0.0.1")
        for _ in range(5):
            assert client.get(path).status_code == 200
        timings = []
        for _ in range(n_requests):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
    return {
        "api_list_floor_p50_ms": round(statistics.median(timings), 1),
        "api_list_floor_p95_ms": round(_percentile(timings, 95), 1),
    }


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


def _load(port: int, path: str, headers: dict, *, clients: int, requests: int) -> dict:
    """`clients` keep-alive connections issuing `requests` GETs in all: p50/p95 (ms), req/s
    and the count of answers other than 200."""
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client_loop(n: int, keep: bool = True) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(n):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if keep:
                with lock:
                    timings.append(elapsed)
                    errors += response.status != 200
        conn.close()

    threads = [
        threading.Thread(target=client_loop, args=(max(1, requests // clients),))
        for _ in range(clients)
    ]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 95), 1),
        "rps": round(len(timings) / wall, 1),
        "errors": errors,
    }


def start_gunicorn(workers: int | None = None) -> tuple[subprocess.Popen, int, int]:
    """Gunicorn on a free loopback port serving the project and the floor view
    (floor_wsgi.py) against the bench database; (process, port, workers)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TEST_DATABASE_URL": _database_url(),
        # Throttling stays on (its cache round trip is part of the cost) but cannot trip.
        "API_THROTTLE_RATE": "100000000/min",
        "CONN_MAX_AGE": "60",  # as deployed (config/settings/base.py)
    }
    workers = workers or (2 * (os.cpu_count() or 1) + 1)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            # The deployed settings (worker class, timeout), on loopback.
            f"--config={BASE_DIR / 'config' / 'gunicorn.conf.py'}",
            "scripts.bench.floor_wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    _wait_for(port, proc)
    return proc, port, workers


def stop_gunicorn(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def bench_api_gunicorn(
    concurrency: tuple[int, ...] = (1, 5, 20),
    requests_per_client: int = 60,
    workers: int | None = None,
    path: str = LIST_PATH,
) -> dict[str, float]:
    """p50/p95 (ms), req/s and errors of `path` at each number of concurrent keep-alive
    clients against gunicorn on 127.0.0.1 (loopback only, bounded request counts), and the
    same for the floor view returning the same 50 rows; gunicorn is stopped afterwards."""
    from django.apps import apps

    from .floor_urls import FLOOR_PATH

    tokens = _bench_tokens()
    department_unit = (
        apps.get_model("common", "DepartmentMembership")
        .objects.get(user=tokens["department"][0].user)
        .supervising_unit_id
    )
    floors = {
        "staff": f"{FLOOR_PATH}?org_type=social_group&status=active",
        "department": f"{FLOOR_PATH}?org_type=social_group&status=active&unit={department_unit}",
    }
    results: dict[str, float] = {}
    proc = None
    try:
        proc, port, workers = start_gunicorn(workers)
        for role, (_token, key) in tokens.items():
            headers = {"Authorization": f"Token {key}", "Connection": "keep-alive"}
            for target, url in (("project", path), ("floor", floors[role])):
                _load(port, url, headers, clients=workers * 2, requests=workers * 8)  # warm
                for clients in concurrency:
                    figures = _load(
                        port, url, headers, clients=clients, requests=clients * requests_per_client
                    )
                    for name, value in figures.items():
                        results[f"api_gunicorn_{role}_{target}_c{clients}_{name}"] = value
    finally:
        if proc is not None:
            stop_gunicorn(proc)
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
