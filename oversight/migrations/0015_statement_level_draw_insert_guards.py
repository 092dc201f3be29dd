"""The insert guards of an executed draw's selection and assignments, once per statement.

0002 checked every inserted inspection and assignment with a row-level trigger that looked up
its draw: a national draw writes 90,000 inspections and 180,000 assignments by COPY, so the
guards ran 270,000 lookups (about 4 s of a 6 s execution at 1M organizations). An AFTER
INSERT … FOR EACH STATEMENT trigger sees the inserted rows as a transition table and checks
them with one join; it still fails the whole statement, with the same message and SQLSTATE,
if any row belongs to an executed draw. UPDATE and DELETE keep their row-level guards (0002).
SQLite keeps its own triggers (0002).
"""

from django.db import migrations

from common.migration_sql import postgresql_only

_EXECUTED = "USING ERRCODE = 'integrity_constraint_violation'"

POSTGRES_FORWARD = [
    "DROP TRIGGER IF EXISTS oversight_selection_immutable ON oversight_inspection",
    """
    CREATE TRIGGER oversight_selection_immutable BEFORE UPDATE OR DELETE ON oversight_inspection
    FOR EACH ROW EXECUTE FUNCTION oversight_selection_immutable()
    """,
    f"""
    CREATE OR REPLACE FUNCTION oversight_selection_insert_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM oversight_inspectiondraw d
            WHERE d.status = 'executed' AND d.id IN (SELECT draw_id FROM inserted)
        ) THEN
            RAISE EXCEPTION '已执行抽查的抽取结果不可更改' {_EXECUTED};
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER oversight_selection_insert_guard AFTER INSERT ON oversight_inspection
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION oversight_selection_insert_guard()
    """,
    "DROP TRIGGER IF EXISTS oversight_assignment_immutable ON oversight_inspectionassignment",
    """
    CREATE TRIGGER oversight_assignment_immutable BEFORE UPDATE OR DELETE
    ON oversight_inspectionassignment
    FOR EACH ROW EXECUTE FUNCTION oversight_assignment_immutable()
    """,
    f"""
    CREATE OR REPLACE FUNCTION oversight_assignment_insert_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM oversight_inspectiondraw d
            WHERE d.status = 'executed' AND d.id IN (
                SELECT i.draw_id FROM oversight_inspection i
                WHERE i.id IN (SELECT inspection_id FROM inserted)
            )
        ) THEN
            RAISE EXCEPTION '已执行抽查的检查人员分派不可更改' {_EXECUTED};
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER oversight_assignment_insert_guard AFTER INSERT
    ON oversight_inspectionassignment
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION oversight_assignment_insert_guard()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS oversight_assignment_insert_guard ON oversight_inspectionassignment",
    "DROP FUNCTION IF EXISTS oversight_assignment_insert_guard()",
    "DROP TRIGGER IF EXISTS oversight_assignment_immutable ON oversight_inspectionassignment",
    """
    CREATE TRIGGER oversight_assignment_immutable BEFORE INSERT OR UPDATE OR DELETE
    ON oversight_inspectionassignment
    FOR EACH ROW EXECUTE FUNCTION oversight_assignment_immutable()
    """,
    "DROP TRIGGER IF EXISTS oversight_selection_insert_guard ON oversight_inspection",
    "DROP FUNCTION IF EXISTS oversight_selection_insert_guard()",
    "DROP TRIGGER IF EXISTS oversight_selection_immutable ON oversight_inspection",
    """
    CREATE TRIGGER oversight_selection_immutable BEFORE INSERT OR UPDATE OR DELETE
    ON oversight_inspection
    FOR EACH ROW EXECUTE FUNCTION oversight_selection_immutable()
    """,
]


class Migration(migrations.Migration):
    dependencies = [("oversight", "0014_pending_reports_index")]

    operations = [postgresql_only(POSTGRES_FORWARD, POSTGRES_BACKWARD)]
