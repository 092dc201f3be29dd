"""`seed_demo` step: the 2021–2022 zombie clean-up of the seed letter — 101 organizations in
cleanup cases, 69 of them deregistered or deregistering — built through the real services.

The annual-report demo leaves dormant organizations whose reports show no activity since
2019. In the summer of 2021, organizations picked at random (fixed seed) among the silent
ones (no report of the period showing an activity) get two special letters that come back
unsigned (R-CRD-03). Detection then runs on the campaign's start (民发〔2021〕63号,
2021-09-01) and flags them (R-ZMB-01(3)/(4)), with others it finds. Staff confirm 101 flags
into cases — only of organizations that reported no activity in the period the criteria look
at (`period_years`): a flag on a late report that showed activity is no zombie — and move
them along R-ZMB-02; an unreachable organization is revoked only after a 60-day public
notice. The register demo has no lifecycle event after 2022-06-30 and its figures of that
day are asserted, so every change of registration status here falls in 2022-07 … 2022-12,
and the 69 outcomes stand by the letter's date, 2022-07-28; the liquidation audits
deregistration needs (D11/R-AUD-04, D13) run between the start of the deregistration and its
approval.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from oversight.annual_reports.models import AnnualReport
from oversight.credit.choices import LetterMailing, LetterReturnReason
from oversight.credit.intake import special_letter_record, special_letter_return_record
from oversight.inspections.choices import AuditKind
from oversight.inspections.models import Audit
from oversight.zombies.choices import ZombieCriterion, ZombieStage
from oversight.zombies.detection import zombie_detect
from oversight.zombies.models import ZombieCase, ZombieFlag
from oversight.zombies.periods import Periods
from oversight.zombies.services import zombie_case_open, zombie_case_transition
from registry.choices import LifecycleStatus
from registry.demo import DEMO, SeedContext, register_seed_step
from registry.models import Organization

ZOMBIE_SEED = 20210801
DETECTED_ON = datetime.date(2021, 9, 1)
LETTERS_ON = (datetime.date(2021, 6, 15), datetime.date(2021, 7, 20))
CASES = 101
UNREACHABLE = 86  # organizations whose two letters came back unsigned
# How the 101 cases stand at the end of 2022 (69 deregistered or deregistering).
OUTCOMES = (
    (ZombieStage.DEREGISTERED, 52),
    (ZombieStage.DEREGISTERING, 17),
    (ZombieStage.REVOKED, 7),
    (ZombieStage.RESTORED, 9),
    (ZombieStage.NOTIFIED, 10),
    (ZombieStage.IDENTIFIED, 6),
)
PATHS = {
    ZombieStage.IDENTIFIED: (),
    ZombieStage.NOTIFIED: (ZombieStage.NOTIFIED,),
    ZombieStage.DEREGISTERING: (ZombieStage.NOTIFIED, ZombieStage.DEREGISTERING),
    ZombieStage.DEREGISTERED: (
        ZombieStage.NOTIFIED,
        ZombieStage.DEREGISTERING,
        ZombieStage.DEREGISTERED,
    ),
    ZombieStage.REVOKED: (ZombieStage.NOTIFIED, ZombieStage.REVOKED),
    # R-ZMB-02: the notification could not be served, so a 60-day public notice first.
    "revoked_unreachable": (ZombieStage.NOTIFIED, ZombieStage.NOTICE, ZombieStage.REVOKED),
    ZombieStage.RESTORED: (ZombieStage.NOTIFIED, ZombieStage.RESTORED),
}
NOTES = {
    ZombieStage.NOTIFIED: "已向住所、法定代表人和业务主管单位送达告知书",
    ZombieStage.NOTICE: "告知书无法送达，在报纸和政府网站公告，公告期60日",
    ZombieStage.DEREGISTERING: "业务主管单位指导成立清算组，受理注销申请",
    ZombieStage.DEREGISTERED: "清算审计报告已出具，核准注销登记",
    ZombieStage.REVOKED: "公告送达期满仍无法取得联系，依法撤销登记",
    ZombieStage.RESTORED: "已补报年度工作报告并恢复开展活动，限期整改完成",
}
STAFF = ("陈敏", "刘洋", "黄丽", "周杰", "吴芳", "郑伟")
FIRMS = ("深圳市鹏城会计师事务所", "深圳市福田会计师事务所", "广东中天会计师事务所")


def _at(day: datetime.date) -> datetime.datetime:
    """The demo's time of a step: the services date flags and history rows with it (`at=`),
    not with the day of the seed."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return _weekday(first + datetime.timedelta(days=rng.randint(0, (last - first).days)))


