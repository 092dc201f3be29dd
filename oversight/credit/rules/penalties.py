"""Rules on penalties: a warning or small fine (R-CRD-02(5)); serious penalties R-CRD-05(2)(3)(4)(7) and repeats R-CRD-05(5)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal

from common.dates import add_months, add_years
from common.policy import policy_values
from oversight.credit.choices import (
    CreditGround,
    CreditList,
    DecisionAction,
    PenaltyKind,
)
from oversight.credit.models import Penalty
from oversight.credit.rules.base import (
    AUTO_REMOVAL,
    PENALTY_WINDOW,
    Candidate,
    _d,
    _is_registered,
    _money,
    _restrict,
)

# R-CRD-05(4): a fine of ¥50,000 or more is serious; below it, R-CRD-02(5). Confirmed in the
# regulation itself [S7], so a constant, not a legal period of common.policy.
LARGE_FINE = Decimal("50000")

# Penalty kinds that list an organization on the serious list by themselves (R-CRD-05).
SERIOUS_PENALTY_GROUNDS = {
    PenaltyKind.CHANGE_REVOKED: CreditGround.S2_FRAUDULENT_CHANGE,
    PenaltyKind.SUSPENSION: CreditGround.S3_SUSPENSION,
    PenaltyKind.CERTIFICATE_REVOKED: CreditGround.S7_CERTIFICATE_REVOKED,
    PenaltyKind.REGISTRATION_REVOKED: CreditGround.S7_CERTIFICATE_REVOKED,
}


def _penalty_text(p: dict) -> str:
    kind = PenaltyKind(p["kind"]).label
    amount = f"{_money(p['amount'])}" if p["kind"] == PenaltyKind.FINE else ""
    return f"{p['decided_on']}{kind}{amount}（{p['decision_no']}）"


def _penalty_evidence(p: dict) -> dict:
    return {
        "id": p["pk"],
        "kind": p["kind"],
        "amount": str(p["amount"]),
        "decided_on": _d(p["decided_on"]),
        "decision_no": p["decision_no"],
    }


def _is_small(p: dict) -> bool:
    return p["kind"] == PenaltyKind.WARNING or (
        p["kind"] == PenaltyKind.FINE and p["amount"] < LARGE_FINE
    )


def _penalties(*, since: datetime.date, as_of: datetime.date, org_ids) -> list[dict]:
    return list(
        _restrict(Penalty.objects.filter(decided_on__gt=since, decided_on__lte=as_of), org_ids)
        .order_by("organization_id", "decided_on", "pk")
        .values(
            "pk",
            "organization_id",
            "kind",
            "amount",
            "decided_on",
            "decision_no",
            "organization__established_on",
            "organization__deregistered_on",
            "organization__revoked_on",
        )
    )


def rule_warning_or_small_fine(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-02(5): a warning or a fine below ¥50,000. Only penalties of the last
    CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS months: such a listing has nothing to rectify and ends
    after that period (R-CRD-07), so an older penalty would be listed and removed at once."""
    periods = policy_values(AUTO_REMOVAL, on=as_of)
    since = add_months(as_of, -periods[AUTO_REMOVAL])
    out = []
    for p in _penalties(since=since, as_of=as_of, org_ids=org_ids):
        if not _is_small(p) or not _is_registered(p, as_of):
            continue
        out.append(
            Candidate(
                organization_id=p["organization_id"],
                action=DecisionAction.LIST,
                list_type=CreditList.ABNORMAL,
                ground=CreditGround.A5_WARNING_OR_SMALL_FINE,
                rule="R-CRD-02(5)",
                rule_key=f"list:R-CRD-02(5):{p['organization_id']}:{p['pk']}",
                explanation=f"受到行政处罚：{_penalty_text(p)}",
                evidence={"penalty_id": p["pk"], "penalties": [_penalty_evidence(p)]},
                event_on=p["decided_on"],
                periods=periods,
            )
        )
    return out


def rule_serious_penalty(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-05(2)(3)(4)(7): change registration revoked, suspension of activities, a fine of
    ¥50,000 or more, certificate or establishment registration revoked — each decided within
    the last CREDIT_PENALTY_WINDOW_YEARS years. (7) applies to organizations no longer
    registered too: the revocation is what ends their registration."""
    periods = policy_values(PENALTY_WINDOW, on=as_of)
    since = add_years(as_of, -periods[PENALTY_WINDOW])
    out = []
    for p in _penalties(since=since, as_of=as_of, org_ids=org_ids):
        if p["kind"] == PenaltyKind.FINE and p["amount"] >= LARGE_FINE:
            ground = CreditGround.S4_LARGE_FINE
        elif p["kind"] in SERIOUS_PENALTY_GROUNDS:
            ground = SERIOUS_PENALTY_GROUNDS[p["kind"]]
        else:
            continue
        if ground != CreditGround.S7_CERTIFICATE_REVOKED and not _is_registered(p, as_of):
            continue
        out.append(
            Candidate(
                organization_id=p["organization_id"],
                action=DecisionAction.LIST,
                list_type=CreditList.SERIOUS,
                ground=ground,
                rule=ground.value,
                rule_key=f"list:{ground.value}:{p['organization_id']}:{p['pk']}",
                explanation=f"受到行政处罚：{_penalty_text(p)}",
                evidence={"penalty_id": p["pk"], "penalties": [_penalty_evidence(p)]},
                event_on=p["decided_on"],
                periods=periods,
            )
        )
    return out


def rule_repeated_penalties(
    *, as_of: datetime.date, org_ids: Collection[int] | None = None
) -> list[Candidate]:
    """R-CRD-05(5), D5: two or more warnings or fines below ¥50,000 within a rolling window of
    CREDIT_PENALTY_WINDOW_YEARS years (the window of a penalty decided on D runs from the day
    after D − 3 years to D). One candidate per organization, for the latest penalty that
    completes the count within the last window; a later one is a new event (R-CRD-06)."""
    periods = policy_values(PENALTY_WINDOW, on=as_of)
    years = periods[PENALTY_WINDOW]
    since = add_years(as_of, -2 * years)
    recent_from = add_years(as_of, -years)
    by_org: dict[int, list[dict]] = defaultdict(list)
    for p in _penalties(since=since, as_of=as_of, org_ids=org_ids):
        if _is_small(p):
            by_org[p["organization_id"]].append(p)
    out = []
    for org_id, smalls in by_org.items():
        if not _is_registered(smalls[-1], as_of):
            continue
        for index in range(len(smalls) - 1, 0, -1):
            last = smalls[index]
            if last["decided_on"] <= recent_from:
                break
            start = add_years(last["decided_on"], -years) + datetime.timedelta(days=1)
            window = [p for p in smalls[: index + 1] if p["decided_on"] >= start]
            if len(window) < 2:
                continue
            out.append(
                Candidate(
                    organization_id=org_id,
                    action=DecisionAction.LIST,
                    list_type=CreditList.SERIOUS,
                    ground=CreditGround.S5_REPEATED_PENALTIES,
                    rule="R-CRD-05(5)",
                    rule_key=f"list:R-CRD-05(5):{org_id}:{last['pk']}",
                    explanation=(
                        f"{start}至{last['decided_on']}期间受到{len(window)}次警告或罚款："
                        + "、".join(_penalty_text(p) for p in window)
                    ),
                    evidence={
                        "penalty_id": last["pk"],
                        "window": [_d(start), _d(last["decided_on"])],
                        "penalties": [_penalty_evidence(p) for p in window],
                    },
                    event_on=last["decided_on"],
                    periods=periods,
                )
            )
            break
    return out
