"""The Futian demo register as a pure plan: slots, names, USCCs, dates, ratings — no database."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from registry.choices import (
    LifecycleStatus,
)
from registry.demo.reference import (
    BRANDS,
    BUILDINGS,
    BUSINESS_SCOPES,
    C_BUSINESS,
    DAY_2021,
    DAY_2022,
    DEMO_AS_OF,
    DEMO_CATEGORY_QUOTAS,
    DEMO_DEREGISTERING,
    DEMO_EXIT_CATEGORIES,
    DEMO_EXITS_BEFORE_2021,
    DEMO_EXITS_H1_2022,
    DEMO_EXITS_H2_2021,
    DEMO_EXITS_JUNE_2022,
    DEMO_INDUSTRY_ASSOCIATIONS,
    DEMO_NEW_2021_2022,
    DEMO_NEW_H2_2021,
    DEMO_NEW_JUNE_2022,
    DEMO_REVOKED_SHARE,
    DEMO_SEED,
    DIRECT,
    FUTIAN_DIVISION_CODE,
    GIVEN_CHARS,
    HOMETOWNS,
    INDUSTRY_ASSOCIATION_TEMPLATES,
    NAME_OPTIONS,
    PNE,
    RATED_SHARE,
    RATING_GRADE_WEIGHTS,
    RATING_GRADES,
    RATING_ROUNDS,
    SCHOOLS,
    SG,
    STREET,
    STREET_ROADS,
    STREET_UNIT_CODE,
    STREETS,
    SURNAMES,
    TRADES,
    YEAR_END_2021,
)
from registry.rating_rules import add_years
from registry.uscc import (
    CHARSET31,
    TYPE_DIGITS,
    organization_code_check_character,
    uscc_check_character,
)

# ---------------------------------------------------------------------------------------------
# The Futian demo register: a pure plan, then its writes.


@dataclass
class PlannedOrganization:
    """One organization of the demo set as the plan describes it (no database)."""

    uscc: str
    name: str
    org_type: str
    is_industry_association: bool
    category: int
    unit_code: str | None
    legal_representative: str
    domicile: str
    phone: str
    business_scope: str
    registered_capital: Decimal
    registration_certificate_no: str
    established_on: datetime.date
    status: str = LifecycleStatus.ACTIVE
    deregistration_started_on: datetime.date | None = None
    deregistered_on: datetime.date | None = None
    revoked_on: datetime.date | None = None
    ratings: list[tuple[str, datetime.date]] = field(default_factory=list)


@dataclass
class _Slot:
    org_type: str
    category: int
    is_industry_association: bool = False
    established_on: datetime.date | None = None
    status: str = LifecycleStatus.ACTIVE
    deregistration_started_on: datetime.date | None = None
    exit_on: datetime.date | None = None


def _random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A working day (Monday–Friday) in [first, last]; registrations happen on working days."""
    span = (last - first).days
    for _ in range(20):
        day = first + datetime.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:
            return day
    return first + datetime.timedelta(days=rng.randint(0, span))


def _weighted(rng: random.Random, options: tuple, weights: Iterable[int]):
    return rng.choices(options, weights=list(weights))[0]


