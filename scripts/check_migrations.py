"""Migrations are only ever added (issue 16 item 4).

A migration that has been committed may already be applied somewhere; editing it later
leaves those databases without the edit and nobody notices. `migrations.lock` records the
SHA-256 of every migration file (`*/migrations/*.py` except `__init__.py`); this check fails
when a recorded file has changed or vanished, and when a migration is not recorded yet.

    python scripts/check_migrations.py           # the check `make test` runs
    python scripts/check_migrations.py --update  # record NEW migrations; never rewrites one
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK_NAME = "migrations.lock"
HEADER = (
    "# SHA-256 of every committed migration (scripts/check_migrations.py). Lines are only\n"
    "# ever added, by `python scripts/check_migrations.py --update`; never edit one.\n"
)


@dataclass
class Report:
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)

    @property
    def tampered(self) -> bool:
        return bool(self.changed or self.missing)


def migration_files(root: Path) -> dict[str, str]:
    """{relative path: sha256} of the migration files on disk."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.glob("*/migrations/*.py"))
        if path.name != "__init__.py"
    }


def read_lock(lock: Path) -> dict[str, str]:
    recorded: dict[str, str] = {}
    if not lock.exists():
        return recorded
    for number, line in enumerate(lock.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, path = line.partition("  ")
        if len(digest) != 64 or not path:
            raise SystemExit(f"{lock.name} 第{number}行格式错误：应为“<sha256>  <路径>”。")
        recorded[path] = digest
    return recorded


def compare(root: Path, lock: Path) -> Report:
    on_disk, recorded = migration_files(root), read_lock(lock)
    return Report(
        changed=sorted(p for p, d in recorded.items() if p in on_disk and on_disk[p] != d),
        missing=sorted(p for p in recorded if p not in on_disk),
        unlisted=sorted(p for p in on_disk if p not in recorded),
    )


def describe(report: Report, lock_name: str) -> list[str]:
    lines = []
    for path in report.changed:
        lines.append(
            f"已提交的迁移文件被修改：{path}。迁移只能新增，不能改动已提交的文件"
            "（已执行过它的数据库不会再执行）；请恢复原文件，把改动写成一个新的迁移。"
        )
    for path in report.missing:
        lines.append(f"已提交的迁移文件被删除：{path}。迁移只能新增；请恢复该文件。")
    for path in report.unlisted:
        lines.append(
            f"新迁移尚未登记：{path}。请运行 `python scripts/check_migrations.py --update`，"
            f"并把 {lock_name} 的新增行一并提交。"
        )
    return lines


def update(root: Path, lock: Path, report: Report) -> None:
    recorded = read_lock(lock)
    on_disk = migration_files(root)
    recorded.update({path: on_disk[path] for path in report.unlisted})
    body = "".join(f"{recorded[p]}  {p}\n" for p in sorted(recorded))
    lock.write_text(HEADER + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查已提交的迁移文件未被修改。")
    parser.add_argument("--update", action="store_true", help="登记新迁移（不改动已有记录）")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    lock = root / LOCK_NAME
    report = compare(root, lock)
    if args.update:
        if report.tampered:
            print("\n".join(describe(report, LOCK_NAME)), file=sys.stderr)
            print(f"拒绝更新 {LOCK_NAME}：已登记的迁移不能改动。", file=sys.stderr)
            return 1
        update(root, lock, report)
        for path in report.unlisted:
            print(f"已登记：{path}")
        return 0
    problems = describe(report, LOCK_NAME)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"迁移检查通过：{len(migration_files(root))} 个迁移文件与 {LOCK_NAME} 一致。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
