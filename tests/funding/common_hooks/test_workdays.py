"""The working-day calendar (D18), seeded from chinese-calendar by common's migration 0002."""

from __future__ import annotations

import datetime

import pytest

from common.workdays import (
    CalendarDay,
    CalendarDayKind,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = datetime.date


@pytest.fixture
def calendar(db):
    """The seeded calendar (tests/funding/conftest.py restores it after a flush)."""


def test_migration_seeded_the_years_of_the_package(calendar):
    assert CalendarDay.objects.filter(date__year=2004).exists()
    assert CalendarDay.objects.get(date=D(2021, 10, 1)).name == "国庆节"


def test_spring_festival_2021(calendar):
    # 2021: 11–17 February off; Sunday 7 and Saturday 20 February worked (调休).
    assert not is_working_day(D(2021, 2, 11))
    assert not is_working_day(D(2021, 2, 17))
    assert is_working_day(D(2021, 2, 7))  # a Sunday made a workday
    assert is_working_day(D(2021, 2, 20))  # a Saturday made a workday
    assert is_working_day(D(2021, 2, 18))


def test_national_day_2021_five_working_days(calendar):
    # Notice published Wednesday 29 September: 30 Sep, 8 Oct (Fri), 9 Oct (Saturday 调休),
    # 11 Oct, 12 Oct — the holiday 1–7 October does not count.
    assert add_working_days(D(2021, 9, 29), 5) == D(2021, 10, 12)
    assert working_days_between(D(2021, 9, 29), D(2021, 10, 12)) == 5
    assert working_days_between(D(2021, 9, 30), D(2021, 10, 7)) == 0


def test_plain_weeks_default_to_monday_to_friday(calendar):
    assert add_working_days(D(2021, 3, 5), 1) == D(2021, 3, 8)  # Friday → Monday
    assert working_days_between(D(2021, 3, 1), D(2021, 3, 29)) == 20
    assert working_days_between(D(2021, 3, 29), D(2021, 3, 1)) == 0


def test_an_edited_row_changes_the_count(calendar):
    before = add_working_days(D(2021, 3, 5), 1)
    CalendarDay.objects.create(date=D(2021, 3, 8), kind=CalendarDayKind.HOLIDAY, name="测试")
    assert before == D(2021, 3, 8)
    assert add_working_days(D(2021, 3, 5), 1) == D(2021, 3, 9)


def test_long_holiday_runs_beyond_the_first_window(calendar):
    for i in range(40):
        day = D(2030, 1, 1) + datetime.timedelta(days=i)
        CalendarDay.objects.get_or_create(date=day, defaults={"kind": CalendarDayKind.HOLIDAY})
    assert add_working_days(D(2029, 12, 31), 1) == D(2030, 2, 11)  # Monday after the run


def test_range_is_one_query(calendar, django_assert_num_queries):
    with django_assert_num_queries(1):
        working_days_between(D(2021, 1, 1), D(2021, 12, 31))
