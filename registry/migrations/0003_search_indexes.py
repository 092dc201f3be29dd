"""Indexes the API and admin need at national scale (1M organizations).

The trigram and prefix indexes serve `name icontains` and `uscc istartswith`, which Django
compiles to UPPER(col) LIKE …; they are PostgreSQL-only, so they are created here by SQL and
skipped on the embedded SQLite of `make run`.
"""

from django.db import migrations, models

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_org_name_trgm ON registry_organization "
    "USING gin (UPPER(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_org_uscc_upper_prefix ON registry_organization "
    "(UPPER(uscc) varchar_pattern_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS registry_org_uscc_upper_prefix",
    "DROP INDEX IF EXISTS registry_org_name_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_industry_categories")]

    operations = [
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["supervising_unit", "status", "org_type", "name"],
                name="registry_org_unit_status_type",
            ),
        ),
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
