"""Draw services: freeze the inputs and commit, execute and store the result (COPY on PostgreSQL), verify."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from common.actors import saved_user
from common.pgcopy import copy_text_value
from oversight.inspections import draw as draw_algorithm
from oversight.inspections.choices import (
    DrawKind,
    DrawStatus,
    DrawStratification,
)
from oversight.inspections.models import (
    Inspection,
    InspectionAssignment,
    InspectionDraw,
    Inspector,
    InspectorConflict,
)
from oversight.inspections.selectors import draw_stored_result
from registry.models import Organization
from registry.selectors import organizations_registered_on

# ------------------------------------------------------------------ inspection draws


def _stratum_key(
    stratify_by: str, org_type: str, category_code: int | None, unit_code: str | None
) -> str:
    # Stratum names must be printable with no whitespace (docs/draw-protocol.md §2).
    if stratify_by == DrawStratification.TYPE:
        return org_type
    if stratify_by == DrawStratification.INDUSTRY:
        return f"industry-{category_code:02d}"
    if stratify_by == DrawStratification.SUPERVISING_UNIT:
        return unit_code or "none"
    raise ValueError(stratify_by)


def draw_population(
    *, as_of: datetime.date, stratify_by: str = ""
) -> tuple[list[str], dict[str, list[str]] | None]:
    """The eligible population: organizations on the register on `as_of` (DESIGN.md §4.2 step
    1.1), as sorted USCCs and, for a stratified draw, stratum → USCCs."""
    qs = organizations_registered_on(day=as_of).order_by("uscc")
    if not stratify_by:
        return list(qs.values_list("uscc", flat=True).iterator(chunk_size=20000)), None
    strata: dict[str, list[str]] = defaultdict(list)
    codes: list[str] = []
    for uscc, org_type, category, unit in qs.values_list(
        "uscc", "org_type", "industry_category__code", "supervising_unit__code"
    ).iterator(chunk_size=20000):
        codes.append(uscc)
        strata[_stratum_key(stratify_by, org_type, category, unit)].append(uscc)
    return codes, dict(strata)


def draw_roster_and_conflicts(
    *, as_of: datetime.date, population: Iterable[str]
) -> tuple[list[str], dict[str, set[str]]]:
    """Active inspectors and the conflicts in force on `as_of`, unit conflicts expanded to
    each organization of the unit in the population (R-INS-10, docs/draw-protocol.md §3)."""
    roster = sorted(Inspector.objects.filter(is_active=True).values_list("code", flat=True))
    in_force = InspectorConflict.objects.filter(
        declared_on__lte=as_of, inspector__is_active=True
    ).exclude(ended_on__lte=as_of)
    population_set = set(population)
    conflicts: dict[str, set[str]] = defaultdict(set)
    for uscc, code in in_force.filter(organization__isnull=False).values_list(
        "organization__uscc", "inspector__code"
    ):
        if uscc in population_set:
            conflicts[uscc].add(code)
    unit_conflicts = list(
        in_force.filter(supervising_unit__isnull=False).values_list(
            "supervising_unit_id", "inspector__code"
        )
    )
    if unit_conflicts:
        by_unit: dict[int, set[str]] = defaultdict(set)
        for unit_id, code in unit_conflicts:
            by_unit[unit_id].add(code)
        for uscc, unit_id in (
            organizations_registered_on(day=as_of)
            .filter(supervising_unit_id__in=by_unit)
            .values_list("uscc", "supervising_unit_id")
        ):
            if uscc in population_set:
                conflicts[uscc] |= by_unit[unit_id]
    return roster, dict(conflicts)


def _parse_conflicts(text: str) -> dict[str, set[str]]:
    conflicts: dict[str, set[str]] = defaultdict(set)
    for line in text.split("\n") if text else []:
        uscc, inspector = line.split("\t")
        conflicts[uscc].add(inspector)
    return dict(conflicts)


def _parse_strata(text: str) -> dict[str, list[str]] | None:
    if not text:
        return None
    strata: dict[str, list[str]] = defaultdict(list)
    for line in text.split("\n"):
        stratum, uscc = line.split("\t")
        strata[stratum].append(uscc)
    return dict(strata)


def draw_inputs(draw: InspectionDraw) -> dict[str, Any]:
    """What the frozen record feeds into `draw.execute` (also used by verify_draw)."""
    return {
        "ratio": draw.ratio,
        "population": draw.population_text.split("\n") if draw.population_text else [],
        "strata": _parse_strata(draw.strata_text),
        "roster": draw.roster_text.split("\n") if draw.roster_text else [],
        "conflicts": _parse_conflicts(draw.conflicts_text),
        "per_org": draw.inspectors_per_org,
        "window": draw.candidate_window,
    }


def inspection_draw_create(
    *,
    kind: str,
    year: int,
    round: int = 1,
    ratio: Decimal = draw_algorithm.DEFAULT_RATIO,
    stratify_by: str = "",
    public_value_source: str = "",
    public_value_known_at: datetime.datetime | None = None,
    report_year: int | None = None,
    as_of: datetime.date | None = None,
    population_rule: str = "",
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> tuple[InspectionDraw, bool]:
    """Step 1 (commit): freeze population, roster and conflicts, publish their hashes and
    SHA-256(nonce). Returns (draw, created); an existing draw of the same (kind, year,
    round) is returned unchanged, so running the step twice, or in two workers, makes one.
    `at` is the draw's creation time (default now; the demo passes its own)."""
    existing = InspectionDraw.objects.filter(kind=kind, year=year, round=round).first()
    if existing:
        return existing, False
    as_of = as_of or timezone.localdate()
    ratio = Decimal(str(ratio))
    codes, strata = draw_population(as_of=as_of, stratify_by=stratify_by)
    roster, conflicts = draw_roster_and_conflicts(as_of=as_of, population=codes)
    nonce = draw_algorithm.new_nonce()
    if public_value_known_at is not None:
        # The commitment binds the time to the minute (D17); store exactly what is bound.
        public_value_known_at = public_value_known_at.replace(second=0, microsecond=0)
    known_at_text = InspectionDraw(
        public_value_known_at=public_value_known_at
    ).public_value_known_at_text
    try:
        commitment = draw_algorithm.commit(
            ratio=ratio,
            roster=roster,
            conflicts=conflicts,
            nonce=nonce,
            population=codes,
            strata=strata,
            public_value_source=public_value_source,
            public_value_known_at=known_at_text,
        )
    except draw_algorithm.DrawError as exc:
        raise ValidationError({"__all__": str(exc)}) from exc
    if report_year is None and kind == DrawKind.ANNUAL_REPORT_AUDIT:
        report_year = year - 1  # D16: the year's audit covers last year's reports
    draw = InspectionDraw(
        kind=kind,
        year=year,
        report_year=report_year,
        round=round,
        ratio=ratio,
        stratify_by=stratify_by,
        population_rule=population_rule or f"{as_of} 在册（正常、注销办理中）的社会组织",
        population_as_of=as_of,
        population_size=commitment.population_size,
        sample_size=commitment.sample_size,
        ratio_warning=commitment.warning or "",
        inspectors_per_org=commitment.inspectors_per_organization,
        candidate_window=commitment.candidate_window,
        population_text=draw_algorithm.population_text(codes=codes),
        population_hash=commitment.population_sha256,
        strata_text=draw_algorithm.strata_text(strata=strata) if strata else "",
        strata_hash=commitment.strata_sha256 or "",
        roster_text=draw_algorithm.roster_text(codes=roster),
        roster_hash=commitment.roster_sha256,
        conflicts_text=draw_algorithm.conflicts_text(conflicts=conflicts),
        conflicts_hash=commitment.conflicts_sha256,
        nonce=nonce,
        nonce_hash=commitment.nonce_sha256,
        public_value_source=commitment.public_value_source,
        public_value_known_at=public_value_known_at,
        created_by=saved_user(actor),
    )
    try:
        with transaction.atomic():
            draw.save()
    except IntegrityError:
        # Another worker committed the same (kind, year, round) first: theirs stands.
        return InspectionDraw.objects.get(kind=kind, year=year, round=round), False
    if at is not None:  # created_at is auto_now_add: dated after the insert, not yet executed
        InspectionDraw.objects.filter(pk=draw.pk).update(created_at=at)
        draw.created_at = at
    return draw, True


