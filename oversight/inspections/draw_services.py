"""Draw services: freeze the inputs and commit, execute and store the result (COPY on PostgreSQL), verify."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.actors import saved_user
from oversight.inspections import draw as draw_algorithm
from oversight.inspections.choices import (
    DrawKind,
    DrawStatus,
    DrawStratification,
)
from oversight.inspections.draw_writes import _write_inspections
from oversight.inspections.models import (
    InspectionDraw,
    Inspector,
    InspectorConflict,
)
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


@dataclass(frozen=True)
class _FrozenInputs:
    """What step 1 freezes: the population (and its strata), the roster, the conflicts in
    force, and the secret nonce."""

    codes: list[str]
    strata: dict[str, list[str]] | None
    roster: list[str]
    conflicts: dict[str, set[str]]
    nonce: bytes


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
    frozen = _FrozenInputs(codes, strata, roster, conflicts, draw_algorithm.new_nonce())
    if public_value_known_at is not None:
        # The commitment binds the time to the minute (D17); store exactly what is bound.
        public_value_known_at = public_value_known_at.replace(second=0, microsecond=0)
    commitment = _commitment(
        frozen=frozen,
        ratio=ratio,
        public_value_source=public_value_source,
        public_value_known_at=public_value_known_at,
    )
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
        public_value_known_at=public_value_known_at,
        **_frozen_fields(frozen=frozen, commitment=commitment),
        created_by=saved_user(actor),
    )
    return _draw_save(draw=draw, at=at)


def _commitment(
    *,
    frozen: _FrozenInputs,
    ratio: Decimal,
    public_value_source: str,
    public_value_known_at: datetime.datetime | None,
) -> draw_algorithm.DrawCommitment:
    """The published commitment to the frozen inputs; a refusal of the algorithm (empty
    population, too few inspectors) becomes a validation error."""
    known_at_text = InspectionDraw(
        public_value_known_at=public_value_known_at
    ).public_value_known_at_text
    try:
        return draw_algorithm.commit(
            ratio=ratio,
            roster=frozen.roster,
            conflicts=frozen.conflicts,
            nonce=frozen.nonce,
            population=frozen.codes,
            strata=frozen.strata,
            public_value_source=public_value_source,
            public_value_known_at=known_at_text,
        )
    except draw_algorithm.DrawError as exc:
        raise ValidationError({"__all__": str(exc)}) from exc


def _frozen_fields(
    *, frozen: _FrozenInputs, commitment: draw_algorithm.DrawCommitment
) -> dict[str, Any]:
    """The draw's fields that record the frozen inputs, their hashes and the sizes."""
    strata = frozen.strata
    return {
        "population_size": commitment.population_size,
        "sample_size": commitment.sample_size,
        "ratio_warning": commitment.warning or "",
        "inspectors_per_org": commitment.inspectors_per_organization,
        "candidate_window": commitment.candidate_window,
        "population_text": draw_algorithm.population_text(codes=frozen.codes),
        "population_hash": commitment.population_sha256,
        "strata_text": draw_algorithm.strata_text(strata=strata) if strata else "",
        "strata_hash": commitment.strata_sha256 or "",
        "roster_text": draw_algorithm.roster_text(codes=frozen.roster),
        "roster_hash": commitment.roster_sha256,
        "conflicts_text": draw_algorithm.conflicts_text(conflicts=frozen.conflicts),
        "conflicts_hash": commitment.conflicts_sha256,
        "nonce": frozen.nonce,
        "nonce_hash": commitment.nonce_sha256,
        "public_value_source": commitment.public_value_source,
    }


def _draw_save(
    *, draw: InspectionDraw, at: datetime.datetime | None
) -> tuple[InspectionDraw, bool]:
    try:
        with transaction.atomic():
            draw.save()
    except IntegrityError:
        # Another worker committed the same (kind, year, round) first: theirs stands.
        return InspectionDraw.objects.get(kind=draw.kind, year=draw.year, round=draw.round), False
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
        from oversight.inspections.draw_publication import draw_public_files_write

        transaction.on_commit(lambda: draw_public_files_write(draw=draw))
    return draw, True


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
