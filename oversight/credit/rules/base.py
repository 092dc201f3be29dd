"""The credit-list rules of DOMAIN.md §3 as code: they propose, people decide (DESIGN.md §4.4).

Each rule is a function `rule_*(*, as_of, org_ids=None) -> list[Candidate]` that computes its
candidates set-wise on a date: a few queries over the whole register (never a query per
organization), then plain Python over their rows. Every candidate carries its legal ground,
a `rule_key` that names the cause once and for all (unique; the daily job, serialized by a
lock, inserts only keys it has not seen, so running twice proposes nothing new), an explanation in
words with the concrete facts, and the evidence as JSON.

Which abnormal-list grounds need rectification (R-CRD-07) — a product choice, documented:
- (1) missing report, (2) no Party organization, (3) overdue rectification and (6)
  unreachable need it: the listing is removed once the cause is cured (report filed,
  rectification verified, a later letter signed; (2) is verified by staff, the records of
  this app cannot see it, so the rules never propose its removal);
- (4) charity fundraising, (5) a past warning or small fine and (7) other cases have nothing
  the organization can rectify: the bureau removes the listing on its own once it has been
  listed for CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS months (default 6).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from common.dates import full_months_on, full_years_on
from common.policy import policy_label, policy_value, policy_values
from oversight.credit.choices import (
    CreditGround,
    CreditList,
)
from oversight.credit.models import CreditListing, CreditRemoval
from registry.models import Organization

NEEDS_RECTIFICATION = frozenset(
    {
        CreditGround.A1_ANNUAL_REPORT,
        CreditGround.A2_PARTY_ORGANIZATION,
        CreditGround.A3_RECTIFICATION,
        CreditGround.A6_UNREACHABLE,
    }
)


# ------------------------------------------------------------------ legal periods (common.policy)

ESCALATION = "CREDIT_ESCALATION_YEARS"
AUTO_REMOVAL = "CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS"
SERIOUS_REMOVAL = "CREDIT_SERIOUS_REMOVAL_YEARS"
PENALTY_WINDOW = "CREDIT_PENALTY_WINDOW_YEARS"
LETTER_INTERVAL = "CREDIT_UNREACHABLE_MIN_INTERVAL_DAYS"


def escalation_due_on(clock: datetime.date, *, on: datetime.date) -> datetime.date:
    """R-CRD-05(1): the day the period in force on `on` is complete for a clock started on
    `clock` ("满2年", common.dates.full_years_on)."""
    return full_years_on(clock, policy_value(ESCALATION, on=on))


def auto_removal_due_on(decided_on: datetime.date, *, on: datetime.date) -> datetime.date:
    """R-CRD-07: listed `decided_on`, nothing to rectify → removable from this day ("满6个月")."""
    return full_months_on(decided_on, policy_value(AUTO_REMOVAL, on=on))


def serious_removal_due_on(clock: datetime.date, *, on: datetime.date) -> datetime.date:
    """R-CRD-08: the serious listing may be reviewed for removal from this day ("满2年")."""
    return full_years_on(clock, policy_value(SERIOUS_REMOVAL, on=on))


def review_due_on(*, list_type: str, ground: str, decided_on: datetime.date) -> datetime.date:
    """R-CRD-11 computed auto-transition date, stored on the listing at decision time with the
    periods in force on the decision date."""
    if list_type == CreditList.SERIOUS:
        return serious_removal_due_on(decided_on, on=decided_on)
    if ground in NEEDS_RECTIFICATION:
        return escalation_due_on(decided_on, on=decided_on)
    return auto_removal_due_on(decided_on, on=decided_on)


def review_periods(*, list_type: str, ground: str, on: datetime.date) -> dict[str, int]:
    """The period `review_due_on` used, as the listing's evidence records it."""
    if list_type == CreditList.SERIOUS:
        key = SERIOUS_REMOVAL
    else:
        key = ESCALATION if ground in NEEDS_RECTIFICATION else AUTO_REMOVAL
    return policy_values(key, on=on)


def period_words(key: str, on: datetime.date) -> str:
    """ "2年", "6个月": explanations say the period that decided, never a fixed number."""
    return policy_label(key, on=on)


def _d(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


# ------------------------------------------------------------------ candidates


@dataclass
class Candidate:
    """One pending decision the rules propose on a date."""

    organization_id: int
    action: str
    list_type: str
    ground: str
    rule: str  # the rule function's citation, e.g. "R-CRD-02(1)"
    rule_key: str
    explanation: str
    evidence: dict[str, Any] = field(default_factory=dict)
    # The date of the qualifying event (R-CRD-06, R-CRD-08: "no new event in the period").
    event_on: datetime.date | None = None
    # The legal periods the rule decided with (common.policy), stored in the evidence.
    periods: dict[str, int] = field(default_factory=dict)

    def proposal_fields(self, *, as_of: datetime.date) -> dict[str, Any]:
        return {
            "organization_id": self.organization_id,
            "action": self.action,
            "list_type": self.list_type,
            "ground": self.ground,
            "rule_key": self.rule_key,
            "explanation": self.explanation,
            "evidence": {**self.evidence, "rule": self.rule, "periods": self.periods},
            "as_of": as_of,
        }


def _registered(qs: QuerySet[Organization], on: datetime.date) -> QuerySet[Organization]:
    return qs.filter(established_on__lte=on).filter(
        Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=on),
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=on),
    )


def _is_registered(row: dict, on: datetime.date, prefix: str = "organization__") -> bool:
    deregistered = row[f"{prefix}deregistered_on"]
    revoked = row[f"{prefix}revoked_on"]
    return (
        row[f"{prefix}established_on"] <= on
        and (deregistered is None or deregistered > on)
        and (revoked is None or revoked > on)
    )


def _restrict(qs: QuerySet, org_ids: Collection[int] | None, path: str = "organization_id"):
    return qs if org_ids is None else qs.filter(**{f"{path}__in": list(org_ids)})


def active_listing_rows(
    *, on: datetime.date, list_type: str | None = None, org_ids: Collection[int] | None = None
) -> QuerySet[CreditListing]:
    """Listings in effect on `on`: in effect by then and not removed by a removal decided by
    then. The one definition of an active listing: the credit rules, the selectors, the
    zombie criterion R-ZMB-01(4) and the circulars all use it.

    R-CRD-11 records a decision date and an effective date; a listing takes effect on its
    effective date (the decision date unless the decision says otherwise, credit services),
    so a decision dated before it does not yet count."""
    removed = CreditRemoval.listings.through.objects.filter(
        creditlisting_id=OuterRef("pk"), creditremoval__decided_on__lte=on
    )
    qs = CreditListing.objects.filter(effective_on__lte=on).filter(~Exists(removed))
    if list_type:
        qs = qs.filter(list_type=list_type)
    return _restrict(qs, org_ids)