def inspection_draw_execute(
    *,
    draw_id: int,
    public_value: str = "",
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> tuple[InspectionDraw, bool]:
    """Step 2 (reveal): seed = SHA-256(nonce ‖ public value), select and assign, write the
    inspections, all in one transaction under a row lock. Returns (draw, executed_now); a
    draw already executed with the same public value is returned as it is, any other
    attempt to execute it again is refused (DESIGN.md §4.2 step 2.3). `at` is the execution
    time (default now)."""
    with transaction.atomic():
        draw = InspectionDraw.objects.select_for_update().get(pk=draw_id)
        if draw.is_executed:
            if public_value and public_value != draw.public_value:
                raise ValidationError(
                    {"public_value": "该抽查已经执行，不能重新执行或更换公开随机值。"}
                )
            return draw, False
        _check_public_value(draw, public_value)
        try:
            result = draw_algorithm.execute(
                nonce=bytes(draw.nonce), public_value=public_value, **draw_inputs(draw)
            )
        except draw_algorithm.DrawError as exc:
            raise ValidationError({"__all__": str(exc)}) from exc
        moment = at or timezone.now()
        _write_inspections(draw=draw, result=result, at=moment)
        draw.status = DrawStatus.EXECUTED
        draw.public_value = public_value
        draw.seed = result.seed.hex()
        draw.executed_at = moment
        draw.executed_by = saved_user(actor)
        draw.save(update_fields=["status", "public_value", "seed", "executed_at", "executed_by"])
        transaction.on_commit(lambda: draw_public_files_write(draw=draw))
    return draw, True


PUBLIC_FILES = {
    "population.txt": "population_text",
    "roster.txt": "roster_text",
    "conflicts.tsv": "conflicts_text",
    "strata.tsv": "strata_text",
    "draw.json": None,
}


def draw_public_file_path(draw: InspectionDraw, name: str) -> str:
    # The commitment in the folder name: a file can only ever belong to this one draw, even
    # if a database is restored beside an older media folder whose draws had the same ids.
    return f"public/draws/{draw.pk}-{draw.nonce_hash[:16]}/{name}"


def draw_public_files_write(*, draw: InspectionDraw) -> dict[str, str]:
    """一公开: write an executed draw's public files once, with the SHA-256 of each beside it
    (served as its ETag). They never change after execution (the draw row is immutable), so
    the public pages serve these files instead of rebuilding megabytes on every request.
    Returns {name: sha256}; files already written are left as they are."""
    from oversight.inspections.selectors import draw_published_document

    if not draw.is_executed:
        raise ValidationError({"__all__": "抽查尚未执行，不能生成公开文件。"})
    digests = {}
    for name, field in PUBLIC_FILES.items():
        if name == "strata.tsv" and not draw.strata_hash:
            continue
        path = draw_public_file_path(draw, name)
        if default_storage.exists(path) and default_storage.exists(f"{path}.sha256"):
            with default_storage.open(f"{path}.sha256", "rb") as handle:
                digests[name] = handle.read().decode("ascii")
            continue
        text = draw_published_document(draw) if field is None else getattr(draw, field)
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        default_storage.save(f"{path}.sha256", ContentFile(digest.encode("ascii")))
        default_storage.save(path, ContentFile(data))
        digests[name] = digest
    return digests


def _check_public_value(draw: InspectionDraw, public_value: str) -> None:
    """D17: only the value declared at creation, and only once it is known. A value for a
    draw that declared none would let whoever holds the nonce try values offline and pick
    the selection; a declared value used before its time was not yet public."""
    if not draw.public_value_source:
        if public_value:
            raise ValidationError(
                {"public_value": "创建时未声明公开随机值来源，执行时不能使用公开随机值（D17）。"}
            )
        return
    if not public_value.strip():
        raise ValidationError(
            {
                "public_value": f"创建时声明了公开随机值来源（{draw.public_value_source}），"
                "须录入该值后执行。"
            }
        )
    if draw.public_value_known_at and timezone.now() < draw.public_value_known_at:
        raise ValidationError(
            {
                "public_value": f"声明的公开随机值在 {draw.public_value_known_at_text} 才公布，"
                "此前不能执行（D17）。"
            }
        )


_ID_CHUNK = 20000


def _ids_by_code(model, field: str, codes: list[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for start in range(0, len(codes), _ID_CHUNK):
        chunk = codes[start : start + _ID_CHUNK]
        ids.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, "id"))
    return ids


def _write_inspections(
    *, draw: InspectionDraw, result: draw_algorithm.DrawResult, at: datetime.datetime
) -> None:
    """Insert the selection and its inspectors set-wise (COPY on PostgreSQL: a national draw
    writes ~100k inspections and ~200k assignments inside the execution transaction)."""
    from django.db import connection

    inspector_ids = dict(Inspector.objects.values_list("code", "id"))
    if connection.vendor == "postgresql":
        # bulk_create spent ~85% of a 1M-organization draw preparing values field by field
        # (scripts/bench.py, section draw); COPY of plain text rows does the same writes.
        # One `= ANY(array)` look-up of the ids instead of chunks of 20,000-item IN lists.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT uscc, id FROM {connection.ops.quote_name(Organization._meta.db_table)} "
                "WHERE uscc = ANY(%s)",
                [result.selected],
            )
            org_ids = dict(cursor.fetchall())
        _copy_inspections(
            draw=draw, result=result, org_ids=org_ids, inspector_ids=inspector_ids, at=at
        )
        return
    org_ids = _ids_by_code(Organization, "uscc", result.selected)
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


