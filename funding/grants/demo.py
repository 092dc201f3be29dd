"""Demo special fund (seed letter): 11 rounds, 775 funded projects for about ¥121 million,
completion reports, enterprise sponsorship — every record through the fund's services.

Deterministic (`random.Random(GRANT_SEED)`): the plan fixes each round's funded and rejected
applications and splits the round's money, activities and people by weights; the writes
then move each application along the transition table. Nothing is stored as a total: the
figures the seed letter quotes come out of aggregate queries over these records.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from common.eligibility import FUND, organization_obstacles
from registry.models import Organization
from registry.uscc import uscc_check_character

from .choices import EvaluationResult, FundRoundStatus, GrantCategory, GrantStatus
from .eligibility import lifecycle_obstacle
from .models import Expert, ExpertConflict, FundRound, GrantProject
from .payments import (
    grant_completion_report_submit,
    grant_payment_request,
    sponsorship_record,
)
from .services import (
    expert_conflict,
    fund_round_create,
    fund_round_set_status,
    grant_review_record,
    grant_submit,
    grant_transition,
    min_expert_reviews,
)

GRANT_SEED = 20160301
SEED_LETTER_DATE = datetime.date(2022, 7, 28)
D = datetime.date
DAY = datetime.timedelta(days=1)

# (number, year, application window, funded projects, rejected applications). Round 5 is
# R-FND-02's: 276 applications, 91 funded for about ¥11.725 million.
ROUNDS = (
    (1, 2016, D(2016, 3, 1), D(2016, 3, 31), 62, 31),
    (2, 2016, D(2016, 9, 1), D(2016, 9, 30), 66, 33),
    (3, 2017, D(2017, 3, 1), D(2017, 3, 31), 70, 35),
    (4, 2017, D(2017, 9, 1), D(2017, 9, 30), 72, 36),
    (5, 2018, D(2018, 3, 1), D(2018, 3, 31), 91, 185),
    (6, 2018, D(2018, 9, 1), D(2018, 9, 30), 74, 37),
    (7, 2019, D(2019, 3, 1), D(2019, 3, 31), 70, 35),
    (8, 2019, D(2019, 9, 1), D(2019, 9, 30), 72, 36),
    (9, 2020, D(2020, 6, 1), D(2020, 6, 30), 68, 34),
    (10, 2021, D(2021, 3, 1), D(2021, 3, 31), 64, 32),
    (11, 2021, D(2021, 9, 1), D(2021, 9, 30), 66, 33),
)
TOTAL_APPROVED = Decimal("121000000")
ROUND_5_APPROVED = Decimal("11725000")
TOTAL_ACTIVITIES = 17_300
TOTAL_PEOPLE = 1_600_000
TOTAL_SPONSORSHIP = Decimal("10380000")
SPONSORSHIPS = 64
EXPERTS = 30
TERMINATED_SHARE = 0.01
PROJECT_MONTHS = 12
TITLES = (
    "长者关爱",
    "青少年成长护航",
    "社区心理健康",
    "矫正帮扶",
    "邻里调解",
    "法律援助进社区",
    "反诈宣传",
    "社区自治能力建设",
    "残障人士融合",
    "外来务工人员服务",
    "家庭教育指导",
    "社区文化营造",
    "志愿服务培育",
    "社会组织孵化",
    "应急救护培训",
)
CATEGORIES = [c for c in GrantCategory.values if c != GrantCategory.RESEARCH]
SPONSORS = (
    "深圳市福华科技有限公司",
    "深圳市莲花实业有限公司",
    "深圳市香蜜投资有限公司",
    "深圳市华强电子有限公司",
    "深圳市梅林建设有限公司",
    "深圳市沙头贸易有限公司",
    "深圳市园岭医药有限公司",
    "深圳市南园物业管理有限公司",
    "深圳市福保物流有限公司",
    "深圳市华富文化传播有限公司",
    "深圳市景田餐饮管理有限公司",
    "深圳市车公庙置业有限公司",
    "深圳市上步通信有限公司",
    "深圳市皇岗银行服务有限公司",
    "深圳市益田商业有限公司",
    "深圳市新洲环保科技有限公司",
    "深圳市岗厦智能有限公司",
    "深圳市石厦教育科技有限公司",
    "深圳市竹子林能源有限公司",
    "深圳市八卦岭印务有限公司",
)


def split(total: Decimal | int, weights: list[float], *, unit) -> list:
    """`total` split by `weights` into multiples of `unit`, summing exactly to `total`
    (largest remainders get the leftover units)."""
    units = int(Decimal(total) / Decimal(unit))
    raw = [w * units / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: units - sum(parts)]:
        parts[i] += 1
    return [Decimal(p) * Decimal(unit) if isinstance(unit, Decimal) else p * unit for p in parts]


def enterprise_uscc(serial: int) -> str:
    first17 = "91440300" + f"MA5{serial:05d}" + "X"
    return first17 + uscc_check_character(first17)


def _round_budgets() -> dict[int, Decimal]:
    others = [r for r in ROUNDS if r[0] != 5]
    rest = split(TOTAL_APPROVED - ROUND_5_APPROVED, [r[4] for r in others], unit=Decimal("100"))
    budgets = {r[0]: amount for r, amount in zip(others, rest, strict=True)}
    budgets[5] = ROUND_5_APPROVED
    return budgets


def _experts() -> list[Expert]:
    experts = []
    for i in range(1, EXPERTS + 1):
        expert, _ = Expert.objects.get_or_create(
            code=f"ZJ{i:03d}",
            defaults={"name": f"评审专家{i:02d}", "unit": "深圳市社会组织评估专家库"},
        )
        experts.append(expert)
    return experts


def _candidates(rng: random.Random, fund_round: FundRound, count: int) -> list[Organization]:
    """`count` organizations that may apply to the round and be approved (registered, no
    obstacle from the window to the approval), in a deterministic order; an organization may
    appear twice (two projects in one round). Obstacles are asked set-based, per date."""
    closes = fund_round.closes_on
    dates = [fund_round.opens_on, closes, *(closes + n * DAY for n in (35, 45, 55, 65))]
    pool = list(Organization.objects.registered_on(fund_round.opens_on).order_by("uscc"))
    barred: set[int] = set()
    for on in dates:
        barred |= set(organization_obstacles([o.pk for o in pool], on, purpose=FUND))
        barred |= {o.pk for o in pool if lifecycle_obstacle(o, on)}
    pool = [o for o in pool if o.pk not in barred]
    return [pool[rng.randrange(len(pool))] for _ in range(count)]


def _review(project, experts, rng, on) -> None:
    chosen = 0
    for expert in rng.sample(experts, len(experts)):
        if expert_conflict(expert=expert, organization=project.organization, on=on):
            continue
        grant_review_record(
            project=project, expert=expert, score=rng.randint(72, 96), on=on, comment="同意资助"
        )
        chosen += 1
        if chosen == min_expert_reviews():
            return


def _fund(project, amount, *, experts, rng, plan: dict) -> GrantProject:
    closes = project.round.closes_on
    grant_transition(project=project, to=GrantStatus.PRELIMINARY_REVIEW, on=closes + 7 * DAY)
    grant_transition(project=project, to=GrantStatus.EXPERT_REVIEW, on=closes + 21 * DAY)
    _review(project, experts, rng, closes + 28 * DAY)
    project = grant_transition(
        project=project, to=GrantStatus.PUBLIC_NOTICE, on=closes + 35 * DAY, approved_amount=amount
    )
    approved_on = project.notice_ends_on + DAY
    number = project.round.number
    grant_transition(
        project=project,
        to=GrantStatus.APPROVED,
        on=approved_on,
        document_no=f"福社建〔{approved_on.year}〕{number}号",
    )
    started = approved_on + 14 * DAY
    grant_transition(
        project=project, to=GrantStatus.IN_PROGRESS, on=started, remarks="签订资助协议"
    )
    first = (amount * Decimal("0.6")).quantize(Decimal("0.01"))
    grant_payment_request(
        project=project, amount=first, on=started, document_no=f"第{number}期首期"
    )
    ends = started + datetime.timedelta(days=30 * PROJECT_MONTHS)
    if rng.random() < TERMINATED_SHARE:
        grant_transition(
            project=project,
            to=GrantStatus.TERMINATED,
            on=started + 120 * DAY,
            remarks="项目负责人离职，主动申请终止",
        )
        return project
    if ends > SEED_LETTER_DATE:
        return project  # still running on the date of the seed letter
    activities, people = plan["activities"].pop(), plan["people"].pop()
    grant_completion_report_submit(
        project=project,
        activities_held=activities,
        people_served=people,
        evaluation_result=rng.choice(
            [
                EvaluationResult.EXCELLENT,
                EvaluationResult.GOOD,
                EvaluationResult.GOOD,
                EvaluationResult.PASS,
            ]
        ),
        evaluator="深圳市社会组织第三方评估中心",
        on=ends,
    )
    grant_payment_request(
        project=project, amount=amount - first, on=ends, document_no=f"第{number}期尾款"
    )
    return grant_transition(
        project=project, to=GrantStatus.COMPLETED, on=ends, remarks="结项验收通过"
    )


def _completion_plan(rng: random.Random) -> dict:
    """Activities and people of every project that will complete, split by weights."""
    finishing = sum(r[4] for r in ROUNDS if r[0] <= 10)  # rounds 1–10 end before the letter
    weights = [rng.uniform(0.4, 1.6) for _ in range(finishing)]
    return {
        "activities": split(TOTAL_ACTIVITIES, weights, unit=1),
        "people": split(TOTAL_PEOPLE, [w * rng.uniform(0.7, 1.3) for w in weights], unit=1),
    }


def _seed_round(spec, budget, *, experts, rng, plan) -> None:
    number, year, opens, closes, funded, rejected = spec
    fund_round = fund_round_create(
        number=number,
        year=year,
        title=f"福田区社会建设专项资金第{number}期",
        directions="基本公共服务、公益服务、社区便民服务、社会治理创新、社会组织培育",
        opens_on=opens,
        closes_on=closes,
        budget=budget,
        status=FundRoundStatus.OPEN,
    )
    amounts = split(budget, [rng.uniform(0.35, 1.65) for _ in range(funded)], unit=Decimal("100"))
    orgs = _candidates(rng, fund_round, funded + rejected)
    span = (closes - opens).days
    for i, org in enumerate(orgs):
        amount = amounts[i] if i < funded else None
        requested = (amount or Decimal(rng.randrange(500, 3000) * 100)) * Decimal(
            rng.choice(["1", "1.1", "1.2"])
        )
        project = grant_submit(
            fund_round=fund_round,
            organization=org,
            title=f"{rng.choice(TITLES)}项目（第{number}期）",
            category=rng.choice(CATEGORIES),
            requested_amount=requested.quantize(Decimal("0.01")),
            on=opens + rng.randrange(span + 1) * DAY,
            plan="项目实施方案见申报书。",
        )
        if amount is not None:
            _fund(project, amount, experts=experts, rng=rng, plan=plan)
        else:
            grant_transition(
                project=project, to=GrantStatus.PRELIMINARY_REVIEW, on=closes + 7 * DAY
            )
            grant_transition(
                project=project,
                to=GrantStatus.REJECTED,
                on=closes + 14 * DAY,
                remarks="不符合本期资助方向",
            )
    fund_round_set_status(fund_round=fund_round, status=FundRoundStatus.FINISHED)


def _seed_sponsorships(rng: random.Random) -> None:
    projects = list(
        GrantProject.objects.filter(status=GrantStatus.COMPLETED)
        .select_related("organization")
        .order_by("id")
    )
    amounts = split(
        TOTAL_SPONSORSHIP,
        [rng.uniform(0.3, 1.7) for _ in range(SPONSORSHIPS)],
        unit=Decimal("1000"),
    )
    for i, amount in enumerate(amounts):
        project = rng.choice(projects)
        serial = i % len(SPONSORS)
        sponsorship_record(
            sponsor_name=SPONSORS[serial],
            sponsor_uscc=enterprise_uscc(serial + 1),
            organization=project.organization,
            project=project if rng.random() < 0.7 else None,
            amount=amount,
            on=min(project.approved_on + rng.randrange(30, 300) * DAY, SEED_LETTER_DATE),
        )


def grants_demo_seed() -> int:
    """Seed the demo fund once; returns the projects created (0 when already present)."""
    if FundRound.objects.exists():
        return 0
    rng = random.Random(GRANT_SEED)
    with transaction.atomic():
        experts = _experts()
        orgs = list(Organization.objects.order_by("uscc")[:10])
        for i, org in enumerate(orgs):
            ExpertConflict.objects.get_or_create(
                expert=experts[i], organization=org, defaults={"reason": "担任该组织理事"}
            )
        budgets = _round_budgets()
        plan = _completion_plan(rng)
        for spec in ROUNDS:
            _seed_round(spec, budgets[spec[0]], experts=experts, rng=rng, plan=plan)
        _seed_sponsorships(rng)
    return GrantProject.objects.count()
