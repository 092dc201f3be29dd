"""The SQLite run of `make test` (issue 16 item 6) stays pointed at real tests."""

from __future__ import annotations

import re
from pathlib import Path

from tests.project.sqlite_plugin import POSTGRES_ONLY

ROOT = Path(__file__).resolve().parents[2]


def sqlite_tests() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^SQLITE_TESTS := ((?:.*\\\n)*.*)$", makefile, re.MULTILINE)
    assert block, "Makefile 缺少 SQLITE_TESTS"
    return block.group(1).replace("\\\n", " ").split()


def test_every_listed_test_file_exists_and_covers_each_dialect_sensitive_area():
    paths = sqlite_tests()
    assert [p for p in paths if not (ROOT / p).is_file()] == []
    joined = " ".join(paths)
    for area in ("draw", "zombies", "credit", "import"):
        assert area in joined


def test_every_postgres_only_exception_names_a_test_that_exists():
    for node in POSTGRES_ONLY:
        path, name = node.split("::")
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), node


def test_the_sqlite_settings_are_the_embedded_path():
    from config.settings import test_sqlite

    assert test_sqlite.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert test_sqlite.CELERY_BROKER_URL == "memory://" and test_sqlite.CELERY_TASK_ALWAYS_EAGER