def period_years() -> range:
    """The report years the criteria look at on the detection date: from the first reference
    year of (1)/(3) to the year of detection (the letters' window of (4) and the year of (2)
    lie within)."""
    p = Periods.on(DETECTED_ON)
    first = min(y.year for y in (*p.missed_years, *p.no_business_years))
    return range(first, DETECTED_ON.year + 1)


def reported_activity(organization: str = "pk") -> Exists:
    """A report of the period showing an activity, of the outer query's `organization`."""
    return Exists(
        AnnualReport.objects.filter(
            organization=OuterRef(organization),
            year__in=list(period_years()),
            activities_held__gt=0,
        )
    )


def _silent_flags() -> list[ZombieFlag]:
    """The day's flags of organizations still active that reported no activity in the period."""
    return list(
        ZombieFlag.objects.filter(as_of=DETECTED_ON, organization__status=LifecycleStatus.ACTIVE)
        .exclude(reported_activity("organization"))
        .select_related("organization")
    )


def _unsigned_letters(rng: random.Random) -> None:
    """Two letters each, returned unsigned, to silent organizations on the register since
    before the letters (R-CRD-03, D15)."""
    pool = sorted(
        Organization.objects.filter(status=LifecycleStatus.ACTIVE, established_on__lt=LETTERS_ON[0])
        .exclude(reported_activity())
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(pool, min(UNREACHABLE, len(pool)))
    _letters_returned(chosen)


def _letters_returned(org_ids: list[int]) -> None:
    """Two special letters to each registered address, both back unsigned a week later
    (R-CRD-03, R-ZMB-01(4)), recorded through the credit intake services on their dates."""
    for org in Organization.objects.filter(pk__in=org_ids).order_by("pk"):
        first = None
        for i, sent_on in enumerate(LETTERS_ON):
            letter = special_letter_record(
                organization=org,
                sent_on=sent_on,
                tracking_no=f"EMS{ZOMBIE_SEED % 10000:04d}{org.pk:06d}{i}",
                mailing=LetterMailing.SECOND if first else LetterMailing.FIRST,
                first_letter=first,
                at=_at(sent_on),
            )
            returned_on = sent_on + datetime.timedelta(days=7)
            special_letter_return_record(
                letter=letter,
                returned_on=returned_on,
                return_reason=LetterReturnReason.NO_SUCH_UNIT,
                at=_at(returned_on),
            )
            first = letter


@transaction.atomic
def zombie_demo_seed() -> int:
    """The demo's cleanup cases; returns how many were created (0 when they exist)."""
    if ZombieCase.objects.exists():
        return 0
    rng = random.Random(ZOMBIE_SEED)
    _unsigned_letters(rng)
    zombie_detect(as_of=DETECTED_ON, at=_at(DETECTED_ON))
    flags = _silent_flags()
    if len(flags) < CASES:
        raise RuntimeError(
            f"演示数据只有 {len(flags)} 家未开展活动的僵尸风险组织，少于 {CASES} 家。"
        )
    # Those that meet the most criteria first, then by code: a stable, explainable choice.
    flags.sort(key=lambda f: (-len(f.criteria), f.organization.uscc))
    flags = flags[:CASES]
    outcomes = [stage for stage, n in OUTCOMES for _ in range(n)]
    rng.shuffle(outcomes)
    for n, (flag, outcome) in enumerate(zip(flags, outcomes, strict=True), start=1):
        _one_case(rng, flag, outcome, n)
    return len(flags)


def _decision(stage: ZombieStage, on: datetime.date, n: int) -> dict[str, str]:
    """核准注销 and 撤销登记 are decisions with a number and an authority (R-XC-03); the
    cleanup's own series (清) so they never clash with the register demo's numbers."""
    word = {ZombieStage.DEREGISTERED: "注字", ZombieStage.REVOKED: "撤字"}.get(stage)
    if word is None:
        return {}
    return {
        "document_no": f"深福民{word}〔{on.year}〕清{n:03d}号",
        "authority": settings.REGISTRY_AUTHORITY_NAME,
        "facts": NOTES[stage],
    }


def _one_case(rng: random.Random, flag: ZombieFlag, outcome: ZombieStage, n: int) -> None:
    identified_on = _day(rng, datetime.date(2021, 9, 6), datetime.date(2021, 11, 30))
    case = zombie_case_open(
        flag=flag,
        identified_on=identified_on,
        responsible_person=rng.choice(STAFF),
        at=_at(identified_on),
    )
    # Notice in 2021–2022; every change of registration status after 2022-06-30 (the register
    # demo's day) and the outcomes of the seed letter by its date, 2022-07-28: deregistrations
    # begin and revocations are decided in July, the liquidation audit runs after the
    # deregistration began and reports before it is approved (D11, D13).
    dates = {
        ZombieStage.NOTIFIED: _day(
            rng, identified_on + datetime.timedelta(days=14), datetime.date(2022, 3, 31)
        ),
        ZombieStage.DEREGISTERING: _day(rng, datetime.date(2022, 7, 1), datetime.date(2022, 7, 27)),
        ZombieStage.REVOKED: _day(rng, datetime.date(2022, 7, 1), datetime.date(2022, 7, 22)),
        ZombieStage.RESTORED: _day(rng, datetime.date(2022, 4, 1), datetime.date(2022, 12, 15)),
    }
    if outcome == ZombieStage.DEREGISTERED:
        commissioned = _day(
            rng,
            dates[ZombieStage.DEREGISTERING] + datetime.timedelta(days=1),
            dates[ZombieStage.DEREGISTERING] + datetime.timedelta(days=10),
        )
        completed = _day(
            rng, commissioned + datetime.timedelta(days=30), datetime.date(2022, 11, 30)
        )
        dates[ZombieStage.DEREGISTERED] = _day(
            rng, completed + datetime.timedelta(days=3), datetime.date(2022, 12, 20)
        )
        Audit.objects.create(
            organization=flag.organization,
            kind=AuditKind.LIQUIDATION,
            firm=rng.choice(FIRMS),
            commissioned_on=commissioned,
            completed_on=completed,
            report_no=f"深审清字〔2022〕Z{case.pk:04d}号",
            conclusion="清算工作已完成，剩余财产按章程处置。",
        )
    path = PATHS[outcome]
    if outcome == ZombieStage.REVOKED and ZombieCriterion.UNREACHABLE in flag.criteria:
        path = PATHS["revoked_unreachable"]
        # Two weeks after the notification failed, and 60 days before the revocation: the
        # notifications end in March, the revocations begin in July.
        dates[ZombieStage.NOTICE] = _weekday(dates[ZombieStage.NOTIFIED] + datetime.timedelta(14))
    for stage in path:
        on = dates[stage]
        case = zombie_case_transition(
            case=case, to=stage, on=on, notes=NOTES[stage], at=_at(on), **_decision(stage, on, n)
        )


@register_seed_step("oversight.zombies", order=300, modes=(DEMO,))
def _zombies_step(ctx: SeedContext) -> str:
    created = zombie_demo_seed()
    if not created:
        return "僵尸型社会组织清理整治案件已存在，未做改动。"
    closing = ZombieCase.objects.filter(
        stage__in=(ZombieStage.DEREGISTERED, ZombieStage.DEREGISTERING)
    ).count()
    return (
        f"僵尸型社会组织清理整治：认定 {created} 家，其中已注销或注销办理中 {closing} 家"
        "（2021–2022 年，经检测、认定和办理服务生成）。"
    )
