"""Rating validity by the rule version in force at the award (DOMAIN.md §6, D8, R-EVL-04/09/11)."""

import datetime

from common.dates import add_years, last_day_of_years

from .choices import RatingRuleVersion

__all__ = ["REVISION_2026_IN_FORCE", "add_years", "rating_validity"]

REVISION_2026_IN_FORCE = datetime.date(2026, 3, 1)


def rating_validity(*, awarded_on: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """(rule version, valid from, valid until inclusive) of a grade awarded on `awarded_on`.

    Order 39: five years from the award (R-EVL-04). From 2026-03-01: from 1 January of the
    following year to 31 December of the fifth year (R-EVL-09: announced 2026 → 2027–2031).
    """
    if awarded_on < REVISION_2026_IN_FORCE:
        return (
            RatingRuleVersion.ORDER_39,
            awarded_on,
            last_day_of_years(awarded_on, 5),
        )
    return (
        RatingRuleVersion.REVISION_2026,
        datetime.date(awarded_on.year + 1, 1, 1),
        datetime.date(awarded_on.year + 5, 12, 31),
    )
