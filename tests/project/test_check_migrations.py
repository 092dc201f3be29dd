"""The check that migrations are only ever added (issue 16 item 4), on a throwaway tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.check_migrations import LOCK_NAME, ROOT, compare, main, read_lock


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    migrations = tmp_path / "app" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "__init__.py").write_text("")
    (migrations / "0001_initial.py").write_text("operations = []\n")
    assert main(["--root", str(tmp_path), "--update"]) == 0
    return tmp_path


def test_an_untouched_tree_passes(tree, capsys):
    assert main(["--root", str(tree)]) == 0
    assert "1 个迁移文件" in capsys.readouterr().out
    assert list(read_lock(tree / LOCK_NAME)) == ["app/migrations/0001_initial.py"]


def test_a_changed_committed_migration_fails_and_update_refuses_it(tree, capsys):
    path = tree / "app" / "migrations" / "0001_initial.py"
    path.write_text("operations = ['added later']\n")
    lock_before = (tree / LOCK_NAME).read_text()

    assert main(["--root", str(tree)]) == 1
    assert "已提交的迁移文件被修改：app/migrations/0001_initial.py" in capsys.readouterr().err
    assert main(["--root", str(tree), "--update"]) == 1
    assert "拒绝更新" in capsys.readouterr().err
    assert (tree / LOCK_NAME).read_text() == lock_before


def test_a_deleted_committed_migration_fails(tree, capsys):
    (tree / "app" / "migrations" / "0001_initial.py").unlink()
    assert main(["--root", str(tree)]) == 1
    assert "已提交的迁移文件被删除" in capsys.readouterr().err


def test_a_new_unlisted_migration_fails_until_update_records_it(tree, capsys):
    (tree / "app" / "migrations" / "0002_more.py").write_text("operations = []\n")

    assert main(["--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "新迁移尚未登记：app/migrations/0002_more.py" in err
    assert "python scripts/check_migrations.py --update" in err

    assert main(["--root", str(tree), "--update"]) == 0
    assert main(["--root", str(tree)]) == 0
    assert set(read_lock(tree / LOCK_NAME)) == {
        "app/migrations/0001_initial.py",
        "app/migrations/0002_more.py",
    }


def test_no_recorded_migration_of_this_repository_has_changed():
    # New migrations of work in progress may still be unrecorded; `make test` runs the
    # full check. What is recorded must never change.
    report = compare(ROOT, ROOT / LOCK_NAME)
    assert "oversight/migrations/0003_beat_schedules.py" in read_lock(ROOT / LOCK_NAME)
    assert not report.changed and not report.missing, (report.changed, report.missing)
