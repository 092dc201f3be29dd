"""Writing an executed draw: its inspections and inspector assignments in bulk (COPY on
PostgreSQL), with their history rows, inside the execution's transaction."""

from __future__ import annotations

import datetime
import io

from simple_history.utils import bulk_create_with_history

from common.bulk_lookup import rows_with_values
from common.pgcopy import copy_defaults, copy_text_value
from oversight.inspections import draw as draw_algorithm
from oversight.inspections.models import (
    Inspection,
    InspectionAssignment,
    InspectionDraw,
    Inspector,
)
from registry.models import Organization


def _write_inspections(
    *, draw: InspectionDraw, result: draw_algorithm.DrawResult, at: datetime.datetime
) -> None:
    """Insert the selection and its inspectors set-wise (COPY on PostgreSQL: a national draw
    writes ~100k inspections and ~200k assignments inside the execution transaction)."""
    from django.db import connection

    inspector_ids = dict(Inspector.objects.values_list("code", "id"))
    org_ids = dict(rows_with_values(Organization, "uscc", result.selected, ("uscc", "id")))
    if connection.vendor == "postgresql":
        # bulk_create spent ~85% of a 1M-organization draw preparing values field by field
        # (scripts/bench.py, section draw); COPY of plain text rows does the same writes.
        _copy_inspections(
            draw=draw, result=result, org_ids=org_ids, inspector_ids=inspector_ids, at=at
        )
        return
    inspections = [
        Inspection(
            draw=draw,
            organization_id=org_ids[uscc],
            position=position,
            stratum=result.stratum_of.get(uscc, ""),
        )
        for position, uscc in enumerate(result.selected, start=1)
    ]
    # The draw row is the decision record; the inspections' own history starts here.
    created = bulk_create_with_history(
        inspections,
        Inspection,
        batch_size=5000,
        default_user=draw.executed_by,
        default_change_reason=_DRAW_CHANGE_REASON,
        default_date=at,
    )
    assignments = [
        InspectionAssignment(
            inspection_id=inspection.pk, inspector_id=inspector_ids[code], position=i
        )
        for inspection, uscc in zip(created, result.selected, strict=True)
        for i, code in enumerate(result.assignments[uscc], start=1)
    ]
    InspectionAssignment.objects.bulk_create(assignments, batch_size=10000)


_DRAW_CHANGE_REASON = "双随机抽取"


def _copy_inspections(
    *,
    draw: InspectionDraw,
    result: draw_algorithm.DrawResult,
    org_ids: dict[str, int],
    inspector_ids: dict[str, int],
    at: datetime.datetime,
) -> None:
    """PostgreSQL: inspections, their '+' history rows and the assignments by COPY and one
    INSERT … SELECT, with the same rows bulk_create_with_history would write."""
    from django.db import connection

    k = len(result.selected)
    if not k:
        return
    with connection.cursor() as cursor:
        # Ids from the table's own sequence, so the assignments can name their inspection.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Inspection._meta.db_table, k],
        )
        ids = [row[0] for row in cursor.fetchall()]
        _copy_inspection_rows(cursor, draw=draw, result=result, org_ids=org_ids, ids=ids)
        _insert_inspection_history(cursor, draw=draw, at=at)
        _copy_assignments(cursor, result=result, inspector_ids=inspector_ids, ids=ids)


def _copy_inspection_rows(
    cursor,
    *,
    draw: InspectionDraw,
    result: draw_algorithm.DrawResult,
    org_ids: dict[str, int],
    ids: list[int],
) -> None:
    """The inspections, numbered by their position in the selection."""
    from django.db import connection

    qn = connection.ops.quote_name
    extra_columns, extra_text = copy_defaults(
        Inspection, known={"draw_id", "organization_id", "position", "stratum"}
    )
    rows = io.StringIO()
    write = rows.write
    prefix = f"\t{draw.pk}\t"
    k = len(result.selected)
    for pk, position, uscc in zip(ids, range(1, k + 1), result.selected, strict=True):
        write(
            f"{pk}{prefix}{org_ids[uscc]}\t{position}\t"
            f"{copy_text_value(result.stratum_of.get(uscc, ''))}{extra_text}\n"
        )
    rows.seek(0)
    columns = ["id", "draw_id", "organization_id", "position", "stratum", *extra_columns]
    cursor.copy_expert(
        f"COPY {qn(Inspection._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN",
        rows,
    )


def _insert_inspection_history(cursor, *, draw: InspectionDraw, at: datetime.datetime) -> None:
    """The draw row is the decision record; the inspections' own history starts here: one
    '+' row each, by the executing user, at the execution time."""
    from django.db import connection

    qn = connection.ops.quote_name
    historical = Inspection.history.model
    tracked = {f.column for f in historical.tracked_fields}
    insert, select, params = [], [], []
    for f in historical._meta.concrete_fields:
        if f.name == "history_id":
            continue
        insert.append(qn(f.column))
        if f.column in tracked:
            select.append(qn(f.column))
            continue
        select.append("%s")
        if f.name == "history_date":
            params.append(at)
        elif f.name == "history_type":
            params.append("+")
        elif f.name == "history_change_reason":
            params.append(_DRAW_CHANGE_REASON)
        elif f.name == "history_user":
            params.append(draw.executed_by_id)
        else:
            params.append(f.get_db_prep_save(f.get_default(), connection))
    cursor.execute(
        f"INSERT INTO {qn(historical._meta.db_table)} ({', '.join(insert)}) "
        f"SELECT {', '.join(select)} FROM {qn(Inspection._meta.db_table)} "
        "WHERE draw_id = %s ORDER BY id",
        [*params, draw.pk],
    )


def _copy_assignments(
    cursor,
    *,
    result: draw_algorithm.DrawResult,
    inspector_ids: dict[str, int],
    ids: list[int],
) -> None:
    """Each inspection's inspectors, in the order the draw assigned them."""
    from django.db import connection

    assignments = io.StringIO()
    write = assignments.write
    for pk, uscc in zip(ids, result.selected, strict=True):
        for i, code in enumerate(result.assignments[uscc], start=1):
            write(f"{pk}\t{inspector_ids[code]}\t{i}\n")
    assignments.seek(0)
    cursor.copy_expert(
        f"COPY {connection.ops.quote_name(InspectionAssignment._meta.db_table)} "
        "(inspection_id, inspector_id, position) FROM STDIN",
        assignments,
    )
