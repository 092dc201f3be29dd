"""Oversight's answers to `common.eligibility`: the credit-list and annual-report obstacles
that funding checks live (R-CRD-13, R-FND-04, D9, D12, R-PUR-01/05, R-EVL-03), registered
from `OversightConfig.ready()` so that funding never imports oversight.

Each provider is one set-based query over the whole register (or the ids asked about) and
answers {organization id: [Chinese reason with its date]}.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q

from common.eligibility import snapshot_memo
from oversight.annual_reports.choices import ReviewResult
from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.annual_reports.selectors import organizations_missing_report
from oversight.credit.choices import CreditList
from oversight.credit.models import CreditListing
from oversight.credit.selectors import active_listings

LIST_LABELS = dict(CreditList.choices)
CATALOG_HISTORY_YEARS = 3  # R-PUR-01(5): no listing in the past three years


def _only(qs, ids: Sequence[int] | None, field: str = "organization_id"):
    return qs if ids is None else qs.filter(**{f"{field}__in": list(ids)})


def _add(result: dict[int, list[str]], org_id: int, reason: str) -> None:
    reasons = result.get(org_id)
    if reasons is None:
        result[org_id] = [reason]
    else:
        reasons.append(reason)


def credit_listing_obstacles(ids: Sequence[int] | None, on: datetime.date) -> dict[int, list[str]]:
    """On the abnormal or the serious list on `on` (R-CRD-13, D12, R-PUR-05, R-EVL-03)."""
    result: dict[int, list[str]] = {}
    rows = _only(active_listings(on=on), ids).values_list(
        "organization_id", "list_type", "decided_on"
    )
    for org_id, list_type, decided_on in rows:
        _add(result, org_id, f"列入{LIST_LABELS.get(list_type, list_type)}（{decided_on}）")
    return result


def credit_history_obstacles(ids: Sequence[int] | None, on: datetime.date) -> dict[int, list[str]]:
    """Any listing decided in the three years before `on` (R-PUR-01(5), D9)."""
    # 29 February counts back to 28 February (the window never grows past three years).
    day = 28 if (on.month, on.day) == (2, 29) else on.day
    since = datetime.date(on.year - CATALOG_HISTORY_YEARS, on.month, day)
    rows = _only(
        CreditListing.objects.filter(decided_on__gt=since, decided_on__lte=on), ids
    ).values_list("organization_id", "list_type", "decided_on")
    result: dict[int, list[str]] = {}
    for org_id, list_type, decided_on in rows:
        _add(
            result,
            org_id,
            f"近{CATALOG_HISTORY_YEARS}年内曾列入{LIST_LABELS.get(list_type, list_type)}"
            f"（{decided_on}）",
        )
    return result


def _latest_due_cycle(on: datetime.date) -> AnnualReportCycle | None:
    """The most recent cycle whose bureau deadline has passed by `on`."""
    return AnnualReportCycle.objects.filter(bureau_deadline__lt=on).order_by("-year").first()


def _missing_report_ids(
    cycle: AnnualReportCycle, on: datetime.date, ids: Sequence[int] | None
) -> list[int]:
    """The organizations (of `ids`, or all) without a sealed report of `cycle` filed by its
    deadline, on a date after that deadline. Which ones they are does not depend on that
    date (a report filed later is late either way), so within one eligibility snapshot the
    catalog's two dates share one query."""

    def query() -> list[int]:
        # Without the listing order: a join and a sort of the register an id set does not need.
        missing = organizations_missing_report(cycle=cycle, as_of=on).order_by()
        return list(_only(missing, ids, "pk").values_list("pk", flat=True))

    key = ("missing_report", cycle.pk, None if ids is None else tuple(ids))
    return snapshot_memo(key, query)


def annual_report_obstacles(ids: Sequence[int] | None, on: datetime.date) -> dict[int, list[str]]:
    """D9: the latest report due by `on` filed on time, and full-time staff in the latest
    report at least 3 for an industry association and 2 for other organizations."""
    result: dict[int, list[str]] = {}
    cycle = _latest_due_cycle(on)
    if cycle is not None:
        reason = f"{cycle.year}年度工作报告未按时报送（截止{cycle.bureau_deadline}）"
        for org_id in _missing_report_ids(cycle, on, ids):
            result[org_id] = [reason]
    reports = _only(AnnualReport.objects.filter(submitted_on__lte=on), ids)
    newer = AnnualReport.objects.filter(
        organization=OuterRef("organization_id"), submitted_on__lte=on, year__gt=OuterRef("year")
    )
    if cycle is not None:
        # Without the report due last an organization is ineligible already (above); only
        # reports of that year or later can be the latest of an otherwise eligible one, and
        # reading only them keeps this a scan of one year, not of every year (bench: 1M).
        reports = reports.filter(year__gte=cycle.year)
        # The same bound, said to the planner: with it the few later reports are hashed once
        # (a hash anti-join) instead of looked up per understaffed report (bench: 3.5 s → 1 s).
        newer = newer.filter(year__gt=cycle.year)
    understaffed = (
        reports.order_by()
        .filter(
            Q(organization__is_industry_association=True, full_time_staff__lt=3)
            | Q(organization__is_industry_association=False, full_time_staff__lt=2)
        )
        .exclude(Exists(newer))
    )
    texts: dict[tuple, str] = {}  # a few distinct (year, staff, need) for 10⁵ organizations
    for org_id, year, staff, association in understaffed.values_list(
        "organization_id", "year", "full_time_staff", "organization__is_industry_association"
    ):
        need = 3 if association else 2
        text = texts.get((year, staff, need))
        if text is None:
            text = texts[year, staff, need] = f"{year}年度报告专职工作人员{staff}人，少于{need}人"
        _add(result, org_id, text)
    return result


def rating_exclusion_obstacles(
    ids: Sequence[int] | None, on: datetime.date
) -> dict[int, list[str]]:
    """R-EVL-07 as the records show it: last year's annual report missing or failed."""
    cycle = _latest_due_cycle(on)
    if cycle is None:
        return {}
    result: dict[int, list[str]] = {}
    reason = f"{cycle.year}年度工作报告未按时报送"
    for org_id in _missing_report_ids(cycle, on, ids):
        result[org_id] = [reason]
    failed = _only(
        AnnualReport.objects.filter(year=cycle.year, result=ReviewResult.FAILED).order_by(), ids
    )
    for org_id in failed.values_list("organization_id", flat=True):
        _add(result, org_id, f"{cycle.year}年度年检不合格")
    return result


def register_providers() -> None:
    from common.eligibility import CATALOG, FUND, RATING, register_obstacle_provider

    register_obstacle_provider(credit_listing_obstacles, purposes=(FUND, CATALOG, RATING))
    register_obstacle_provider(credit_history_obstacles, purposes=(CATALOG,))
    register_obstacle_provider(annual_report_obstacles, purposes=(CATALOG,))
    register_obstacle_provider(rating_exclusion_obstacles, purposes=(RATING,))
