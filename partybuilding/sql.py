"""SQL wording of "on the day" for party building's set-based reads: the statistics in
selectors.py and the R-CRD-02(2) credit trigger in credit.py say it the same way, and
rules.py says it in Python (`CoverageRow.covers`). `day` names the statement's date
parameter (`%(d)s`, `%(on)s`); `c` is a coverage row, `p` its party organization."""

from __future__ import annotations


def coverage_on_day(day: str) -> str:
    """The coverage row c holds on the day: joined on or before it, not yet left."""
    return f"c.joined_on <= %({day})s AND (c.left_on IS NULL OR c.left_on > %({day})s)"


def party_organization_on_day(day: str) -> str:
    """The party organization p exists on the day: approved on or before it, not dissolved."""
    return f"p.approved_on <= %({day})s AND (p.dissolved_on IS NULL OR p.dissolved_on > %({day})s)"


def covered_on_day(day: str) -> str:
    """The organization of coverage row c is covered on the day by its party organization p."""
    return f"{coverage_on_day(day)}\n AND {party_organization_on_day(day)}"
