"""Reads of supervision shared by admin, API, public pages, jobs and later apps."""

from __future__ import annotations

import datetime

from django.db.models import F, FilteredRelation, Q, QuerySet

from registry.choices import OrganizationType
from registry.models import Organization
from registry.selectors import organizations_registered_on

from . import draw as draw_algorithm
from .choices import InspectionOutcome, InspectionStatus
from .models import (
    AnnualReportCycle,
    Inspection,
    InspectionAssignment,
    InspectionDraw,
)


def organizations_owing_report(*, cycle: AnnualReportCycle) -> QuerySet[Organization]:
    """Organizations that owe a report for the cycle's year: on the register at the bureau
    deadline and established by 31 December of the year, except 民非 established on or after
    the exemption cut-off (R-ANN-02, D3)."""
    return (
        organizations_registered_on(day=cycle.bureau_deadline)
        .filter(established_on__lte=datetime.date(cycle.year, 12, 31))
        .exclude(
            org_type=OrganizationType.PRIVATE_NON_ENTERPRISE,
            established_on__gte=cycle.exemption_cutoff,
        )
    )


def organizations_missing_report(
    *, cycle: AnnualReportCycle, as_of: datetime.date
) -> QuerySet[Organization]:
    """Organizations with no sealed report for the year filed by the bureau deadline, once the
    deadline has passed (R-ANN-01/06, R-CRD-02(1)); empty before the deadline. Each row carries
    `report_submitted_on` / `report_is_sealed` of the late or unsealed report filed by `as_of`
    (null when there is none), which is what the credit rule's explanation quotes.

    One left join on the (organization, year)-unique report rather than an anti-join plus a
    lookup per candidate: the credit rules run this over a national register every day."""
    if as_of <= cycle.bureau_deadline:
        return Organization.objects.none()
    return (
        organizations_owing_report(cycle=cycle)
        .annotate(
            report=FilteredRelation(
                "annual_reports",
                # A report filed after `as_of` was not in yet on that day.
                condition=Q(
                    annual_reports__year=cycle.year, annual_reports__submitted_on__lte=as_of
                ),
            )
        )
        .filter(
            Q(report__id__isnull=True)
            | Q(report__is_sealed=False)
            | Q(report__submitted_on__gt=cycle.bureau_deadline)
        )
        .annotate(
            report_submitted_on=F("report__submitted_on"), report_is_sealed=F("report__is_sealed")
        )
        .select_related("supervising_unit", "industry_category")
        .order_by("supervising_unit__code", "uscc")
    )


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


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday–Friday) after `start`; public holidays are not modelled."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def inspection_publication_due(
    inspection: Inspection, *, working_days: int
) -> datetime.date | None:
    """The date by which a completed inspection's result must be public (R-INS-09, D4)."""
    if inspection.completed_on is None:
        return None
    return add_working_days(inspection.completed_on, working_days)


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
        metadata={"kind": draw.kind, "year": draw.year, "round": draw.round},
    )
    return draw_algorithm.draw_document_json(doc)
