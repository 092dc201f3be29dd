"""Item 10: `make backup` / `make restore` round trip on the demo register: the restored
database has the same rows in every table, its files, and a draw that still verifies; a
damaged archive is refused before anything is restored. (~30–50 s: seeds the demo.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _server() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }


def _url(name: str) -> str:
    s = _server()
    auth = s["user"] + (f":{s['password']}" if s["password"] else "")
    return f"postgres://{auth}@{s['host']}:{s['port']}/{name}"


def _admin(sql: str) -> None:
    conn = psycopg2.connect(dbname="postgres", **_server())
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def _counts(name: str) -> dict[str, int]:
    conn = psycopg2.connect(dbname=name, **_server())
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(row[0] for row in cursor.fetchall())
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id FROM oversight_inspectiondraw WHERE status = 'executed' ORDER BY id LIMIT 1"
        )
        row = cursor.fetchone()
    conn.close()
    counts["_executed_draw"] = row[0] if row else None
    return counts


def run(args, env, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )


@pytest.fixture
def scratch(tmp_path):
    names = [f"socialorg_backup_{os.getpid()}_{kind}" for kind in ("src", "dst")]
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        _admin(f'CREATE DATABASE "{name}"')
    yield names
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_of_the_demo_restores_into_a_fresh_database(scratch, tmp_path):
    src, dst = scratch
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "REDIS_URL"))}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": _url(src),
        "MEDIA_ROOT": str(tmp_path / "media-src"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    python = sys.executable
    for step in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        result = run([python, "manage.py", *step], env)
        assert result.returncode == 0, result.stderr[-3000:]
    (tmp_path / "media-src" / "circulars").mkdir(parents=True, exist_ok=True)
    (tmp_path / "media-src" / "circulars" / "通报.xlsx").write_bytes(b"attachment")

    backup = run(["make", "-s", "backup"], env)
    assert backup.returncode == 0, backup.stderr
    archive = backup.stdout.strip().splitlines()[-1]

    restore_env = {**env, "DATABASE_URL": _url(dst), "MEDIA_ROOT": str(tmp_path / "media-dst")}
    restored = run(["make", "-s", "restore", f"FILE={archive}"], restore_env)
    assert restored.returncode == 0, restored.stderr

    before, after = _counts(src), _counts(dst)
    assert before == after
    assert before["registry_organization"] > 0 and before["_executed_draw"] is not None
    assert (tmp_path / "media-dst" / "circulars" / "通报.xlsx").read_bytes() == b"attachment"
    verified = run([python, "manage.py", "verify_draw", str(after["_executed_draw"])], restore_env)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # A damaged archive is refused before anything is restored.
    data = bytearray(Path(archive).read_bytes())
    data[len(data) // 2] ^= 0xFF
    Path(archive).write_bytes(bytes(data))
    refused = run(["make", "-s", "restore", f"FILE={archive}"], restore_env)
    assert refused.returncode != 0 and "校验失败" in refused.stderr
