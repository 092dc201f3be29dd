"""The credit-list rules of DOMAIN.md §3 as code: they propose, people decide (DESIGN.md §4.4).

Each rule is a function `rule_*(*, as_of, org_ids=None) -> list[Candidate]` that computes its
candidates set-wise on a date: a few queries over the whole register (never a query per
organization), then plain Python over their rows. Every candidate carries its legal ground,
a `rule_key` that names the cause once and for all (the daily job inserts proposals with
ON CONFLICT DO NOTHING on it, so running twice proposes nothing new), an explanation in
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

import calendar
import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

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


# ------------------------------------------------------------------ calendar arithmetic


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same calendar day `months` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """ "Full years" (D5): listed on D, the period completes on the same calendar day `years`
    later (29 Feb → 28 Feb)."""
    return add_months(day, 12 * years)


def escalation_due_on(clock: datetime.date) -> datetime.date:
    return add_years(clock, settings.CREDIT_ESCALATION_YEARS)


def auto_removal_due_on(decided_on: datetime.date) -> datetime.date:
    return add_months(decided_on, settings.CREDIT_ABNORMAL_AUTO_REMOVAL_MONTHS)


def serious_removal_due_on(clock: datetime.date) -> datetime.date:
    return add_years(clock, settings.CREDIT_SERIOUS_REMOVAL_YEARS)


def review_due_on(*, list_type: str, ground: str, decided_on: datetime.date) -> datetime.date:
    """R-CRD-11 computed auto-transition date, stored on the listing at decision time."""
    if list_type == CreditList.SERIOUS:
        return serious_removal_due_on(decided_on)
    if ground in NEEDS_RECTIFICATION:
        return escalation_due_on(decided_on)
    return auto_removal_due_on(decided_on)


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

    def proposal_fields(self, *, as_of: datetime.date) -> dict[str, Any]:
        return {
            "organization_id": self.organization_id,
            "action": self.action,
            "list_type": self.list_type,
            "ground": self.ground,
            "rule_key": self.rule_key,
            "explanation": self.explanation,
            "evidence": {**self.evidence, "rule": self.rule},
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
    """Listings decided by `on` with no removal decided by `on` (the one definition of
    "active", shared with credit_selectors)."""
    removed = CreditRemoval.listings.through.objects.filter(
        creditlisting_id=OuterRef("pk"), creditremoval__decided_on__lte=on
    )
    qs = CreditListing.objects.filter(decided_on__lte=on).filter(~Exists(removed))
    if list_type:
        qs = qs.filter(list_type=list_type)
    return _restrict(qs, org_ids)
