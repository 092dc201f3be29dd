"""Catalog eligibility as a pure function over facts read in bulk (D9, R-PUR-01…05).

No database and no clock: the selector reads every organization's facts with a few set-based
queries and hands them here, so the rules are unit-tested with fixed inputs and the same
function serves a 800-organization district and a million-row register.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from common.dates import add_years

PRIORITY_GRADES = frozenset({"3A", "4A", "5A"})  # R-PUR-02 / R-CRD-14: priority mark
AUTO_GRADE = "5A"  # R-PUR-03: admitted automatically


def is_priority(grade: str) -> bool:
    return grade in PRIORITY_GRADES


def is_auto_admitted(grade: str) -> bool:
    return grade == AUTO_GRADE


@dataclass
class Eligibility:
    """`eligible`: {organization id: grade valid on publication ('' if none)};
    `ineligible`: {organization id: reasons}."""

    eligible: dict[int, str] = field(default_factory=dict)
    ineligible: dict[int, list[str]] = field(default_factory=dict)


def catalog_decide(
    *,
    organizations: Iterable[tuple[int, bool, datetime.date]],
    grades: Mapping[int, str],
    obstacles_at_application: Mapping[int, list[str]],
    obstacles_at_publication: Mapping[int, list[str]],
    publication_date: datetime.date,
    min_age_years: int,
) -> Eligibility:
    """Split (id, deregistering on the day, established on) rows into eligible and not.

    - R-PUR-01(1): registered and 正常 (a 注销办理中 organization is not admitted);
    - R-PUR-04 / D9: established at least `min_age_years` before publication — except 5A,
      which R-PUR-03 admits automatically;
    - R-PUR-01(5), R-PUR-05, R-CRD-13: obstacles from other apps' records (report filed on
      time, abnormal list, listings in the past three years, full-time staff) both on the
      application date and on the publication date.
    """
    latest_established = add_years(publication_date, -min_age_years)
    result = Eligibility()
    eligible, ineligible, get_grade = result.eligible, result.ineligible, grades.get
    at_app, at_pub = obstacles_at_application, obstacles_at_publication
    blocked = at_app.keys() | at_pub.keys()
    no_reasons: tuple[str, ...] = ()
    for org_id, deregistering, established_on in organizations:
        grade = get_grade(org_id, "")
        # The common case first and cheaply: a million rows pass through this loop.
        young = established_on > latest_established and grade != AUTO_GRADE
        if not (deregistering or young or org_id in blocked):
            eligible[org_id] = grade
            continue
        reasons: list[str] = []
        if deregistering:
            reasons.append("登记状态为“注销办理中”（R-PUR-01）")
        if young:
            reasons.append(f"成立不满{min_age_years}年（成立日期{established_on}，R-PUR-04）")
        reasons += ["申报基准日：" + r for r in at_app.get(org_id, no_reasons)]
        reasons += ["发布日：" + r for r in at_pub.get(org_id, no_reasons)]
        ineligible[org_id] = reasons
    return result
