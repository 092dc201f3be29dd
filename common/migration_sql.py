"""Raw SQL in migrations that only PostgreSQL gets: triggers, functions and indexes that
SQLite (`make run`) has no equivalent for, or that the app's SQLite migration writes itself."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations


def postgresql_only(forward: Sequence[str], backward: Sequence[str]) -> migrations.RunPython:
    """A migration operation running `forward` (and, when unapplied, `backward`) statement
    by statement on PostgreSQL, and nothing elsewhere."""

    def run(statements: Sequence[str]):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for sql in statements:
                    schema_editor.execute(sql, params=None)

        return apply

    return migrations.RunPython(run(forward), run(backward))