def _copy_defaults(model, known: set[str]) -> tuple[list[str], str]:
    """The columns of `model` that a COPY does not set itself, with their defaults as one
    tab-prefixed text, so that a field added later with a default needs no change here."""
    from django.db import connection

    columns, text = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in known:
            continue
        columns.append(f.column)
        text.append("\t" + copy_text_value(f.get_db_prep_save(f.get_default(), connection)))
    return columns, "".join(text)


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

    qn = connection.ops.quote_name
    k = len(result.selected)
    if not k:
        return
    table = Inspection._meta.db_table
    with connection.cursor() as cursor:
        # Ids from the table's own sequence, so the assignments can name their inspection.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, k],
        )
        ids = [row[0] for row in cursor.fetchall()]
        extra_columns, extra_text = _copy_defaults(
            Inspection, {"draw_id", "organization_id", "position", "stratum"}
        )
        rows = io.StringIO()
        write = rows.write
        prefix = f"\t{draw.pk}\t"
        for pk, position, uscc in zip(ids, range(1, k + 1), result.selected, strict=True):
            write(
                f"{pk}{prefix}{org_ids[uscc]}\t{position}\t"
                f"{copy_text_value(result.stratum_of.get(uscc, ''))}{extra_text}\n"
            )
        rows.seek(0)
        columns = ["id", "draw_id", "organization_id", "position", "stratum", *extra_columns]
        cursor.copy_expert(
            f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN", rows
        )

        # The draw row is the decision record; the inspections' own history starts here.
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
            f"SELECT {', '.join(select)} FROM {qn(table)} WHERE draw_id = %s ORDER BY id",
            [*params, draw.pk],
        )

        assignments = io.StringIO()
        write = assignments.write
        for pk, uscc in zip(ids, result.selected, strict=True):
            for i, code in enumerate(result.assignments[uscc], start=1):
                write(f"{pk}\t{inspector_ids[code]}\t{i}\n")
        assignments.seek(0)
        cursor.copy_expert(
            f"COPY {qn(InspectionAssignment._meta.db_table)} "
            "(inspection_id, inspector_id, position) FROM STDIN",
            assignments,
        )


