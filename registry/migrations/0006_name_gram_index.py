"""GIN index on the characters and character pairs of the organization name.

Serves admin name searches of one or two characters at 1M organizations, which the trigram
index of 0003 cannot (see registry/search.py for the choice). PostgreSQL only: the embedded
SQLite keeps a plain scan. The function is IMMUTABLE (it depends on its argument only; UPPER
is immutable), which an expression index requires. How the admin's query steers the
planner to this index (or away from it for frequent terms) is in registry/search.py.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION registry_name_grams(name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT gram), '{}')
        FROM (
            SELECT substr(upper(name), i, 1) AS gram
            FROM generate_series(1, char_length(name)) AS i
            UNION ALL
            SELECT substr(upper(name), i, 2)
            FROM generate_series(1, char_length(name) - 1) AS i
        ) AS grams
    $$
    """,
    "CREATE INDEX IF NOT EXISTS registry_org_name_grams ON registry_organization "
    "USING gin (registry_name_grams(name))",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS registry_org_name_grams",
    "DROP FUNCTION IF EXISTS registry_name_grams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_updated_at")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
