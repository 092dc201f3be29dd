"""common.dates: the one calendar arithmetic of the legal periods, 29 February for each function
(民法典 arts. 201–202: no corresponding day → the month's last day)."""

from __future__ import annotations

import datetime

import pytest

from common import dates
from registry import rating_rules

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year: the corresponding day exists
        (D(2022, 8, 31), 6, D(2023, 2, 28)),  # common year: the month's last day
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), -12, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 3, 15), 6, D(2024, 9, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert dates.add_months(day, months) == expected
    assert dates.full_months_on(day, months) == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),  # not 1 March (the former registry copy)
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2024, 2, 29), -2, D(2022, 2, 28)),
        (D(2023, 3, 15), 2, D(2025, 3, 15)),
    ],
)
def test_add_years_and_full_years(day, years, expected):
    assert dates.add_years(day, years) == expected
    assert dates.full_years_on(day, years) == expected


@pytest.mark.parametrize(
    ("first", "years", "last"),
    [
        (D(2024, 3, 15), 5, D(2029, 3, 14)),
        (D(2024, 2, 29), 5, D(2029, 2, 28)),  # the whole of February 2029, not 27 February
        (D(2024, 3, 1), 5, D(2029, 2, 28)),
        # Counted from 28 February 2023 (the day before the first day, art. 201): its
        # corresponding day in 2024 is the 28th (art. 202), even in a leap year.
        (D(2023, 3, 1), 1, D(2024, 2, 28)),
    ],
)
def test_last_day_of_years(first, years, last):
    assert dates.last_day_of_years(first, years) == last


def test_started_by_is_the_inverse_of_full_months_on():
    """Set-based rules compare a start column with started_by(on, m); that must mean exactly
    "the m months from that start are complete on `on`", 29 February and month ends included."""
    start_days = [D(2019, 12, 1) + datetime.timedelta(days=i) for i in range(0, 900, 1)]
    for months in (1, 6, 12, 24):
        for on in (D(2021, 2, 27), D(2021, 2, 28), D(2021, 3, 1), D(2021, 4, 30), D(2022, 2, 28)):
            by = dates.started_by(on, months)
            for start in start_days:
                assert (start <= by) == (dates.full_months_on(start, months) <= on), (
                    start,
                    on,
                    months,
                )


def test_the_former_copies_now_answer_alike():
    """registry.rating_rules rolled 29 February to 1 March, the credit rules clamped to
    28 February, the zombie detection used relativedelta: now one answer."""
    from oversight.credit import rules

    assert rating_rules.add_years is dates.add_years
    assert rules.add_years is dates.add_years
    assert rules.add_months is dates.add_months
    assert rating_rules.add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
