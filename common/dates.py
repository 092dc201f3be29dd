"""Calendar arithmetic of the legal periods: the one place that decides what "满N年",
"N个月后" and "N年有效" mean, above all for 29 February.

The wording followed is 《民法典》 arts. 201–202: a period in years or months ends on the
corresponding day of its last month, and on that month's last day when it has none
(listed 2024-02-29, two full years complete on 2026-02-28; 2023-08-31 + 6 months is
2024-02-29). Every rule that counts years or months calls these functions.
"""

from __future__ import annotations

import calendar
import datetime

_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later (or earlier), the month's last day when the month
    has none (民法典 art. 202). R-CRD-07 "列入满6个月", R-ZMB-01(2) "满1年" (12 months)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The anniversary `years` later (or earlier); 29 February → 28 February in a common
    year (民法典 art. 202). D5/R-CRD-05(1) "满2年", R-CRD-08, R-CRD-05(5) "3年内", R-EVL-02."""
    return add_months(day, 12 * years)


def full_years_on(start: datetime.date, years: int) -> datetime.date:
    """The day on which `years` full years counted from `start` are complete ("满N年", D5,
    R-CRD-05(1), R-CRD-08, R-EVL-02): the anniversary, 28 February for a 29 February start."""
    return add_years(start, years)


def full_months_on(start: datetime.date, months: int) -> datetime.date:
    """The day on which `months` full months from `start` are complete (R-CRD-07 "满6个月",
    R-ZMB-01(2) "取得登记证书后1年"): the corresponding day, or the month's last day."""
    return add_months(start, months)


def started_by(on: datetime.date, months: int) -> datetime.date:
    """The latest start whose `months` full months are complete on `on`: the inverse of
    `full_months_on`, so that `start <= started_by(on, m)` ⟺ `full_months_on(start, m) <= on`.
    Set-based rules compare a column with it (R-ZMB-01(2)). On a month's last day every start
    up to the end of the month `months` earlier has completed (2021-02-28: 2020-02-29)."""
    candidate = add_months(on, -months)
    if on.day == calendar.monthrange(on.year, on.month)[1]:
        last = calendar.monthrange(candidate.year, candidate.month)[1]
        return candidate.replace(day=last)
    return candidate


def last_day_of_years(first_day: datetime.date, years: int) -> datetime.date:
    """The last day of a period of `years` years whose first day is `first_day` (R-EVL-04
    "有效期5年" from the award): the period counts from the day before (民法典 art. 201) and
    ends on its corresponding day, so a grade awarded 2024-03-15 is valid through 2029-03-14
    and one awarded 2024-02-29 through 2029-02-28."""
    return add_years(first_day - _DAY, years)
