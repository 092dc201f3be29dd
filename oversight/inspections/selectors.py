"""Reads of supervision shared by admin, API, public pages, jobs and later apps."""

from __future__ import annotations

import datetime
import io

from django.db.models import Q, QuerySet
from django.utils import timezone

from common.excel import xlsx_discard
from oversight.inspections import draw as draw_algorithm
from oversight.inspections.choices import InspectionOutcome, InspectionStatus
from oversight.inspections.models import Circular, Inspection, InspectionAssignment, InspectionDraw
from registry.models import Organization

USCC_HEADER = "统一社会信用代码"


def inspections_overdue_rectification(*, as_of: datetime.date) -> QuerySet[Inspection]:
    """Findings whose rectification deadline has passed unverified: abnormal-list candidates
    (R-CRD-02(3), DESIGN.md §4.3)."""
    return (
        Inspection.objects.filter(
            status=InspectionStatus.COMPLETED,
            outcome=InspectionOutcome.RECTIFICATION_REQUIRED,
            rectification_deadline__lt=as_of,
        )
        .filter(Q(rectification_verified_on__isnull=True) | Q(rectification_verified_on__gt=as_of))
        .select_related("organization", "draw")
    )


# ------------------------------------------------------------------ publication (一公开)


def draw_commitment(draw: InspectionDraw) -> draw_algorithm.DrawCommitment:
    """The public commitment of a draw, rebuilt from its frozen record."""
    return draw_algorithm.DrawCommitment(
        ratio=draw.ratio,
        population_size=draw.population_size,
        sample_size=draw.sample_size,
        population_sha256=draw.population_hash,
        roster_size=len(draw.roster_text.split("\n")) if draw.roster_text else 0,
        roster_sha256=draw.roster_hash,
        conflicts_sha256=draw.conflicts_hash,
        strata_sha256=draw.strata_hash or None,
        nonce_sha256=draw.nonce_hash,
        public_value_source=draw.public_value_source,
        public_value_known_at=draw.public_value_known_at_text,
        inspectors_per_organization=draw.inspectors_per_org,
        candidate_window=draw.candidate_window,
        warning=draw.ratio_warning or None,
    )


def draw_stored_result(draw: InspectionDraw) -> draw_algorithm.DrawResult | None:
    """The stored outcome of an executed draw (selection in rank order, inspectors in
    assignment order), in the shape the published draw.json and the verifier use."""
    if not draw.is_executed:
        return None
    selected: list[str] = []
    stratum_of: dict[str, str] = {}
    for uscc, stratum in draw.inspections.order_by("position").values_list(
        "organization__uscc", "stratum"
    ):
        selected.append(uscc)
        if stratum:
            stratum_of[uscc] = stratum
    assignments: dict[str, list[str]] = {u: [] for u in selected}
    for uscc, code in (
        InspectionAssignment.objects.filter(inspection__draw=draw)
        .order_by("inspection__position", "position")
        .values_list("inspection__organization__uscc", "inspector__code")
    ):
        assignments[uscc].append(code)
    allocation = None
    if draw.strata_text:
        allocation = dict.fromkeys(
            sorted({line.split("\t")[0] for line in draw.strata_text.split("\n")}), 0
        )
        for stratum in stratum_of.values():
            allocation[stratum] += 1
    return draw_algorithm.DrawResult(
        seed=bytes.fromhex(draw.seed),
        sample_size=draw.sample_size,
        selected=selected,
        assignments=assignments,
        allocation=allocation,
        stratum_of=stratum_of,
    )


def draw_published_document(draw: InspectionDraw) -> str:
    """draw.json as published (docs/draw-protocol.md §3): the commitment from creation on,
    the nonce, public value, seed and selection once executed."""
    result = draw_stored_result(draw)
    doc = draw_algorithm.draw_document(
        commitment=draw_commitment(draw),
        result=result,
        nonce=bytes(draw.nonce) if result else None,
        public_value=draw.public_value if result else None,
        metadata={
            "kind": draw.kind,
            "year": draw.year,
            "round": draw.round,
            **(
                {"executed_at": timezone.localtime(draw.executed_at).isoformat(timespec="seconds")}
                if result and draw.executed_at
                else {}
            ),
        },
    )
    return draw_algorithm.draw_document_json(doc)


def circular_attachment_rows_for_unit(*, circular: Circular, unit_id: int) -> bytes | None:
    """A district-wide circular's workbook as one department may see it: on every sheet with
    a 统一社会信用代码 column, only the rows of the organizations that unit supervises; sheets
    without one are left out. None when nothing of the workbook concerns the unit.

    A circular addressed to nobody in particular (e.g. the missing-report list) goes to every
    department, but each department's token must see only its own organizations' rows."""
    from openpyxl import Workbook, load_workbook

    with circular.attachment.open("rb") as handle:
        source = load_workbook(io.BytesIO(handle.read()), read_only=True)
    own = set(
        Organization.objects.filter(supervising_unit_id=unit_id).values_list("uscc", flat=True)
    )
    result = Workbook(write_only=True)
    kept = 0
    for sheet in source.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or USCC_HEADER not in header:
            continue
        column = header.index(USCC_HEADER)
        target = result.create_sheet(sheet.title)
        target.append(list(header))
        for row in rows:
            if row[column] in own:
                target.append(list(row))
                kept += 1
    source.close()
    if not kept:
        xlsx_discard(result)
        return None
    buffer = io.BytesIO()
    result.save(buffer)
    return buffer.getvalue()
