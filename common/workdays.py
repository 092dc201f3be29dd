"""The working-day calendar (D18): public holidays and make-up working days (调休).

Deadlines counted in working days (the five-working-day public notice of D12, R-CRD-07's
removal within five working days, R-INS-09's publication deadline) read this table. A date
that is not in the table is a working day from Monday to Friday; a row overrides that:
`holiday` makes a weekday a day off, `makeup_workday` makes a weekend day a working day.
The table is seeded from the `chinese-calendar` package (migration 0002) and staff edit it
in the admin when the State Council publishes a new year's arrangement.

Every function reads the rows of the range it needs in one query.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import models

DAY = datetime.timedelta(days=1)


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日（放假）"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班日"


class CalendarDay(models.Model):
    """工作日历: a date that departs from the Monday–Friday week (holiday or 调休 workday)."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节。")

    class Meta:
        app_label = "common"
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


def _overrides(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
    """{date: is working day} for the table's rows between `first` and `last` (one query)."""
    rows = CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
    return {d: kind == CalendarDayKind.MAKEUP_WORKDAY for d, kind in rows}


def _is_working(day: datetime.date, overrides: dict[datetime.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    """Whether `day` is a working day (D18)."""
    return _is_working(day, _overrides(day, day))


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (n ≥ 1); `start` itself never counts.

    A five-working-day notice published on `start` ends on `add_working_days(start, 5)`.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    # Twice the span plus the longest holiday run (Spring Festival with its weekends) holds
    # n working days; a longer run of holidays only costs another query.
    span = 2 * n + 14
    first, found = start, 0
    while True:
        last = first + datetime.timedelta(days=span)
        overrides = _overrides(first + DAY, last)
        day = first
        while day < last:
            day += DAY
            if _is_working(day, overrides):
                found += 1
                if found == n:
                    return day
        first = last


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Working days d with a < d ≤ b (0 when b ≤ a): how many have passed since `a` by `b`."""
    if b <= a:
        return 0
    overrides = _overrides(a + DAY, b)
    total_days = (b - a).days
    # Weekdays in (a, b] by arithmetic, then the table's corrections.
    weeks, rest = divmod(total_days, 7)
    weekdays = weeks * 5
    day = a + datetime.timedelta(days=weeks * 7)
    for _ in range(rest):
        day += DAY
        weekdays += day.weekday() < 5
    for d, working in overrides.items():
        if working and d.weekday() >= 5:
            weekdays += 1
        elif not working and d.weekday() < 5:
            weekdays -= 1
    return weekdays


def working_day_adder() -> Callable[[datetime.date, int], datetime.date]:
    """`add_working_days` for many dates at once (an admin page, a report): the whole calendar
    table (a few dozen rows a year) is read once, then every call is plain Python."""
    overrides = {
        d: kind == CalendarDayKind.MAKEUP_WORKDAY
        for d, kind in CalendarDay.objects.values_list("date", "kind")
    }

    def add(start: datetime.date, n: int) -> datetime.date:
        if n < 1:
            raise ValueError("n must be at least 1")
        day, found = start, 0
        while found < n:
            day += DAY
            found += _is_working(day, overrides)
        return day

    return add
