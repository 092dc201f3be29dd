"""registry.rating_rules: grade validity by rule version, counted with common.dates
(R-EVL-04/09/11), 29 February included."""

from __future__ import annotations

import datetime

import pytest

from common import dates
from registry.choices import RatingRuleVersion
from registry.rating_rules import REVISION_2026_IN_FORCE, add_years, rating_validity

D = datetime.date


@pytest.mark.parametrize(
    ("awarded_on", "valid_until"),
    [
        (D(2021, 6, 15), D(2026, 6, 14)),
        (D(2024, 2, 29), D(2029, 2, 28)),  # the whole of February 2029
        (D(2021, 3, 1), D(2026, 2, 28)),
        (D(2026, 2, 28), D(2031, 2, 27)),  # the last award under Order 39
    ],
)
def test_order_39_five_years_from_the_award(awarded_on, valid_until):
    version, valid_from, until = rating_validity(awarded_on=awarded_on)
    assert version == RatingRuleVersion.ORDER_39
    assert (valid_from, until) == (awarded_on, valid_until)
    assert until == dates.last_day_of_years(awarded_on, 5)


def test_revision_2026_calendar_years():
    assert rating_validity(awarded_on=REVISION_2026_IN_FORCE) == (
        RatingRuleVersion.REVISION_2026,
        D(2027, 1, 1),
        D(2031, 12, 31),
    )


def test_anniversaries_are_the_common_ones():
    """The former copy here rolled 29 February to 1 March; R-EVL-02 "满2年" now completes on
    28 February like every other full-year rule."""
    assert add_years is dates.add_years
    assert add_years(D(2020, 2, 29), 2) == D(2022, 2, 28)
