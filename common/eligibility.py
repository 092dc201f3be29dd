"""Obstacles to an organization's eligibility that other apps know about (R-CRD-13, D9, D12).

Funding must check credit standing and annual-report status live (at application, approval,
each payment, catalog publication), but those records belong to oversight, and funding may
not import oversight. So the apps that hold such records register *obstacle providers* here
from their AppConfig.ready(), and funding asks `organization_obstacles`.

A provider is `func(organization_ids, on) -> {organization_id: [reason, …]}`:
- `organization_ids` is a list of pks, or None for every organization (a whole-register run
  such as the catalog: the provider then answers with one set-based query, never a list of
  a million ids);
- `on` is the date the question is asked for (a payment's date, a publication date);
- each reason is Chinese, shown to staff as is and stored with held payments, e.g.
  "列入活动异常名录（2022-03-01）".
Organizations without obstacles are simply absent from the answer.

Each provider says which checks it serves (`purposes`): a missing annual report bars the
catalog (D9) but does not hold a grant payment, a serious listing bars both (R-CRD-13).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

ObstacleProvider = Callable[[Sequence[int] | None, datetime.date], dict[int, list[str]]]

# What an eligibility check is for; a provider registered without `purposes` serves all.
FUND = "fund"  # 专项资金 application, approval and payment (R-FND-04, D12)
CATALOG = "catalog"  # 购买服务目录 (R-PUR-01/05, D9)
RATING = "rating"  # 等级评估 application (R-EVL-03)
PURPOSES = (FUND, CATALOG, RATING)


@dataclass(frozen=True)
class _Registration:
    func: ObstacleProvider
    purposes: frozenset[str]


_providers: list[_Registration] = []


def register_obstacle_provider(
    func: ObstacleProvider, *, purposes: Iterable[str] = PURPOSES
) -> ObstacleProvider:
    """Add a provider (idempotent: registering the same function again replaces it)."""
    chosen = frozenset(purposes)
    unknown = chosen - set(PURPOSES)
    if unknown:
        raise ValueError(f"unknown purposes: {sorted(unknown)}")
    unregister_obstacle_provider(func)
    _providers.append(_Registration(func=func, purposes=chosen))
    return func


def unregister_obstacle_provider(func: ObstacleProvider) -> None:
    _providers[:] = [r for r in _providers if r.func is not func]


def organization_obstacles(
    organization_ids: Sequence[int] | None, on: datetime.date, *, purpose: str = FUND
) -> dict[int, list[str]]:
    """{organization id: reasons} from every provider serving `purpose`; ids without any
    obstacle are absent. `organization_ids=None` asks about every organization."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose: {purpose}")
    ids = None if organization_ids is None else list(organization_ids)
    if ids == []:
        return {}
    answers = [r.func(ids, on) for r in _providers if purpose in r.purposes]
    if not answers:
        return {}
    # A whole-register check gets hundreds of thousands of answers from one provider and a
    # few from the others: start from the largest and rebuild only the organizations the
    # others name, each with its reasons in provider order.
    largest = max(answers, key=len)
    merged = dict(largest)
    for org_id in set().union(*(a.keys() for a in answers if a is not largest)):
        merged[org_id] = [reason for a in answers for reason in a.get(org_id, ())]
    wanted = None if ids is None else set(ids)
    return {
        org_id: reasons
        for org_id, reasons in merged.items()
        if reasons and (wanted is None or org_id in wanted)
    }


# ------------------------------------------------------------------ one check, several dates

_T = TypeVar("_T")
_snapshot: ContextVar[dict | None] = ContextVar("eligibility_snapshot", default=None)


@contextmanager
def eligibility_snapshot() -> Iterator[None]:
    """A check that asks about several dates at once (the catalog asks at the application
    and at the publication date) runs inside this block, so that a provider can answer a
    question whose answer does not depend on the date once only (`snapshot_memo`). Nothing
    is remembered outside the block: the next check reads the records afresh."""
    token = _snapshot.set({})
    try:
        yield
    finally:
        _snapshot.reset(token)


def snapshot_memo(key: Hashable, compute: Callable[[], _T]) -> _T:
    """`compute()`, remembered under `key` for the rest of the enclosing
    `eligibility_snapshot` (computed every time outside one). The key must name everything
    the answer depends on."""
    memo = _snapshot.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
