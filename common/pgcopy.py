"""PostgreSQL COPY helpers for the bulk writes that must be faster than bulk_create and
bulk_update (the synthetic register, a national draw's inspections, the register import)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Collection, Sequence
from typing import Any


def copy_text_value(value: Any) -> str:
    """One value in PostgreSQL COPY text format (NULL as \\N, booleans as t/f, escapes)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    # Four substring tests run in C; a generator over the specials cost more than the COPY.
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def copy_update(model: Any, *, rows: Sequence[Any], fields: Sequence[str], temp: str) -> int:
    """PostgreSQL: UPDATE the `fields` of many rows of `model` in one statement: the new
    values go by COPY into a temporary table `temp` (dropped at commit), then one
    UPDATE … FROM writes them. `rows` are model instances carrying the new values. Returns
    the rows updated. bulk_update builds a CASE per field per row, which at 10k rows costs
    more than reading the file."""
    from django.db import connection

    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    concrete = [model._meta.get_field(name) for name in fields]
    columns = [qn(f.column) for f in concrete]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {qn(temp)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {qn(temp)} ON COMMIT DROP AS "
            f"SELECT id, {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        convert = [(f.attname, _copy_converter(f)) for f in concrete]
        buffer = io.StringIO()
        write = buffer.write
        for obj in rows:
            values = [copy_text_value(obj.pk)]
            values.extend(copy_text_value(plain(getattr(obj, name))) for name, plain in convert)
            write("\t".join(values) + "\n")
        buffer.seek(0)
        cursor.copy_expert(f"COPY {qn(temp)} (id, {', '.join(columns)}) FROM STDIN", buffer)
        assignments = ", ".join(f"{c} = t.{c}" for c in columns)
        cursor.execute(f"UPDATE {table} o SET {assignments} FROM {qn(temp)} t WHERE o.id = t.id")
        return cursor.rowcount


def history_insert_select(
    model: Any,
    *,
    where: str,
    params: Sequence[Any],
    history_type: str,
    reason: str,
    user_id: int | None,
    at: datetime.datetime,
) -> int:
    """PostgreSQL: one django-simple-history row per row of `model` matching `where` (SQL on
    the model's table, aliased o), copied from the rows as they now are, in one
    INSERT … SELECT: the rows bulk_*_with_history would write, without reading them back."""
    from django.db import connection

    qn = connection.ops.quote_name
    historical = model.history.model
    tracked = {f.column for f in historical.tracked_fields}
    insert, select, values = [], [], []
    fixed = {
        "history_date": at,
        "history_type": history_type,
        "history_change_reason": reason,
        "history_user": user_id,
    }
    for f in historical._meta.concrete_fields:
        if f.name == "history_id":
            continue
        insert.append(qn(f.column))
        if f.column in tracked:
            select.append(f"o.{qn(f.column)}")
        else:
            select.append("%s")
            values.append(
                fixed[f.name]
                if f.name in fixed
                else f.get_db_prep_save(f.get_default(), connection)
            )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(historical._meta.db_table)} ({', '.join(insert)}) "
            f"SELECT {', '.join(select)} FROM {qn(model._meta.db_table)} o WHERE {where} "
            "ORDER BY o.id",
            [*values, *params],
        )
        return cursor.rowcount


def copy_insert(model: Any, *, rows: Sequence[dict]) -> int:
    """PostgreSQL: INSERT many new rows of `model` (dicts with the same keys, attname → value;
    other fields take their model default) by one COPY straight into its table. A conflict
    fails the whole COPY: for writers that exclude conflicts themselves (the credit rules run
    under a lock that serializes runs). Returns the rows written."""
    from django.db import connection

    if not rows:
        return 0
    columns, buffer = _copy_rows(model, rows)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN",
            buffer,
        )
        return cursor.rowcount


def copy_defaults(model: Any, *, known: Collection[str]) -> tuple[list[str], str]:
    """The columns of `model` that a COPY writing the `known` attnames leaves out, with their
    model defaults as one tab-prefixed text (the same for every row), so that a field added
    later with a default needs no change in the writer. A database default (db_default, e.g.
    updated_at's now()) is the database's to fill."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key or f.attname in known or f.has_db_default())
    ]
    tail = "".join(
        "\t" + copy_text_value(_copy_converter(f)(_copy_default(model, f))) for f in fields
    )
    return [f.column for f in fields], tail


def _copy_default(model: Any, field: Any) -> Any:
    """What Django would save in `field` when the writer gives nothing: now for auto_now(_add)
    fields, else the field's default; a NOT NULL field without one is the writer's to fill."""
    from django.utils import timezone

    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    value = field.get_default()
    if value is None and not field.null:
        raise ValueError(f"{model.__name__}.{field.name} 没有默认值：COPY 的写入方须给出它的值。")
    return value


def _copy_rows(model: Any, rows: Sequence[dict]) -> tuple[str, io.StringIO]:
    """The quoted column list and the COPY text of `rows` (see copy_insert)."""
    from django.db import connection

    qn = connection.ops.quote_name
    given = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname in rows[0]]
    default_columns, tail = copy_defaults(model, known=rows[0].keys())
    convert = [(f.attname, _copy_converter(f)) for f in given]
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join([copy_text_value(plain(row[name])) for name, plain in convert]))
        write(tail)
        write("\n")
    buffer.seek(0)
    return ", ".join(qn(c) for c in (*(f.column for f in given), *default_columns)), buffer


def _copy_converter(field: Any):
    """value → the plain Python value whose str() COPY reads, for one field."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import models

    if isinstance(field, models.JSONField):
        encode = (field.encoder or DjangoJSONEncoder)().encode  # one encoder for every row
        return lambda value: None if value is None else encode(value)
    if isinstance(field, models.DateField):  # DateTimeField too: ISO 8601 with its offset
        return lambda value: None if value is None else value.isoformat()
    return lambda value: value
