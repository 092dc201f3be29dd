"""`updated_at` that a mirror can trust (issue 15): every model served under /api/v1/ carries
an indexed modification time, and the database keeps it current.

`auto_now` only covers `Model.save()`; the project's set-based writes (`QuerySet.update`,
COPY-based imports, the batch jobs' SQL) bypass it. A row trigger therefore stamps
`updated_at` whenever an UPDATE changes the row and does not set `updated_at` itself — so `?updated_after=` never misses a
change, whoever wrote it. An UPDATE that leaves the row as it was (an idempotent re-run) does
not stamp it (PostgreSQL), so mirrors are not sent unchanged rows."""

from __future__ import annotations

from django.db import migrations, models
from django.db.models.functions import Now
from django.utils import timezone

FIELD = "updated_at"


class ChangeTracked(models.Model):
    # `db_default`: rows written by COPY (imports, draws) name no updated_at and get now().
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True, db_default=Now())

    class Meta:
        abstract = True


_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION common_stamp_updated_at() RETURNS trigger AS $$
BEGIN
    -- A statement that sets updated_at itself (Model.save(), a back-dated fixture) wins.
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def _create_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            _POSTGRES_FUNCTION,
            f"CREATE TRIGGER {table}_stamp_updated_at BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION common_stamp_updated_at()",
        ]
    if vendor == "sqlite":
        # SQLite has no BEFORE-row assignment: stamp after the update, unless the statement
        # set the column itself (recursive triggers are off, so this does not re-fire). Its
        # clock has milliseconds: round up, so the stamp is never before the true instant.
        return [
            f"CREATE TRIGGER {table}_stamp_updated_at AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN NEW.updated_at IS OLD.updated_at BEGIN UPDATE {table} SET updated_at = "
            f"strftime('%Y-%m-%d %H:%M:%f', 'now', '+0.001 seconds') WHERE rowid = NEW.rowid; END"
        ]
    return []


def _sqlite_guarded(schema_editor, table: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
            "AND name LIKE %s",
            [table, "%no_update"],
        )
        return cursor.fetchone()[0] > 0


def _field() -> models.DateTimeField:
    return models.DateTimeField("更新时间", auto_now=True, db_index=True, db_default=Now())


class TrackUpdates(migrations.AddField):
    """Adds `updated_at` (or, with `existing=True`, indexes the one a model already has) and
    installs the stamping trigger.

    On SQLite a NOT NULL AddField rebuilds the table, which drops the table's triggers and
    fails on triggers of other tables that name it (the immutability guards); SQLite's own
    ALTER TABLE ADD COLUMN with a constant default avoids the rebuild. PostgreSQL adds the
    column with a default and drops the default: no row is rewritten, so tables whose
    triggers refuse UPDATE take it too."""

    def __init__(self, model_name: str, existing: bool = False):
        self.existing = existing
        super().__init__(model_name=model_name, name=FIELD, field=_field(), preserve_default=True)

    def deconstruct(self):
        kwargs = {"model_name": self.model_name}
        if self.existing:
            kwargs["existing"] = True
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state):
        if self.existing:
            state.alter_field(app_label, self.model_name_lower, FIELD, self.field, True)
        else:
            super().state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        vendor = schema_editor.connection.vendor
        field = model._meta.get_field(FIELD)
        if self.existing:
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
            if vendor == "postgresql":
                schema_editor.execute(
                    f'ALTER TABLE "{table}" ALTER COLUMN "{FIELD}" SET DEFAULT statement_timestamp()'
                )
        elif vendor == "sqlite":
            stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S.%f")
            schema_editor.execute(
                f'ALTER TABLE "{table}" ADD COLUMN "{FIELD}" datetime NOT NULL DEFAULT \'{stamp}\''
            )
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
        else:
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        if vendor == "sqlite" and _sqlite_guarded(schema_editor, table):
            # SQLite stamps with a second UPDATE after the row's own, which a guard refusing
            # updates of a finished record (an executed draw, a decision) would refuse too.
            # There `auto_now` alone keeps updated_at (SQLite is the development path only).
            return
        for sql in _create_sql(vendor, table):
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        on = f" ON {table}" if schema_editor.connection.vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_updated_at{on}")
        if self.existing:
            field = model._meta.get_field(FIELD)
            for name in schema_editor._constraint_names(model, [field.column], index=True):
                schema_editor.execute(schema_editor._delete_index_sql(model, name))
        else:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Track updates of {self.model_name} (updated_at and its trigger)"
