"""Name search of 1–2 characters at national scale (issue 14 item 6).

pg_trgm, which serves `name icontains` of three characters or more, cannot serve shorter
terms (a trigram index has no key for them), so PostgreSQL used to scan all 1M names for
「春晖」. pg_bigm would serve them but is not installable here. Instead migration
registry.0005 creates an IMMUTABLE SQL function `registry_name_grams(text)` returning the
distinct characters and character pairs of UPPER(name), and a GIN index on it: a term of one
or two characters is then a single key lookup, `registry_name_grams(name) @> ARRAY[UPPER(t)]`.

That containment equals `UPPER(name) LIKE '%' || UPPER(t) || '%'` exactly — a two-character
term occurs in the name iff it is one of its adjacent pairs, one character iff it is one of
its characters — so no recheck is needed and results equal `icontains` (tested). Other
databases (the embedded SQLite of `make run`) keep Django's icontains.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func, Value

# Longest term the gram index answers; from three characters on the trigram index does.
SHORT_TERM_MAX = 2


class NameHasGram(Func):
    """`registry_name_grams(<field>) @> ARRAY[UPPER(<term>)]`: must spell the indexed
    expression of migration registry.0005 exactly, or the planner will not use the index."""

    output_field = BooleanField()

    def __init__(self, field: str, term: str):
        super().__init__(F(field), Value(term))

    def as_sql(self, compiler, connection, **extra_context):
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        term_sql, term_params = compiler.compile(self.source_expressions[1])
        sql = f"registry_name_grams({field_sql}) @> ARRAY[UPPER({term_sql})::text]"
        return sql, (*field_params, *term_params)


def short_name_search_available() -> bool:
    return connection.vendor == "postgresql"


def is_short_term(term: str) -> bool:
    return 0 < len(term) <= SHORT_TERM_MAX
