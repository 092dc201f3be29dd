"""The reference periods of zombie detection on a date (R-ZMB-01, D7): the report years due
and the legal periods in force on it (common.policy). Detection (zombies.detection) builds its
SQL from them, and every flag's evidence records their values."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from common.dates import add_years, started_by
from common.policy import policy_values
from oversight.annual_reports.models import AnnualReportCycle
from oversight.credit.rules import LETTER_INTERVAL


@dataclass(frozen=True)
class ReportYear:
    """One report year of a reference period: its bureau deadline and 民非 exemption cut-off."""

    year: int
    bureau_deadline: datetime.date
    exemption_cutoff: datetime.date


def _cycles(years: Iterable[int]) -> dict[int, ReportYear]:
    years = list(years)
    stored = {c.year: c for c in AnnualReportCycle.objects.filter(year__in=years)}
    result = {}
    for year in years:
        cycle = stored.get(year)
        values = (
            {"bureau_deadline": cycle.bureau_deadline, "exemption_cutoff": cycle.exemption_cutoff}
            if cycle
            else AnnualReportCycle.defaults_for(year)
        )
        result[year] = ReportYear(year, values["bureau_deadline"], values["exemption_cutoff"])
    return result


def report_years_due(*, as_of: datetime.date, count: int) -> list[ReportYear]:
    """The last `count` consecutive report years whose bureau deadline passed before `as_of`
    (R-ZMB-01(1)/(3)), oldest first. A deadline extended by a cycle moves the period."""
    return _years_due(_cycles(range(as_of.year - count - 3, as_of.year + 1)), as_of, count)


def _years_due(cycles: dict[int, ReportYear], as_of: datetime.date, count: int) -> list[ReportYear]:
    latest = max(y for y, c in cycles.items() if c.bureau_deadline < as_of)
    return [cycles[y] for y in range(latest - count + 1, latest + 1)]


MISSED = "ZOMBIE_MISSED_REPORT_YEARS"
NO_ACTIVITY = "ZOMBIE_NO_ACTIVITY_AFTER_REGISTRATION_MONTHS"
NO_BUSINESS = "ZOMBIE_NO_BUSINESS_YEARS"
UNREACHABLE = "ZOMBIE_UNREACHABLE_YEARS"


@dataclass(frozen=True)
class Periods:
    """Every reference period of one detection date (D7), from the legal periods in force on
    it (common.policy); `values` is what each flag's evidence records."""

    as_of: datetime.date
    missed_years: list[ReportYear]
    no_business_years: list[ReportYear]
    established_by: datetime.date  # (2): established on or before this day
    months: int
    letters_after: datetime.date  # (4): letters sent after this day count
    letter_interval_days: int
    values: dict[str, int] = field(default_factory=dict)

    @classmethod
    def on(cls, as_of: datetime.date) -> Periods:
        values = policy_values(
            MISSED, NO_ACTIVITY, NO_BUSINESS, UNREACHABLE, LETTER_INTERVAL, on=as_of
        )
        months, missed, no_business = values[NO_ACTIVITY], values[MISSED], values[NO_BUSINESS]
        cycles = _cycles(range(as_of.year - max(missed, no_business) - 3, as_of.year + 1))
        return cls(
            as_of=as_of,
            missed_years=_years_due(cycles, as_of, missed),
            no_business_years=_years_due(cycles, as_of, no_business),
            # common.dates: established 2020-02-29 completes its 12 months on 2021-02-28.
            established_by=started_by(as_of, months),
            months=months,
            letters_after=add_years(as_of, -values[UNREACHABLE]),
            letter_interval_days=values[LETTER_INTERVAL],
            values=values,
        )
