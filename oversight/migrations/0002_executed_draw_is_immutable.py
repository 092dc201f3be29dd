"""An executed draw, its selection and its inspector assignments cannot be changed or deleted,
even by SQL that bypasses the application (DESIGN.md §4.2 step 2.3). Inspections keep their
workflow fields (status, findings, outcome …) editable; only what the draw decided is frozen.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION oversight_draw_immutable() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'executed' THEN
            RAISE EXCEPTION '已执行的抽查（%）不可修改或删除', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER oversight_draw_immutable BEFORE UPDATE OR DELETE ON oversight_inspectiondraw
    FOR EACH ROW EXECUTE FUNCTION oversight_draw_immutable()
    """,
    """
    CREATE OR REPLACE FUNCTION oversight_selection_immutable() RETURNS trigger AS $$
    DECLARE executed boolean;
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.draw_id = OLD.draw_id
           AND NEW.organization_id = OLD.organization_id AND NEW.position = OLD.position THEN
            RETURN NEW;
        END IF;
        SELECT status = 'executed' INTO executed FROM oversight_inspectiondraw
        WHERE id = COALESCE(OLD.draw_id, NEW.draw_id);
        IF executed THEN
            RAISE EXCEPTION '已执行抽查的抽取结果不可更改'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER oversight_selection_immutable BEFORE INSERT OR UPDATE OR DELETE
    ON oversight_inspection FOR EACH ROW EXECUTE FUNCTION oversight_selection_immutable()
    """,
    """
    CREATE OR REPLACE FUNCTION oversight_assignment_immutable() RETURNS trigger AS $$
    DECLARE executed boolean;
    BEGIN
        SELECT d.status = 'executed' INTO executed
        FROM oversight_inspection i JOIN oversight_inspectiondraw d ON d.id = i.draw_id
        WHERE i.id = COALESCE(OLD.inspection_id, NEW.inspection_id);
        IF executed THEN
            RAISE EXCEPTION '已执行抽查的检查人员分派不可更改'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER oversight_assignment_immutable BEFORE INSERT OR UPDATE OR DELETE
    ON oversight_inspectionassignment FOR EACH ROW EXECUTE FUNCTION oversight_assignment_immutable()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS oversight_assignment_immutable ON oversight_inspectionassignment",
    "DROP FUNCTION IF EXISTS oversight_assignment_immutable()",
    "DROP TRIGGER IF EXISTS oversight_selection_immutable ON oversight_inspection",
    "DROP FUNCTION IF EXISTS oversight_selection_immutable()",
    "DROP TRIGGER IF EXISTS oversight_draw_immutable ON oversight_inspectiondraw",
    "DROP FUNCTION IF EXISTS oversight_draw_immutable()",
]

# The embedded SQLite of `make run` gets the same protection in its own dialect.
SQLITE_FORWARD = [
    """
    CREATE TRIGGER oversight_draw_no_update BEFORE UPDATE ON oversight_inspectiondraw
    WHEN OLD.status = 'executed' BEGIN SELECT RAISE(ABORT, '已执行的抽查不可修改'); END
    """,
    """
    CREATE TRIGGER oversight_draw_no_delete BEFORE DELETE ON oversight_inspectiondraw
    WHEN OLD.status = 'executed' BEGIN SELECT RAISE(ABORT, '已执行的抽查不可删除'); END
    """,
    """
    CREATE TRIGGER oversight_selection_no_insert BEFORE INSERT ON oversight_inspection
    WHEN (SELECT status FROM oversight_inspectiondraw WHERE id = NEW.draw_id) = 'executed'
    BEGIN SELECT RAISE(ABORT, '已执行抽查的抽取结果不可更改'); END
    """,
    """
    CREATE TRIGGER oversight_selection_no_update BEFORE UPDATE ON oversight_inspection
    WHEN (NEW.draw_id IS NOT OLD.draw_id OR NEW.organization_id IS NOT OLD.organization_id
          OR NEW.position IS NOT OLD.position)
     AND (SELECT status FROM oversight_inspectiondraw WHERE id = OLD.draw_id) = 'executed'
    BEGIN SELECT RAISE(ABORT, '已执行抽查的抽取结果不可更改'); END
    """,
    """
    CREATE TRIGGER oversight_selection_no_delete BEFORE DELETE ON oversight_inspection
    WHEN (SELECT status FROM oversight_inspectiondraw WHERE id = OLD.draw_id) = 'executed'
    BEGIN SELECT RAISE(ABORT, '已执行抽查的抽取结果不可更改'); END
    """,
    """
    CREATE TRIGGER oversight_assignment_no_insert BEFORE INSERT ON oversight_inspectionassignment
    WHEN (SELECT d.status FROM oversight_inspection i JOIN oversight_inspectiondraw d
          ON d.id = i.draw_id WHERE i.id = NEW.inspection_id) = 'executed'
    BEGIN SELECT RAISE(ABORT, '已执行抽查的检查人员分派不可更改'); END
    """,
    """
    CREATE TRIGGER oversight_assignment_no_update BEFORE UPDATE ON oversight_inspectionassignment
    WHEN (SELECT d.status FROM oversight_inspection i JOIN oversight_inspectiondraw d
          ON d.id = i.draw_id WHERE i.id = OLD.inspection_id) = 'executed'
    BEGIN SELECT RAISE(ABORT, '已执行抽查的检查人员分派不可更改'); END
    """,
    """
    CREATE TRIGGER oversight_assignment_no_delete BEFORE DELETE ON oversight_inspectionassignment
    WHEN (SELECT d.status FROM oversight_inspection i JOIN oversight_inspectiondraw d
          ON d.id = i.draw_id WHERE i.id = OLD.inspection_id) = 'executed'
    BEGIN SELECT RAISE(ABORT, '已执行抽查的检查人员分派不可更改'); END
    """,
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "oversight_draw_no_update", "oversight_draw_no_delete", "oversight_selection_no_insert",
        "oversight_selection_no_update", "oversight_selection_no_delete",
        "oversight_assignment_no_insert", "oversight_assignment_no_update",
        "oversight_assignment_no_delete",
    )
]


def _run(postgres, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run(POSTGRES_FORWARD, SQLITE_FORWARD), _run(POSTGRES_BACKWARD, SQLITE_BACKWARD)
        ),
    ]
