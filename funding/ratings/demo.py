"""Demo rating rounds consistent with the register's ratings (registry.demo awards them).

The register already holds each grade with its award date; here each award day becomes a
round whose applications, evaluators' scores and public notice go through the services, and
whose announcement links the existing Rating instead of writing a second one. Applications
the rules refuse (too young, R-EVL-02) are recorded as ineligible, as in a real round.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from common.dates import add_years
from funding.grants.models import Expert
from funding.grants.services import expert_conflict
from registry.models import Organization, Rating

from .choices import ApplicationStatus, RatingRoundStatus
from .models import RatingRound
from .services import (
    rating_apply,
    rating_evaluation_record,
    rating_round_create,
    rating_round_start_notice,
)

RATING_SEED = 20161220
SEED_LETTER_DATE = datetime.date(2022, 7, 28)
DAY = datetime.timedelta(days=1)
EVALUATORS = 3
INELIGIBLE_PER_ROUND = 3
# Default cut-offs of RatingRound (R-EVL-04): score bands per grade.
BANDS = {"5A": (906, 980), "4A": (806, 894), "3A": (706, 794), "2A": (606, 694), "1A": (506, 594)}


class _NotThisRound(Exception):
    """A register grade the round's rules would refuse today: left as a register-only record."""


def _evaluate(app, experts, rng, grade: str, on: datetime.date) -> None:
    low, high = BANDS[grade]
    target = rng.randint(low, high)
    scores = [target - 5, target, target + 5]  # the mean is the target, inside the band
    for expert in [
        e for e in experts if not expert_conflict(expert=e, organization=app.organization, on=on)
    ][:EVALUATORS]:
        rating_evaluation_record(application=app, expert=expert, score=scores.pop(), on=on)


def _seed_round(awarded_on, ratings, experts, rng) -> None:
    rating_round = rating_round_create(
        year=awarded_on.year,
        title=f"{awarded_on.year}年度福田区社会组织等级评估",
        applications_close_on=awarded_on - 75 * DAY,
    )
    applied_on = awarded_on - 90 * DAY
    linked = []
    for rating in ratings:
        # An organization applies once it may (two full years, R-EVL-02) before the close;
        # a grade the round could not have given stays a register-only record.
        on = max(applied_on, add_years(rating.organization.established_on, 2))
        if on > rating_round.applications_close_on:
            continue
        try:
            with transaction.atomic():
                app = rating_apply(
                    rating_round=rating_round, organization=rating.organization, on=on
                )
                if app.status != ApplicationStatus.ACCEPTED:
                    raise _NotThisRound
        except _NotThisRound:
            continue
        _evaluate(app, experts, rng, rating.grade, awarded_on - 40 * DAY)
        linked.append((app, rating))
    young = (
        Organization.objects.registered_on(applied_on)
        .filter(established_on__gt=add_years(applied_on, -2))
        .exclude(pk__in=[r.organization_id for r in ratings])
        .order_by("uscc")[:INELIGIBLE_PER_ROUND]
    )
    for org in young:
        rating_apply(rating_round=rating_round, organization=org, on=applied_on)
    rating_round_start_notice(rating_round=rating_round, on=awarded_on - 20 * DAY)
    for app, rating in linked:
        app.refresh_from_db()
        if app.grade != rating.grade:  # the bands above follow the round's cut-offs
            raise RuntimeError(f"{app} scored {app.score}, not {rating.grade}")
        app.rating, app.status = rating, ApplicationStatus.AWARDED
        app.save(update_fields=["rating", "status"])
    RatingRound.objects.filter(pk=rating_round.pk).update(
        status=RatingRoundStatus.ANNOUNCED, announced_on=awarded_on
    )


def ratings_demo_seed() -> int:
    """Rounds for the register's award days up to the seed letter; returns rounds created."""
    if RatingRound.objects.exists():
        return 0
    rng = random.Random(RATING_SEED)
    experts = list(Expert.objects.order_by("code"))
    by_day: dict[datetime.date, list[Rating]] = {}
    for rating in (
        Rating.objects.filter(awarded_on__lte=SEED_LETTER_DATE)
        .select_related("organization")
        .order_by("awarded_on", "organization__uscc")
    ):
        by_day.setdefault(rating.awarded_on, []).append(rating)
    with transaction.atomic():
        for awarded_on, ratings in sorted(by_day.items()):
            _seed_round(awarded_on, ratings, experts, rng)
    return len(by_day)