class _DemoNames:
    """Names, people, places and codes of the demo set, unique where they must be."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.bodies: set[str] = set()

    def uscc(self, org_type: str) -> str:
        # Position 11 never 'Y': the synthetic register owns bodies `MJY…` (see below).
        while True:
            body = (
                "MJ"
                + self.rng.choice(CHARSET31[:-1])
                + "".join(self.rng.choice("0123456789") for _ in range(5))
            )
            if body not in self.bodies:
                self.bodies.add(body)
                return _uscc(org_type, body)

    def organization_name(
        self, org_type: str, category: int, is_ia: bool
    ) -> tuple[str, str | None, str | None]:
        """(name, unit code or None, street or None) of a new organization."""
        rng = self.rng
        for _ in range(200):
            street = None
            if is_ia:
                unit = DIRECT
                template = rng.choice(INDUSTRY_ASSOCIATION_TEMPLATES)
                core = template.format(trade=rng.choice(TRADES), hometown=rng.choice(HOMETOWNS))
            else:
                options = NAME_OPTIONS[(org_type, category)]
                unit, _, templates, subjects = _weighted(rng, options, (o[1] for o in options))
                template = rng.choice(templates)
                if unit == STREET or "{street}" in template:
                    street = rng.choice(STREETS)
                core = template.format(
                    brand=rng.choice(BRANDS),
                    street=street or "",
                    x=rng.choice(subjects) if subjects else "",
                    school=rng.choice(SCHOOLS),
                )
                if unit == STREET:
                    unit = STREET_UNIT_CODE[street]
            name = "深圳市福田区" + core
            if name not in self.names:
                self.names.add(name)
                return name, unit, street
        raise RuntimeError(f"无法为 {org_type}/{category} 生成不重复的名称")

    def person(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def domicile(self, street: str | None) -> str:
        rng = self.rng
        street = street or rng.choice(STREETS)
        road = rng.choice(STREET_ROADS[street])
        building = rng.choice(BRANDS) + rng.choice(BUILDINGS)
        room = f"{rng.randint(1, 28)}{rng.randint(1, 20):02d}"
        return f"深圳市福田区{street}街道{road}{rng.randint(1, 4099)}号{building}{room}室"

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:
            return f"0755-{rng.choice('82')}{rng.randint(0, 9_999_999):07d}"
        return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"

    def business_scope(self, category: int) -> str:
        phrases = BUSINESS_SCOPES[category]
        return "；".join(self.rng.sample(phrases, k=min(3, len(phrases)))) + "。"

    def capital(self, org_type: str, name: str) -> Decimal:
        rng = self.rng
        if name.endswith("幼儿园"):
            low, high = 300, 3000
        elif org_type == SG:
            low, high = 30, 300  # R-ORG-05: at least ¥30,000 for a local social group
        else:
            low, high = 30, 500
        return Decimal(rng.randint(low, high) * 1000).quantize(Decimal("0.01"))


def _uscc(org_type: str, body8: str) -> str:
    first17 = (
        "5"
        + TYPE_DIGITS[org_type]
        + FUTIAN_DIVISION_CODE
        + body8
        + organization_code_check_character(body8)
    )
    return first17 + uscc_check_character(first17)


def _demo_slots(rng: random.Random) -> list[_Slot]:
    """Type, category and lifecycle dates of every demo organization (the figures' source).
    The parts draw from `rng` in this order; changing it changes every demo figure."""
    current = _current_slots(rng)
    return current + _exited_slots(rng)


def _current_slots(rng: random.Random) -> list[_Slot]:
    """The organizations on today's register, by category quota, shuffled and dated; some
    of the older ones are deregistering."""
    current: list[_Slot] = []
    for org_type, quotas in DEMO_CATEGORY_QUOTAS.items():
        for category, count in quotas.items():
            current.extend(_Slot(org_type, category) for _ in range(count))
    associations = [s for s in current if s.org_type == SG and s.category == C_BUSINESS]
    for slot in associations[:DEMO_INDUSTRY_ASSOCIATIONS]:
        slot.is_industry_association = True
    rng.shuffle(current)

    new_2021 = current[:DEMO_NEW_2021_2022]
    new_june = current[DEMO_NEW_2021_2022 : DEMO_NEW_2021_2022 + DEMO_NEW_JUNE_2022]
    older = current[DEMO_NEW_2021_2022 + DEMO_NEW_JUNE_2022 :]
    for i, slot in enumerate(new_2021):
        first, last = (
            (DAY_2021 + datetime.timedelta(days=1), YEAR_END_2021)
            if i < DEMO_NEW_H2_2021
            else (YEAR_END_2021 + datetime.timedelta(days=1), DAY_2022 - datetime.timedelta(days=1))
        )
        slot.established_on = _random_day(rng, first, last)
    for slot in new_june:
        slot.established_on = _random_day(
            rng, DAY_2022 + datetime.timedelta(days=1), DEMO_AS_OF - datetime.timedelta(days=1)
        )
    for slot in older:
        # About a third of today's register predates 2015; industry associations came with
        # the 2006 reform of trade associations in Shenzhen.
        first = datetime.date(2006 if slot.is_industry_association else 2000, 1, 1)
        if rng.random() < 0.3:
            slot.established_on = _random_day(rng, first, datetime.date(2014, 12, 31))
        else:
            slot.established_on = _random_day(
                rng, datetime.date(2015, 1, 1), DAY_2021 - datetime.timedelta(days=1)
            )
    for slot in rng.sample(older, DEMO_DEREGISTERING):
        slot.status = LifecycleStatus.DEREGISTERING
        slot.deregistration_started_on = _random_day(
            rng, datetime.date(2022, 1, 4), DEMO_AS_OF - datetime.timedelta(days=1)
        )
    return current


def _exited_slots(rng: random.Random) -> list[_Slot]:
    """The organizations that left the register (revoked or deregistered), period by period."""
    exited: list[_Slot] = []
    weights_by_type = {t: (tuple(q), tuple(q.values())) for t, q in DEMO_EXIT_CATEGORIES.items()}
    for count, first, last in (
        (DEMO_EXITS_BEFORE_2021, datetime.date(2015, 1, 5), DAY_2021 - datetime.timedelta(days=1)),
        (DEMO_EXITS_H2_2021, DAY_2021 + datetime.timedelta(days=1), YEAR_END_2021),
        (
            DEMO_EXITS_H1_2022,
            YEAR_END_2021 + datetime.timedelta(days=1),
            DAY_2022 - datetime.timedelta(days=1),
        ),
        (
            DEMO_EXITS_JUNE_2022,
            DAY_2022 + datetime.timedelta(days=1),
            DEMO_AS_OF - datetime.timedelta(days=1),
        ),
    ):
        for _ in range(count):
            org_type = SG if rng.random() < 0.45 else PNE
            categories, weights = weights_by_type[org_type]
            category = _weighted(rng, categories, weights)
            exited.append(
                _exited_slot(rng, org_type=org_type, category=category, first=first, last=last)
            )
    return exited


def _exited_slot(
    rng: random.Random, *, org_type: str, category: int, first: datetime.date, last: datetime.date
) -> _Slot:
    """One organization that left between `first` and `last`, established a year or more before."""
    slot = _Slot(org_type, category)
    slot.exit_on = _random_day(rng, first, last)
    latest_start = min(slot.exit_on - datetime.timedelta(days=365), DAY_2021)
    slot.established_on = _random_day(rng, datetime.date(2000, 1, 1), latest_start)
    if rng.random() < DEMO_REVOKED_SHARE:
        slot.status = LifecycleStatus.REVOKED
    else:
        slot.status = LifecycleStatus.DEREGISTERED
        slot.deregistration_started_on = max(
            slot.established_on + datetime.timedelta(days=1),
            slot.exit_on - datetime.timedelta(days=rng.randint(20, 150)),
        )
    return slot


def demo_register_plan() -> list[PlannedOrganization]:
    """The Futian demo register, computed without the database: same list on every call."""
    rng = random.Random(DEMO_SEED)
    slots = _demo_slots(rng)
    # Certificate numbers are issued in order of registration, per type.
    order = sorted(range(len(slots)), key=lambda i: (slots[i].established_on, i))
    serial = {PNE: 0, SG: 0}
    gen = _DemoNames(rng)
    plan: list[PlannedOrganization] = []
    for i in order:
        slot = slots[i]
        serial[slot.org_type] += 1
        name, unit_code, street = gen.organization_name(
            slot.org_type, slot.category, slot.is_industry_association
        )
        certificate = (
            f"福民{'社' if slot.org_type == SG else '非'}证字第{serial[slot.org_type]:04d}号"
        )
        plan.append(
            PlannedOrganization(
                uscc=gen.uscc(slot.org_type),
                name=name,
                org_type=slot.org_type,
                is_industry_association=slot.is_industry_association,
                category=slot.category,
                unit_code=unit_code,
                legal_representative=gen.person(),
                domicile=gen.domicile(street),
                phone=gen.phone(),
                business_scope=gen.business_scope(slot.category),
                registered_capital=gen.capital(slot.org_type, name),
                registration_certificate_no=certificate,
                established_on=slot.established_on,
                status=slot.status,
                deregistration_started_on=slot.deregistration_started_on,
                deregistered_on=slot.exit_on
                if slot.status == LifecycleStatus.DEREGISTERED
                else None,
                revoked_on=slot.exit_on if slot.status == LifecycleStatus.REVOKED else None,
            )
        )
    _plan_ratings(rng, plan)
    return plan


def _plan_ratings(rng: random.Random, plan: list[PlannedOrganization]) -> None:
    """等级评估 for a subset of today's register: organizations registered two years or more
    at the round (R-EVL), some re-rated five years later, when the first grade expired."""
    for org in plan:
        if org.status not in (LifecycleStatus.ACTIVE, LifecycleStatus.DEREGISTERING):
            continue
        if rng.random() >= RATED_SHARE:
            continue
        eligible = [
            i for i, day in enumerate(RATING_ROUNDS) if add_years(org.established_on, 2) <= day
        ]
        if not eligible:
            continue
        first = rng.choice(eligible)
        org.ratings.append(
            (_weighted(rng, RATING_GRADES, RATING_GRADE_WEIGHTS), RATING_ROUNDS[first])
        )
        if first + 5 < len(RATING_ROUNDS) and rng.random() < 0.5:
            org.ratings.append(
                (_weighted(rng, RATING_GRADES, RATING_GRADE_WEIGHTS), RATING_ROUNDS[first + 5])
            )
