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


class AlterFieldOnPostgreSQL(migrations.AlterField):
    """An AlterField whose database change only PostgreSQL gets (the migration state changes
    everywhere). For changes that matter at scale only — an index dropped — where SQLite would
    remake the table to apply them and so lose the table's triggers (updated_at stamping,
    immutability guards); SQLite (`make run`) keeps the index."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
