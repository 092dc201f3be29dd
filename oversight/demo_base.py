"""What every supervision demo step shares: the demo organizations as of the horizon, seeded streams, dated writes."""

from __future__ import annotations

import dataclasses
import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from registry.demo import (
    DEMO_AS_OF,
    GIVEN_CHARS,
    SURNAMES,
    demo_register_plan,
)
from registry.models import Organization

OVERSIGHT_SEED = 20210601
HORIZON = DEMO_AS_OF  # the demo's "today": no oversight event after it (see module docstring)
CHANGE_REASON = "演示数据"
REPORT_YEARS = range(2015, 2022)
EDUCATION_BUREAU = "FT-D01"


def _rng(*parts: object) -> random.Random:
    """An independent stream per purpose, so one part of the demo never shifts another."""
    return random.Random(":".join(str(p) for p in (OVERSIGHT_SEED, *parts)))


def _moment(day: datetime.date, hour: int = 9, minute: int = 30) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _working_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A Monday–Friday in [first, last] (or `first` when the span has none)."""
    span = max(0, (last - first).days)
    for _ in range(20):
        day = first + datetime.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:
            return day
    return first


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _person(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


# ---------------------------------------------------------------------------------------------
# The demo organizations as the oversight steps need them.


@dataclass(frozen=True)
class _Org:
    id: int
    uscc: str
    name: str
    org_type: str
    is_industry_association: bool
    category: int
    unit_id: int | None
    unit_code: str | None
    legal_representative: str
    registered_capital: Decimal
    established_on: datetime.date
    status: str
    deregistration_started_on: datetime.date | None
    deregistered_on: datetime.date | None
    revoked_on: datetime.date | None

    @property
    def exit_on(self) -> datetime.date | None:
        return self.deregistered_on or self.revoked_on

    def registered_on(self, day: datetime.date) -> bool:
        return self.established_on <= day and (self.exit_on is None or self.exit_on > day)


_ORG_FIELDS = (
    "id",
    "uscc",
    "name",
    "org_type",
    "is_industry_association",
    "industry_category__code",
    "supervising_unit_id",
    "supervising_unit__code",
    "legal_representative",
    "registered_capital",
    "established_on",
    "status",
    "deregistration_started_on",
    "deregistered_on",
    "revoked_on",
)


def _demo_orgs() -> list[_Org]:
    """The organizations of the demo register present in the database, by USCC; a synthetic
    register in the same database (`seed_demo --orgs`) is left out of the demo history."""
    usccs = sorted(p.uscc for p in demo_register_plan())
    rows = []
    for start in range(0, len(usccs), 500):  # SQLite caps the parameters of one query
        rows.extend(
            Organization.objects.filter(uscc__in=usccs[start : start + 500]).values_list(
                *_ORG_FIELDS
            )
        )
    return sorted((_as_of_horizon(_Org(*row)) for row in rows), key=lambda o: o.uscc)


def _as_of_horizon(org: _Org) -> _Org:
    """The organization as it stood on HORIZON: later lifecycle events (the zombie cleanup of
    2022-07…12) are not part of this history, so a second run plans exactly as the first."""

    def by_horizon(day: datetime.date | None) -> datetime.date | None:
        return day if day is not None and day <= HORIZON else None

    started, deregistered, revoked = (
        by_horizon(org.deregistration_started_on),
        by_horizon(org.deregistered_on),
        by_horizon(org.revoked_on),
    )
    status = (
        "deregistered"
        if deregistered
        else "revoked"
        if revoked
        else "deregistering"
        if started
        else "active"
    )
    return dataclasses.replace(
        org,
        status=status,
        deregistration_started_on=started,
        deregistered_on=deregistered,
        revoked_on=revoked,
    )
