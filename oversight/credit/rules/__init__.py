"""The credit-list rules of DOMAIN.md §3 as code, one module per rule family; this module
holds the rule book and `rules_evaluate`, which runs every rule on a date.

base         candidates, dates and periods the rules share, the one "active listing" query
reports      R-CRD-02(1) missing, late or unsealed report; R-CRD-02(3) overdue rectification
unreachable  R-CRD-02(6) / R-CRD-03 two unsigned special letters
penalties    R-CRD-02(5) a warning or small fine; R-CRD-05(2)(3)(4)(7) and (5)
revocation   R-CRD-05(7) the register's 撤销登记 decision
removals     R-CRD-07/08 removals and R-CRD-05(1)/06 escalation after two full years
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection

from common.dates import add_months, add_years

from .base import (
    AUTO_REMOVAL,
    ESCALATION,
    LETTER_INTERVAL,
    NEEDS_RECTIFICATION,
    PENALTY_WINDOW,
    SERIOUS_REMOVAL,
    Candidate,
    active_listing_rows,
    auto_removal_due_on,
    escalation_due_on,
    review_due_on,
    review_periods,
    serious_removal_due_on,
)
from .penalties import (
    LARGE_FINE,
    rule_repeated_penalties,
    rule_serious_penalty,
    rule_warning_or_small_fine,
)
from .removals import (
    _LISTING_FIELDS,
    listing_cures,
    rule_abnormal_removal,
    rule_escalation,
    rule_serious_removal,
)
from .reports import missing_report_prefixes, rule_missing_report, rule_overdue_rectification
from .revocation import rule_revocation
from .triggers import rule_registered_triggers
from .unreachable import rule_unreachable

__all__ = [
    "AUTO_REMOVAL",
    "COVERED_PREFIXES",
    "ESCALATION",
    "LARGE_FINE",
    "LETTER_INTERVAL",
    "LISTING_RULES",
    "NEEDS_RECTIFICATION",
    "PENALTY_WINDOW",
    "SERIOUS_REMOVAL",
    "_LISTING_FIELDS",
    "Candidate",
    "active_listing_rows",
    "add_months",
    "add_years",
    "auto_removal_due_on",
    "escalation_due_on",
    "listing_cures",
    "missing_report_prefixes",
    "review_due_on",
    "review_periods",
    "rule_abnormal_removal",
    "rule_escalation",
    "rule_missing_report",
    "rule_overdue_rectification",
    "rule_repeated_penalties",
    "rule_revocation",
    "rule_serious_penalty",
    "rule_serious_removal",
    "rule_unreachable",
    "rule_warning_or_small_fine",
    "rules_evaluate",
    "serious_removal_due_on",
]

ListingRule = Callable[..., list[Candidate]]

LISTING_RULES: dict[str, ListingRule] = {
    "R-CRD-02(1)": rule_missing_report,
    "R-CRD-02(3)": rule_overdue_rectification,
    "R-CRD-02(5)": rule_warning_or_small_fine,
    "R-CRD-02(6)": rule_unreachable,
    "R-CRD-05(2)(3)(4)(7)": rule_serious_penalty,
    "R-CRD-05(5)": rule_repeated_penalties,
    # Rules decided by another app's records (common.credit_triggers), e.g. R-CRD-02(2).
    "triggers": rule_registered_triggers,
    "R-CRD-05(7)": rule_revocation,
}

# Key prefixes fully evaluated by every run besides the missing-report cycles.
COVERED_PREFIXES = (
    "list:R-CRD-02(2):",
    "list:R-CRD-02(3):",
    "list:R-CRD-02(5):",
    "list:R-CRD-02(6):",
    "list:R-CRD-05(",
    "escalate:",
    "remove:",
)


def rules_evaluate(
    *,
    as_of: datetime.date,
    org_ids: Collection[int] | None = None,
    decided_keys: Callable[[list[str]], set[str]] | None = None,
) -> list[Candidate]:
    """Every rule on `as_of`: listing candidates first (minus causes already decided, as told
    by `decided_keys`), then removals, escalations and serious removals, which depend on them."""
    listing: list[Candidate] = []
    for rule in LISTING_RULES.values():
        listing.extend(rule(as_of=as_of, org_ids=org_ids))
    if decided_keys is not None:
        done = decided_keys([c.rule_key for c in listing])
        listing = [c for c in listing if c.rule_key not in done]
    pending: dict[int, datetime.date] = {}
    for c in listing:
        if c.event_on:
            pending[c.organization_id] = max(pending.get(c.organization_id, c.event_on), c.event_on)
    removals = rule_abnormal_removal(as_of=as_of, org_ids=org_ids)
    escalations = rule_escalation(
        as_of=as_of, org_ids=org_ids, removable={c.organization_id for c in removals}
    )
    serious = rule_serious_removal(as_of=as_of, org_ids=org_ids, pending_events=pending)
    later = [*removals, *escalations, *serious]
    if decided_keys is not None:
        done = decided_keys([c.rule_key for c in later])
        later = [c for c in later if c.rule_key not in done]
    return [*listing, *later]
