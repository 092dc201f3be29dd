"""Listing and removal decisions are append-only (R-CRD-11, R-XC-03): the database refuses
UPDATE and DELETE on them, whatever the application does."""

from django.db import migrations

TABLES = (
    "oversight_creditlisting",
    "oversight_creditremoval",
    "oversight_creditremoval_listings",
)

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION oversight_credit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '信用名录决定只能新增，不能修改或删除（%）', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql
    """,
    *(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION oversight_credit_append_only()"
        for table in TABLES
    ),
]
POSTGRES_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS oversight_credit_append_only()",
]
SQLITE_FORWARD = [
    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
    "BEGIN SELECT RAISE(ABORT, '信用名录决定只能新增，不能修改或删除'); END"
    for table in TABLES
    for op in ("UPDATE", "DELETE")
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}"
    for table in TABLES
    for op in ("UPDATE", "DELETE")
]


def _run(postgres, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("oversight", "0004_credit_lists_and_zombie_cases")]

    operations = [
        migrations.RunPython(
            _run(POSTGRES_FORWARD, SQLITE_FORWARD), _run(POSTGRES_BACKWARD, SQLITE_BACKWARD)
        ),
    ]
