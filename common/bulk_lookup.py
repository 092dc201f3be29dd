"""Looking up many rows by one column's values (10⁵ rule keys, 10⁵ USCCs of a national draw).

On PostgreSQL one `column = ANY(%s)` query with the values as a single array parameter: the
ORM's `__in` prepares every one of 10⁵ values in Python and ships as many placeholders.
Elsewhere (SQLite caps the parameters of a statement) `__in` lists of CHUNK values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection

CHUNK = 5000


def rows_with_values(
    model: Any, field: str, values: Sequence, columns: Sequence[str]
) -> Iterator[tuple]:
    """The `columns` (field names) of the rows of `model` whose `field` is one of `values`."""
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        meta = model._meta
        select = ", ".join(qn(meta.get_field(name).column) for name in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {qn(meta.db_table)} "
                f"WHERE {qn(meta.get_field(field).column)} = ANY(%s)",
                [list(values)],
            )
            yield from cursor.fetchall()
        return
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield from model.objects.filter(
            **{f"{field}__in": values[start : start + CHUNK]}
        ).values_list(*columns)
