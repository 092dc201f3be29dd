"""Deterministic party-building demo data, through the services (seed step `partybuilding.demo`).

The figures it is built to give (issue 11), by construction and checked by the tests:
- 2021-12-31: 145 party organizations covering 166 organizations (131 single branches, 14
  joint ones covering 35), 76 of them founded in 2021;
- 2022-06-30: 157 party organizations (142 single, 15 joint), 48 managed directly by the
  district committee with 296 members and 109 by street / work committees; 383
  organizations with party members.
Covered organizations are active organizations of the register established well before
their branch, so that the figures hold on both dates. It runs after the zombie clean-up
(which deregisters organizations) and before the credit lists (which read our trigger).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from registry.choices import LifecycleStatus
from registry.demo import DEMO, STREETS, SeedContext, register_seed_step
from registry.models import Organization

from .choices import Formation, MemberCountSource, level_for_members
from .models import Instructor, PartyOrganization, SuperiorBody, VolunteerDomain
from .reference import DISTRICT_COMMITTEE_CODE, WORK_COMMITTEE_CODES, reference_data_ensure
from .services import (
    coverage_end,
    demonstration_point_designate,
    instructor_assign,
    instructor_assignment_end,
    member_count_record,
    party_organization_create,
    party_organization_dissolve,
    volunteer_activity_record,
)

PARTY_SEED = 20210701
D = datetime.date
YEAR_END_2021 = D(2021, 12, 31)
DIRECT_COUNT, DIRECT_MEMBERS = 48, 296
WITH_MEMBERS_2022 = 383
CANDIDATES = 5  # ≥ 3 full members and no branch past the grace period: R-CRD-02(2) cases
INSTRUCTOR_NAMES = (
    "李建华",
    "陈晓燕",
    "王志强",
    "张丽娟",
    "刘国栋",
    "黄海燕",
    "周文斌",
    "吴秀英",
    "郑永刚",
    "孙慧敏",
    "朱建平",
    "何小红",
)
WORK_UNITS = {"FT-D01": WORK_COMMITTEE_CODES[0], "FT-D02": WORK_COMMITTEE_CODES[1]}


@dataclass
class Plan:
    """One party organization to create: when, how, whom it covers, and what happens later."""

    formation: str
    approved_on: datetime.date
    size: int = 1
    dissolved_on: datetime.date | None = None
    direct: bool = False
    orgs: list[Organization] = field(default_factory=list)
    leaves: Plan | None = None  # the joint branch its organization leaves on approval
    members: list[tuple[int, int]] = field(default_factory=list)  # per org: (full, probationary)


@contextmanager
def _at(day: datetime.date) -> Iterator[None]:
    # History rows carry the demo's date, not the day of the seed.
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _plans(rng: random.Random) -> list[Plan]:
    """The 161 party organizations (157 standing on 2022-06-30, 4 dissolved on the way)."""
    plans: list[Plan] = []
    before, y2021, y2022 = (
        (D(2016, 3, 1), D(2020, 12, 20)),
        (D(2021, 1, 5), D(2021, 12, 20)),
        (D(2022, 1, 5), D(2022, 6, 20)),
    )
    plans += [
        Plan(Formation.SINGLE, _day(rng, D(2017, 1, 1), D(2018, 12, 31)), dissolved_on=d)
        for d in (D(2020, 9, 15), D(2021, 5, 20))
    ]
    plans += [
        Plan(Formation.SINGLE, _day(rng, *before), dissolved_on=d)
        for d in (D(2022, 3, 18), D(2022, 5, 27))
    ]
    plans += [Plan(Formation.SINGLE, _day(rng, *before)) for _ in range(62)]
    # 14 joint branches by 2021 cover 35 organizations: seven of two, seven of three.
    sizes = [2] * 7 + [3] * 7
    rng.shuffle(sizes)
    plans += [Plan(Formation.JOINT, _day(rng, *before), size=s) for s in sizes[:5]]
    plans += [Plan(Formation.SINGLE, _day(rng, *y2021)) for _ in range(67)]
    plans += [Plan(Formation.JOINT, _day(rng, *y2021), size=s) for s in sizes[5:]]
    plans += [Plan(Formation.SINGLE, _day(rng, *y2022)) for _ in range(13)]
    plans += [Plan(Formation.JOINT, _day(rng, *y2022), size=2)]
    return plans


def _pool() -> list[Organization]:
    # Active today with nothing pending: such an organization was registered on both dates.
    return list(
        Organization.objects.filter(
            status=LifecycleStatus.ACTIVE, deregistration_started_on__isnull=True
        )
        .select_related("supervising_unit")
        .order_by("uscc")
    )


def _take(pool: list[Organization], n: int, latest: datetime.date) -> list[Organization]:
    chosen = [o for o in pool if o.established_on <= latest][:n]
    if len(chosen) < n:
        raise RuntimeError("登记簿中成立较早的在册组织不足，无法生成党建演示数据。")
    for org in chosen:
        pool.remove(org)
    return chosen


def _assign_members(rng: random.Random, plans: list[Plan]) -> None:
    standing = [p for p in plans if p.dissolved_on is None and p.formation == Formation.SINGLE]
    for p in rng.sample(standing, DIRECT_COUNT):
        p.direct = True
    for p in plans:
        if p.formation == Formation.JOINT:
            # R-PTY-02: organizations with fewer than 3 full members each.
            p.members = [(rng.choice((1, 1, 2)), rng.choice((0, 0, 1))) for _ in range(p.size)]
            if sum(f for f, _ in p.members) < 3:
                p.members[0] = (2, p.members[0][1])
        elif p.direct:
            p.members = [(rng.randint(3, 6), rng.choice((0, 0, 1, 2)))]
        else:
            p.members = [(rng.choice((3, 4, 5, 6, 8, 9, 12, 15, 21, 28)), rng.choice((0, 1, 2)))]
    direct = [p for p in plans if p.direct]
    # Bring the directly managed branches to exactly DIRECT_MEMBERS, one member at a time.
    gap = DIRECT_MEMBERS - sum(f + q for p in direct for f, q in p.members)
    i = 0
    while gap:
        p = direct[i % len(direct)]
        full, prob = p.members[0]
        step = 1 if gap > 0 else -1
        if 3 <= full + step <= 45:
            p.members[0] = (full + step, prob)
            gap -= step
        i += 1
    others = [
        p
        for p in plans
        if not p.direct
        and p.formation == Formation.SINGLE
        and p.dissolved_on is None
        and p.leaves is None
    ]
    others[0].members = [(112, 6)]  # a large hospital: a party committee
    others[1].members, others[2].members = [(58, 4)], [(71, 3)]  # two general branches


def _superior(plan: Plan, bodies: dict[str, SuperiorBody], rng: random.Random) -> SuperiorBody:
    if plan.direct:
        return bodies[DISTRICT_COMMITTEE_CODE]
    unit = plan.orgs[0].supervising_unit
    if unit is not None and unit.code in WORK_UNITS:
        return bodies[WORK_UNITS[unit.code]]
    street = next(
        (s for s in STREETS if unit is not None and unit.name == f"福田区{s}街道办事处"), None
    )
    index = STREETS.index(street) if street else rng.randrange(len(STREETS))
    return bodies[f"FT-PC-S{index + 1:02d}"]


def _name(plan: Plan, level_label: str, serial: int, body: SuperiorBody) -> str:
    if plan.formation == Formation.JOINT:
        where = body.name.removeprefix("中共深圳市福田区").removeprefix("委").split("（")[0]
        where = where.removesuffix("委员会").removesuffix("工作")
        return f"中共福田区{where}社会组织第{serial}联合支部委员会"
    suffix = {"党委": "委员会", "党总支": "总支部委员会", "党支部": "支部委员会"}[level_label]
    return f"中共{plan.orgs[0].name}{suffix}"


def _create(plan: Plan, body: SuperiorBody, serial: int, doc: int) -> PartyOrganization:
    full = sum(f for f, _ in plan.members)
    prob = sum(q for _, q in plan.members)
    level = level_for_members(full + prob)
    label = dict(PartyOrganization._meta.get_field("level").choices)[level]
    with _at(plan.approved_on):
        return party_organization_create(
            name=_name(plan, label, serial, body),
            level=level,
            formation=plan.formation,
            superior_body=body,
            approved_on=plan.approved_on,
            approval_doc_no=f"福社党〔{plan.approved_on.year}〕{doc}号",
            full_members=full,
            probationary_members=prob,
            has_branch_committee=level == "branch" and full >= 7,
            secretary=_person(random.Random(doc)),
            organizations=plan.orgs,
        )


def _person(rng: random.Random) -> str:
    return rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑") + "".join(
        rng.choice("建国华明丽敏志强伟芳秀英军平红") for _ in range(2)
    )


def _count(
    org: Organization,
    day: datetime.date,
    full: int,
    prob: int,
    source=MemberCountSource.ANNUAL_REPORT,
) -> None:
    with _at(day):
        member_count_record(
            organization=org, as_of=day, full_members=full, probationary_members=prob, source=source
        )


def party_demo_seed() -> dict[str, int]:
    """Build the demo; returns what was created (nothing when party organizations exist)."""
    if PartyOrganization.objects.exists():
        return {}
    reference_data_ensure()
    rng = random.Random(PARTY_SEED)
    plans = sorted(_plans(rng), key=lambda p: p.approved_on)
    pool = _pool()
    rng.shuffle(pool)
    for p in plans:
        p.orgs = _take(pool, p.size, p.approved_on - datetime.timedelta(days=90))
    _plan_leaver(plans, pool)
    _assign_members(rng, plans)
    bodies = {b.code: b for b in SuperiorBody.objects.all()}
    created: dict[int, PartyOrganization] = {}
    for serial, p in enumerate(plans, 1):
        if p.leaves is not None:
            cov = created[id(p.leaves)].coverages.get(organization=p.orgs[0])
            with _at(p.approved_on):
                coverage_end(coverage=cov, left_on=p.approved_on)
        created[id(p)] = _create(p, _superior(p, bodies, rng), serial, 100 + serial)
        for org, (full, prob) in zip(p.orgs, p.members, strict=True):
            _count(org, p.approved_on, full, prob, MemberCountSource.PARTY_ORGANIZATION)
    for p in plans:
        if p.dissolved_on:
            po = created[id(p)]
            # Members fell below three: the branch is dissolved (R-PTY-01).
            _count(
                p.orgs[0],
                p.dissolved_on - datetime.timedelta(days=20),
                2,
                0,
                MemberCountSource.SURVEY,
            )
            with _at(p.dissolved_on):
                party_organization_dissolve(
                    party_organization=po,
                    on=p.dissolved_on,
                    doc_no=f"福社党〔{p.dissolved_on.year}〕{po.pk % 97 + 200}号",
                )
    rest = _uncovered_with_members(rng, pool, plans)
    pairs = [(p, created[id(p)]) for p in plans]
    return {
        "party_organizations": len(created),
        "instructor_assignments": _instructors(rng, rest),
        "volunteer_activities": _volunteering(rng, pairs),
        "demonstration_points": _demonstration_points(rng, pairs),
    }


def _plan_leaver(plans: list[Plan], pool: list[Organization]) -> None:
    """A member of a three-organization joint branch grows to 3 full members and leaves it for
    a branch of its own in 2022: joint coverage follows the membership dates."""
    joint = next(
        p
        for p in plans
        if p.formation == Formation.JOINT and p.size == 3 and p.approved_on.year < 2021
    )
    own = next(
        p for p in plans if p.formation == Formation.SINGLE and p.approved_on >= D(2022, 3, 1)
    )
    pool.append(own.orgs[0])
    own.orgs, own.leaves = [joint.orgs[0]], joint


def _uncovered_with_members(
    rng: random.Random, pool: list[Organization], plans: list[Plan]
) -> list[Organization]:
    """Organizations with members and no party organization on 2022-06-30, so that 383 have members."""
    covered = sum(p.size for p in plans if p.dissolved_on is None) - 1  # the leaver counts once
    dissolved = sum(1 for p in plans if p.dissolved_on)
    for org in _take(pool, CANDIDATES, D(2021, 3, 31)):
        _count(org, D(2021, 6, 30), rng.choice((3, 3, 4)), 0, MemberCountSource.SURVEY)
    small = _take(pool, WITH_MEMBERS_2022 - covered - dissolved - CANDIDATES, D(2021, 12, 31))
    for org in small:
        _count(org, YEAR_END_2021, rng.choice((1, 1, 2)), rng.choice((0, 0, 1)))
    return small


def _instructors(rng: random.Random, small: list[Organization]) -> int:
    people = [
        Instructor.objects.get_or_create(name=n, defaults={"employer": "福田区社会组织党委"})[0]
        for n in INSTRUCTOR_NAMES
    ]
    made = 0
    for i, org in enumerate(small[:120]):
        start = _day(
            rng,
            max(D(2021, 3, 1), org.established_on + datetime.timedelta(days=30)),
            D(2022, 3, 31),
        )
        with _at(start):
            a = instructor_assign(
                instructor=people[i % len(people)], organization=org, started_on=start
            )
        made += 1
        if i % 8 == 0:
            end = _day(rng, start + datetime.timedelta(days=30), D(2022, 6, 30))
            with _at(end):
                instructor_assignment_end(assignment=a, ended_on=end)
    return made


def _volunteering(rng: random.Random, created) -> int:
    domains = list(VolunteerDomain.objects.order_by("sort_order"))
    covered = [org for p, _po in created if p.dissolved_on is None for org in p.orgs]
    titles = ("社区志愿服务", "党员先锋岗", "主题党日志愿活动", "结对帮扶行动")
    n = 36
    for i in range(n):
        domain = domains[i % len(domains)]
        held_on = _day(rng, D(2021, 3, 1), D(2022, 6, 25))
        with _at(held_on):
            volunteer_activity_record(
                title=f"{domain.name}{titles[i % len(titles)]}（{held_on:%Y年%m月}）",
                domain=domain,
                held_on=held_on,
                organizations=rng.sample(covered, rng.randint(1, 4)),
                participants=rng.randint(6, 60),
                hours=Decimal(rng.randint(12, 400)),
            )
    return n


def _demonstration_points(rng: random.Random, created) -> int:
    direct = [p.orgs[0] for p, _po in created if p.direct and p.approved_on.year < 2021]
    chosen = rng.sample(direct, 8)
    for org in chosen:
        with _at(D(2021, 7, 1)):
            demonstration_point_designate(
                organization=org,
                title=f"{org.name}党建示范点",
                designated_on=D(2021, 7, 1),
                designation_doc_no="福社党〔2021〕60号",
            )
    return len(chosen)


@register_seed_step("partybuilding.demo", order=305, modes=(DEMO,))
def _party_step(ctx: SeedContext) -> str:
    done = party_demo_seed()
    if not done:
        return "党建演示数据已存在，未做改动。"
    return (
        f"党建：党组织 {done['party_organizations']} 个、指导员指派 {done['instructor_assignments']} 条、"
        f"志愿服务活动 {done['volunteer_activities']} 次、示范点 {done['demonstration_points']} 个。"
    )
