"""The two steps of a draw, commit and execute, and the document published with it (DESIGN.md §4.2)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from oversight.inspections.draw.assignment import (
    _check_assignment_parameters,
    assign_inspectors,
    inspector_shortages,
)
from oversight.inspections.draw.core import (
    DEFAULT_CANDIDATE_WINDOW,
    DEFAULT_INSPECTORS_PER_ORG,
    PROTOCOL,
    DrawError,
    InsufficientInspectorsError,
    _keyed_ranks,
    _sha256_hex,
    _smallest,
    _sorted_unique_inspectors,
    _sorted_unique_orgs,
    conflicts_hash,
    draw_seed,
    nonce_hash,
    public_value_declaration,
    ratio_warning,
    sample_size,
    select_stratified,
    strata_hash,
)

# ------------------------------------------------------------------ the whole draw


@dataclass(frozen=True)
class DrawCommitment:
    """What the public page shows from creation on (DESIGN.md §4.2 step 1)."""

    ratio: Decimal
    population_size: int
    sample_size: int
    population_sha256: str
    roster_size: int
    roster_sha256: str
    conflicts_sha256: str
    strata_sha256: str | None
    nonce_sha256: str
    public_value_source: str
    public_value_known_at: str
    inspectors_per_organization: int
    candidate_window: int
    warning: str | None = None


@dataclass(frozen=True)
class DrawResult:
    """What execution adds (DESIGN.md §4.2 step 2); `selected` in ascending rank order."""

    seed: bytes
    sample_size: int
    selected: list[str]
    assignments: dict[str, list[str]]
    allocation: dict[str, int] | None = None
    stratum_of: dict[str, str] = field(default_factory=dict)


def _population_of(
    population: Iterable[str] | None, strata: Mapping[str, Iterable[str]] | None
) -> list[str]:
    if strata is None:
        if population is None:
            raise DrawError("未提供抽查总体。")
        return _sorted_unique_orgs(population)
    members = _sorted_unique_orgs(code for codes in strata.values() for code in codes)
    if population is not None and _sorted_unique_orgs(population) != members:
        raise DrawError("分层名单与抽查总体不一致：每家组织必须恰好属于一个分层。")
    return members


def commit(
    *,
    ratio: Decimal,
    roster: Iterable[str],
    conflicts: Mapping[str, Iterable[str]],
    nonce: bytes,
    population: Iterable[str] | None = None,
    strata: Mapping[str, Iterable[str]] | None = None,
    public_value_source: str = "",
    public_value_known_at: str = "",
    per_org: int = DEFAULT_INSPECTORS_PER_ORG,
    window: int = DEFAULT_CANDIDATE_WINDOW,
) -> DrawCommitment:
    """The commit step: freeze and hash everything; refuse a draw that could not be executed.

    Give `population`, or `strata` (stratum → codes; their union is the population), or
    both when they must agree.
    """
    codes = _population_of(population, strata)
    if not codes:
        raise DrawError("抽查总体为空：没有可抽取的社会组织，不能创建抽查。")
    declaration = public_value_declaration(
        source=public_value_source, known_at=public_value_known_at
    )
    ordered_roster = _sorted_unique_inspectors(roster)
    _check_assignment_parameters(per_org=per_org, window=window)
    shortages = inspector_shortages(
        organizations=codes, roster=ordered_roster, conflicts=conflicts, per_org=per_org
    )
    if shortages:
        raise InsufficientInspectorsError(shortages=shortages, per_org=per_org)
    text = "\n".join(codes)
    return DrawCommitment(
        ratio=ratio,
        population_size=len(codes),
        sample_size=sample_size(n=len(codes), ratio=ratio),
        population_sha256=_sha256_hex(text),
        roster_size=len(ordered_roster),
        roster_sha256=_sha256_hex("\n".join(ordered_roster)),
        conflicts_sha256=conflicts_hash(conflicts=conflicts),
        strata_sha256=None if strata is None else strata_hash(strata=strata),
        nonce_sha256=nonce_hash(nonce=nonce, declaration=declaration),
        public_value_source=public_value_source.strip(),
        public_value_known_at=public_value_known_at.strip(),
        inspectors_per_organization=per_org,
        candidate_window=window,
        warning=ratio_warning(ratio=ratio),
    )


def execute(
    *,
    nonce: bytes,
    public_value: str,
    ratio: Decimal,
    roster: Iterable[str],
    conflicts: Mapping[str, Iterable[str]],
    population: Iterable[str] | None = None,
    strata: Mapping[str, Iterable[str]] | None = None,
    per_org: int = DEFAULT_INSPECTORS_PER_ORG,
    window: int = DEFAULT_CANDIDATE_WINDOW,
) -> DrawResult:
    """The reveal step: seed, selection (stratified if `strata`) and inspector assignment."""
    seed = draw_seed(nonce=nonce, public_value=public_value)
    codes = _population_of(population, strata)
    k = sample_size(n=len(codes), ratio=ratio)
    roster_list = _sorted_unique_inspectors(roster)
    if strata is None:
        selected = _smallest(_keyed_ranks(seed, codes), k)
        allocation = None
        stratum_of: dict[str, str] = {}
    else:
        stratified = select_stratified(seed=seed, strata=strata, k=k)
        selected = stratified.selected
        allocation = stratified.allocation
        stratum_of = {u: key for key, us in stratified.by_stratum.items() for u in us}
    assignments = assign_inspectors(
        seed=seed,
        selected=selected,
        roster=roster_list,
        conflicts=conflicts,
        per_org=per_org,
        window=window,
    )
    return DrawResult(
        seed=seed,
        sample_size=k,
        selected=selected,
        assignments=assignments,
        allocation=allocation,
        stratum_of=stratum_of,
    )


def draw_document(
    *,
    commitment: DrawCommitment,
    result: DrawResult | None = None,
    nonce: bytes | None = None,
    public_value: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The published `draw.json` (docs/draw-protocol.md §7) as a JSON-ready dict.

    Before execution pass only the commitment; afterwards also the result, nonce and
    public value. `metadata` (kind, year, round, title, …) is copied under "draw".
    """
    doc: dict[str, Any] = {
        "protocol": PROTOCOL,
        "draw": dict(metadata or {}),
        "ratio": str(commitment.ratio),
        "population_size": commitment.population_size,
        "sample_size": commitment.sample_size,
        "population_sha256": commitment.population_sha256,
        "roster_size": commitment.roster_size,
        "roster_sha256": commitment.roster_sha256,
        "conflicts_sha256": commitment.conflicts_sha256,
        "strata_sha256": commitment.strata_sha256,
        "nonce_sha256": commitment.nonce_sha256,
        "public_value_source": commitment.public_value_source,
        "public_value_known_at": commitment.public_value_known_at,
        "inspectors_per_organization": commitment.inspectors_per_organization,
        "candidate_window": commitment.candidate_window,
    }
    if result is not None:
        if nonce is None or public_value is None:
            raise DrawError("公布抽查结果时必须同时公布随机数（nonce）和公共随机值。")
        doc["nonce"] = nonce.hex()
        doc["public_value"] = public_value
        doc["seed"] = result.seed.hex()
        doc["strata_allocation"] = result.allocation
        doc["selection"] = [
            {
                "uscc": u,
                **({"stratum": result.stratum_of[u]} if result.stratum_of else {}),
                "inspectors": result.assignments[u],
            }
            for u in result.selected
        ]
    return doc


def draw_document_json(doc: Mapping[str, Any]) -> str:
    """Stable text for `draw.json`: UTF-8 friendly (Chinese stays readable), indented."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
