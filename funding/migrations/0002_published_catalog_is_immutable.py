"""A published catalog edition, its entries and its exclusions cannot be changed or deleted,
even by SQL that bypasses the application (DESIGN.md §6), as for executed draws."""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION funding_edition_immutable() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'published' THEN
            RAISE EXCEPTION '已发布的目录版次（%）不可修改或删除', OLD.number
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER funding_edition_immutable BEFORE UPDATE OR DELETE ON funding_catalogedition
    FOR EACH ROW EXECUTE FUNCTION funding_edition_immutable()
    """,
    """
    CREATE OR REPLACE FUNCTION funding_edition_rows_immutable() RETURNS trigger AS $$
    DECLARE published boolean;
    BEGIN
        SELECT COALESCE(bool_or(status = 'published'), false) INTO published
        FROM funding_catalogedition
        WHERE id = COALESCE(OLD.edition_id, NEW.edition_id) OR id = NEW.edition_id;
        IF published THEN
            RAISE EXCEPTION '已发布目录的条目和排除记录不可更改'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER funding_entry_immutable BEFORE INSERT OR UPDATE OR DELETE
    ON funding_catalogentry FOR EACH ROW EXECUTE FUNCTION funding_edition_rows_immutable()
    """,
    """
    CREATE TRIGGER funding_exclusion_immutable BEFORE INSERT OR UPDATE OR DELETE
    ON funding_catalogexclusion FOR EACH ROW EXECUTE FUNCTION funding_edition_rows_immutable()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS funding_exclusion_immutable ON funding_catalogexclusion",
    "DROP TRIGGER IF EXISTS funding_entry_immutable ON funding_catalogentry",
    "DROP FUNCTION IF EXISTS funding_edition_rows_immutable()",
    "DROP TRIGGER IF EXISTS funding_edition_immutable ON funding_catalogedition",
    "DROP FUNCTION IF EXISTS funding_edition_immutable()",
]


def _sqlite_rows(table: str) -> list[str]:
    published = "(SELECT status FROM funding_catalogedition WHERE id = {}.edition_id) = 'published'"
    return [
        f"""
        CREATE TRIGGER {table}_no_insert BEFORE INSERT ON {table}
        WHEN {published.format("NEW")}
        BEGIN SELECT RAISE(ABORT, '已发布目录的条目和排除记录不可更改'); END
        """,
        f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        WHEN {published.format("OLD")} OR {published.format("NEW")}
        BEGIN SELECT RAISE(ABORT, '已发布目录的条目和排除记录不可更改'); END
        """,
        f"""
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        WHEN {published.format("OLD")}
        BEGIN SELECT RAISE(ABORT, '已发布目录的条目和排除记录不可更改'); END
        """,
    ]


SQLITE_TABLES = ("funding_catalogentry", "funding_catalogexclusion")
SQLITE_FORWARD = [
    """
    CREATE TRIGGER funding_edition_no_update BEFORE UPDATE ON funding_catalogedition
    WHEN OLD.status = 'published' BEGIN SELECT RAISE(ABORT, '已发布的目录版次不可修改'); END
    """,
    """
    CREATE TRIGGER funding_edition_no_delete BEFORE DELETE ON funding_catalogedition
    WHEN OLD.status = 'published' BEGIN SELECT RAISE(ABORT, '已发布的目录版次不可删除'); END
    """,
    *[sql for table in SQLITE_TABLES for sql in _sqlite_rows(table)],
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "funding_edition_no_update",
        "funding_edition_no_delete",
        *[f"{t}_no_{op}" for t in SQLITE_TABLES for op in ("insert", "update", "delete")],
    )
]


def _run(postgres, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run(POSTGRES_FORWARD, SQLITE_FORWARD), _run(POSTGRES_BACKWARD, SQLITE_BACKWARD)
        ),
    ]
