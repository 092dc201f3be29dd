"""Inspectors for each selected organization: conflicts excluded, load bounded (R-INS-04, R-INS-10)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from oversight.inspections.draw.core import (
    DEFAULT_CANDIDATE_WINDOW,
    DEFAULT_INSPECTORS_PER_ORG,
    DrawError,
    InsufficientInspectorsError,
    _hmac_states,
    _sorted_unique_inspectors,
)

# ---------------------------------------------------------------- inspector assignment


def load_bound(*, k: int, roster_size: int, per_org: int = DEFAULT_INSPECTORS_PER_ORG) -> int:
    """ceil(per_org·k / roster size) + 1: the most any inspector gets while others are free."""
    if roster_size < 1:
        raise DrawError("检查人员名册为空。")
    return -(-per_org * k // roster_size) + 1


def _check_assignment_parameters(*, per_org: int, window: int) -> None:
    if isinstance(per_org, bool) or not isinstance(per_org, int) or per_org < 1:
        raise DrawError(f"每家组织的检查人员数 {per_org!r} 无效。")
    if isinstance(window, bool) or not isinstance(window, int) or window < per_org:
        raise DrawError(f"候选窗口 {window!r} 不能小于每家组织的检查人员数 {per_org}。")


def inspector_shortages(
    *,
    organizations: Iterable[str],
    roster: Sequence[str],
    conflicts: Mapping[str, Iterable[str]],
    per_org: int = DEFAULT_INSPECTORS_PER_ORG,
) -> dict[str, int]:
    """Organizations left with fewer than `per_org` eligible inspectors, with how many remain.

    Worth calling at creation over the whole population: any member may be drawn.
    """
    roster_set = set(roster)
    size = len(roster_set)
    short = {}
    if size < per_org:
        return dict.fromkeys(organizations, size)
    for uscc in organizations:
        excluded = conflicts.get(uscc)
        if excluded:
            left = size - len(roster_set.intersection(excluded))
            if left < per_org:
                short[uscc] = left
    return short


def _keyed_digest(base, outer_copy, inspector: bytes) -> bytes:
    """HMAC-SHA256(seed, "inspector:" + u + ":" + i) from the precomputed inner state."""
    h = base.copy()
    h.update(inspector)
    o = outer_copy()
    o.update(h.digest())
    return o.digest()


def _candidates(*, levels, lowest: int, excluded, rank, window: int) -> list[tuple]:
    """Step 1 and the order of step 2: the first `window` inspectors without a conflict,
    walking the queue by (load, position), sorted by (load, rank, code)."""
    candidates: list[tuple[int, bytes, str]] = []
    for level in range(lowest, len(levels)):
        for inspector in levels[level]:
            if inspector in excluded:
                continue
            candidates.append((level, rank(inspector), inspector))
            if len(candidates) == window:
                return sorted(candidates)
    return sorted(candidates)


def _move_to_back(levels: list[deque[str]], load: dict[str, int], inspector: str) -> None:
    """Step 3: one more assignment, and to the end of the queue (of its new load level)."""
    level = load[inspector]
    levels[level].remove(inspector)  # near the front: it was among the first scanned
    load[inspector] = level + 1
    if level + 1 == len(levels):
        levels.append(deque())
    levels[level + 1].append(inspector)


def assign_inspectors(
    *,
    seed: bytes,
    selected: Sequence[str],
    roster: Iterable[str],
    conflicts: Mapping[str, Iterable[str]],
    per_org: int = DEFAULT_INSPECTORS_PER_ORG,
    window: int = DEFAULT_CANDIDATE_WINDOW,
) -> dict[str, list[str]]:
    """Inspectors for each selected organization by the queue rule (DESIGN.md §4.2 step 2.2).

    Rule (docs/draw-protocol.md §6): every inspector has a load (assignments so far) and a
    queue position; the queue starts as the roster sorted by code. Organizations are
    served in the order of `selected` (ascending rank). For organization u:
      1. candidates: walking the queue in order of (load, position), the first `window`
         inspectors without a declared conflict with u (R-INS-10);
      2. the `per_org` candidates with the smallest (load, HMAC-SHA256(seed,
         "inspector:" + u + ":" + i), code) are assigned, listed in that order;
      3. each of them gets load + 1 and moves to the end of the queue, in that order.
    Hence nobody is assigned while an eligible colleague has a lower load; without
    conflicts loads never differ by more than one, so none exceeds ceil(per_org·k/R), and
    with conflicts an inspector passes `load_bound` only for an organization that has
    fewer than `per_org` eligible inspectors below it. `window` ≥ roster size makes the
    choice among all least-loaded inspectors; a small window keeps the cost at
    `window` HMACs per organization however large the roster.

    Raises InsufficientInspectorsError (and assigns nothing) if any organization has
    fewer than `per_org` eligible inspectors (R-INS-04).
    """
    ordered_roster = _sorted_unique_inspectors(roster)
    excluded_by_org = _checked_conflicts(
        selected=selected,
        roster=ordered_roster,
        conflicts=conflicts,
        per_org=per_org,
        window=window,
    )
    return _assign_by_queue(
        seed=seed,
        selected=selected,
        ordered_roster=ordered_roster,
        excluded_by_org=excluded_by_org,
        per_org=per_org,
        window=window,
    )


def _checked_conflicts(
    *,
    selected: Sequence[str],
    roster: list[str],
    conflicts: Mapping[str, Iterable[str]],
    per_org: int,
    window: int,
) -> dict[str, frozenset[str]]:
    """The conflicts of the selected organizations that have any, once the parameters, the
    selection (no repeats) and the roster (enough eligible inspectors each) are checked."""
    _check_assignment_parameters(per_org=per_org, window=window)
    if len(set(selected)) != len(selected):
        raise DrawError("被抽中的组织名单有重复。")
    excluded_by_org = {u: frozenset(conflicts.get(u, ())) for u in selected if conflicts.get(u)}
    shortages = inspector_shortages(
        organizations=selected, roster=roster, conflicts=excluded_by_org, per_org=per_org
    )
    if shortages:
        raise InsufficientInspectorsError(shortages=shortages, per_org=per_org)
    return excluded_by_org


def _assign_by_queue(
    *,
    seed: bytes,
    selected: Sequence[str],
    ordered_roster: list[str],
    excluded_by_org: dict[str, frozenset[str]],
    per_org: int,
    window: int,
) -> dict[str, list[str]]:
    """Steps 1–3 of the queue rule for each organization in the order of `selected`."""
    encoded = {i: i.encode("utf-8") for i in ordered_roster}
    # levels[L] holds the inspectors with load L in queue order; moving an inspector to
    # the end of the queue appends it to its new level, which keeps every level in order.
    levels: list[deque[str]] = [deque(ordered_roster)]
    load = dict.fromkeys(ordered_roster, 0)
    lowest = 0
    inner, outer = _hmac_states(seed)
    outer_copy = outer.copy
    no_conflicts: frozenset[str] = frozenset()
    result: dict[str, list[str]] = {}
    for uscc in selected:
        base = inner.copy()
        base.update(b"inspector:" + uscc.encode("ascii") + b":")
        candidates = _candidates(
            levels=levels,
            lowest=lowest,
            excluded=excluded_by_org.get(uscc, no_conflicts),
            rank=lambda inspector, base=base: _keyed_digest(base, outer_copy, encoded[inspector]),
            window=window,
        )
        chosen = [inspector for _, _, inspector in candidates[:per_org]]
        for inspector in chosen:
            _move_to_back(levels, load, inspector)
        while not levels[lowest]:
            lowest += 1
        result[uscc] = chosen
    return result