def inspection_draw_verify(*, draw: InspectionDraw) -> list[str]:
    """Recompute an executed draw from its stored frozen inputs and compare it with the stored
    hashes, seed, inspections and assignments; the differences, empty when all agree."""
    problems: list[str] = []
    if not draw.is_executed:
        return ["该抽查尚未执行，无可核验的结果。"]
    inputs = draw_inputs(draw)
    checks = [
        (
            "抽查对象名录",
            draw_algorithm.population_hash(codes=inputs["population"]),
            draw.population_hash,
        ),
        ("检查人员名录", draw_algorithm.roster_hash(codes=inputs["roster"]), draw.roster_hash),
        (
            "回避关系",
            draw_algorithm.conflicts_hash(conflicts=inputs["conflicts"]),
            draw.conflicts_hash,
        ),
        (
            "随机数",
            draw_algorithm.nonce_hash(
                nonce=bytes(draw.nonce),
                declaration=draw_algorithm.public_value_declaration(
                    source=draw.public_value_source, known_at=draw.public_value_known_at_text
                ),
            ),
            draw.nonce_hash,
        ),
    ]
    if inputs["strata"] is not None or draw.strata_hash:
        checks.append(
            ("分层表", draw_algorithm.strata_hash(strata=inputs["strata"] or {}), draw.strata_hash)
        )
    for label, computed, stored in checks:
        if computed != stored:
            problems.append(f"{label}的 SHA-256 不符：重新计算为 {computed}，记录为 {stored}。")
    if len(inputs["population"]) != draw.population_size:
        problems.append(
            f"抽查总体数不符：名录有 {len(inputs['population'])} 家，记录为 {draw.population_size}。"
        )
    try:
        result = draw_algorithm.execute(
            nonce=bytes(draw.nonce), public_value=draw.public_value, **inputs
        )
    except draw_algorithm.DrawError as exc:
        return [*problems, f"无法重新计算：{exc}"]
    if result.seed.hex() != draw.seed:
        problems.append(f"种子不符：重新计算为 {result.seed.hex()}，记录为 {draw.seed}。")
    if result.sample_size != draw.sample_size:
        problems.append(
            f"抽取数量不符：重新计算为 {result.sample_size}，记录为 {draw.sample_size}。"
        )
    # Plain rows, not ORM objects: a national draw has ~100k inspections and ~200k assignments.
    recorded = draw_stored_result(draw)
    stored = {
        uscc: (position, recorded.assignments[uscc])
        for position, uscc in enumerate(recorded.selected, start=1)
    }
    expected = {
        uscc: (position, result.assignments[uscc])
        for position, uscc in enumerate(result.selected, start=1)
    }
    for uscc in sorted(expected.keys() - stored.keys()):
        problems.append(f"应抽中但记录中没有：{uscc}")
    for uscc in sorted(stored.keys() - expected.keys()):
        problems.append(f"记录中有但不应抽中：{uscc}")
    for uscc in sorted(expected.keys() & stored.keys()):
        if expected[uscc] != stored[uscc]:
            problems.append(
                f"{uscc} 的顺序或检查人员不符：应为 {expected[uscc]}，记录为 {stored[uscc]}。"
            )
    return problems
