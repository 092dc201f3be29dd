"""Name search of 1–2 characters at national scale (issue 14 item 6).

pg_trgm, which serves `name icontains` of three characters or more, cannot serve shorter
terms (a trigram index has no key for them), so PostgreSQL used to scan all 1M names for
「春晖」. pg_bigm would serve them but is not installable here. Instead migration
registry.0006 creates an IMMUTABLE function `registry_name_grams(text)` returning the
characters and character pairs of UPPER(name) (PL/pgSQL since 0007: the index evaluates it on
every write of a name), and a GIN index on it: a term of one
or two characters is then a single key lookup, `registry_name_grams(name) @> ARRAY[UPPER(t)]`.

That containment equals `UPPER(name) LIKE '%' || UPPER(t) || '%'` exactly — a two-character
term occurs in the name iff it is one of its adjacent pairs, one character iff it is one of
its characters — so no recheck is needed and results equal `icontains` (tested). Other
databases (the embedded SQLite of `make run`) keep Django's icontains.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, TextField, Value

from common.planner import planner_row_estimate

# Longest term the gram index answers; from three characters on the trigram index does.
SHORT_TERM_MAX = 2
# Above this many estimated matches a term is "frequent" (see short_name_filter).
FREQUENT_TERM_ROWS = 50_000


class NameHasGram(Func):
    """`registry_name_grams(<field>) @> ARRAY[UPPER(<term>)]`: must spell the indexed
    expression of migration registry.0006 exactly, or the planner will not use the index."""

    output_field = BooleanField()

    def __init__(self, field: str, term: str):
        super().__init__(F(field), Value(term))

    def as_sql(self, compiler, connection, **extra_context):
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        term_sql, term_params = compiler.compile(self.source_expressions[1])
        sql = f"registry_name_grams({field_sql}) @> ARRAY[UPPER({term_sql})::text]"
        return sql, (*field_params, *term_params)


def _ctid_sql(compiler) -> str:
    """The physical address column of the query's base table."""
    return f"{compiler.quote_name_unless_alias(compiler.query.get_initial_alias())}.ctid"


class _RowAddress(Func):
    """The row's physical address (`ctid`) in the subquery's one table."""

    output_field = TextField()  # read only by CtidInArray, never by Python

    def as_sql(self, compiler, connection, **extra_context):
        return _ctid_sql(compiler), ()


class CtidInArray(Func):
    """`<table>.ctid = ANY(<array of ctid>)`: the rows at the addresses the subquery found,
    fetched directly (a TID scan). Unlike `pk = ANY(ids)` it needs no second lookup of each
    id in the primary-key index (24 of the page's 35 ms for 10k matches at 1M), and the
    planner gets the addresses as one parameter (an InitPlan), so it cannot turn back to a
    per-row plan. Safe within one statement: the subquery and the outer scan read the same
    snapshot, whose row versions cannot move or be vacuumed while it runs."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        array_sql, array_params = compiler.compile(self.source_expressions[0])
        return f"{_ctid_sql(compiler)} = ANY({array_sql})", tuple(array_params)


def short_name_search_available() -> bool:
    return connection.vendor == "postgresql"


def is_short_term(term: str) -> bool:
    return 0 < len(term) <= SHORT_TERM_MAX


def short_name_filter(queryset: QuerySet, term: str) -> QuerySet:
    """`queryset` narrowed to names containing `term` (1–2 characters), or an exact USCC
    equal to it (Django's search ORs both fields).

    The changelist orders by name with LIMIT 100, and matches of a selective term cluster in
    name order (「春晖…」 sorts together), so the planner's favourite plan — walk the name
    index until 100 rows pass the filter — read 70k rows and called the function on each
    (1.7 s at 1M). A selective term is therefore matched by row address against the rows the
    gram and USCC indexes return (an InitPlan: `ctid = ANY(ARRAY(SELECT ctid … WHERE grams @>
    … OR uscc = …))`, CtidInArray), which leaves the planner no per-row plan. A frequent
    term (「协会」, 20% of names) is the opposite case: walking the name index finds 100 rows
    at once, and the array would hold 200k addresses; there the plain predicate is kept. Which case applies is the planner's own
    row estimate for the term (from ANALYZE of the expression index; one EXPLAIN, ≈ 1 ms)."""
    matches = Q(NameHasGram("name", term)) | Q(uscc=term)
    if _estimated_rows(queryset.model, term) > FREQUENT_TERM_ROWS:
        return queryset.filter(matches)
    rows = (
        queryset.model._base_manager.filter(matches)
        .order_by()
        .annotate(address=_RowAddress())
        .values("address")
    )
    return queryset.filter(CtidInArray(ArraySubquery(rows)))


# The GIN indexes on the name (migrations 0003 and 0006): pg_trgm and the name grams.
NAME_GIN_INDEXES = ("registry_org_name_trgm", "registry_org_name_grams")


def name_indexes_merge() -> int:
    """Merge the pending lists of the name's GIN indexes into the indexes (PostgreSQL's
    gin_clean_pending_list), as a bulk write leaves them (registry.bulk). Returns the pending
    pages merged: 0 when there was nothing to do, so running it again or in two workers at
    once is harmless (PostgreSQL lets one merge a list at a time)."""
    if connection.vendor != "postgresql":
        return 0
    merged = 0
    with connection.cursor() as cursor:
        for index in NAME_GIN_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            merged += cursor.fetchone()[0]
    return merged


def _estimated_rows(model, term: str) -> float:
    return planner_row_estimate(model._base_manager.filter(NameHasGram("name", term))) or 0.0
