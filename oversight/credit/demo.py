"""`seed_demo` step: the credit lists of the seed letter — 223 organizations listed on the
活动异常名录 or the 严重违法失信名单 since 2021 — decided through the real services.

The daily rules job (`credit_rules_run`) runs on dates of 2021–2022 over the demo's annual
reports, inspections and the zombie step's unsigned special letters; one demo clerk proposes
what it suggests and a second one approves it (four eyes, DESIGN.md §4.4). Every decision
is dated 2021–2022, nothing after 2022-12-31. The bureau's practice in the demo:

* the first run (2021-06-01) also suggests listings for the 2019 reports: those were dealt
  with in the 2020 annual inspection, before the credit lists were kept here, so the clerk
  rejects them;
* a report filed late but by 30 June, after the circular of 15 June that names the missing
  ones, earns a written reminder instead of a listing (the suggestion is rejected with that
  reason); the others are listed (R-CRD-02(1)) and removed once their report is filed
  (R-CRD-07, rectified);
* the organizations whose two special letters came back unsigned in 2021 are listed as
  unreachable (R-CRD-02(6)), overdue rectifications as R-CRD-02(3);
* warnings and small fines, recorded by a demo clerk through `penalty_record` on their
  dates, for organizations picked with a fixed seed: a warning in late 2021 lists an organization
  with an otherwise clean record (R-CRD-02(5)) and the listing is removed six months later,
  nothing to rectify; organizations listed for their missing 2020 report that filed neither
  it nor the 2021 one are warned for each, and the second warning within three years puts
  them on the serious list (R-CRD-05(5));
* one of those is a judgment defaulter (R-CRD-05(6)), a ground the rules cannot see: a
  listing decided directly (credit_listing_create), by the same two clerks;
* revocations (撤销登记) of the register and of the zombie cases are listed on the serious
  list from the decision (R-CRD-05(7)); the warnings and small fines of June
  2022 complete the letter's count (see below).

The seed letter (2022-07-28) counts 223 organizations listed since 2021. The overdue
rectifications come from the draws, whose organizations differ between databases (their
nonces are random by design); the July 2022 decisions on the missing 2021 reports absorb the
difference (`_july_2022`), so the count on the letter's date is 223 on every database; the
lists go on growing after it. The step does nothing when the demo clerks' decisions exist.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.annual_reports.selectors import organizations_owing_report
from oversight.credit.choices import (
    CreditGround,
    CreditList,
    DecisionAction,
    ProposalStatus,
)
from oversight.credit.demo_penalties import (
    _at,
    _penalties_seed,
    _unfiled,
)
from oversight.credit.models import (
    CreditListing,
    CreditProposal,
    CreditRemoval,
    SpecialLetter,
)
from oversight.credit.runs import credit_rules_run
from oversight.credit.services import (
    credit_listing_create,
    credit_proposal_propose,
    credit_proposal_reject,
    credit_proposals_approve_bulk,
    rules_evaluate_for,
)
from oversight.zombies.models import ZombieFlag
from registry.choices import LifecycleStatus
from registry.demo import DEMO, SeedContext, demo_register_plan, register_seed_step
from registry.models import Organization

CREDIT_SEED = 20210715
TARGET = 223  # organizations listed (either list) by a decision of 2021 or later …
LETTER_ON = datetime.date(2022, 7, 28)  # … up to the seed letter's date
SINCE = datetime.date(2021, 1, 1)
LAST_DAY = datetime.date(2022, 12, 31)
CLERKS = (
    ("demo-credit-1", "丽娟", "张"),  # 提议人: reviews what the rules suggest
    ("demo-credit-2", "文杰", "周"),  # 批准人
)
FIRST_YEAR = 2020  # the first report year whose missing reports are listed here
# A late report filed by 30 June (after the circular of 15 June): a reminder, no listing.
GRACE = {2020: datetime.date(2021, 6, 30), 2021: datetime.date(2022, 6, 30)}
DEFAULTER_ON = datetime.date(2022, 9, 20)


def listed_since(since: datetime.date = SINCE, until: datetime.date | None = None) -> int:
    """Distinct organizations with a listing decided on or after `since` (either list), up to
    `until` when given."""
    qs = CreditListing.objects.filter(decided_on__gte=since)
    if until is not None:
        qs = qs.filter(decided_on__lte=until)
    return qs.values("organization_id").distinct().count()


def _clerks() -> tuple:
    User = get_user_model()
    users = []
    for username, first_name, last_name in CLERKS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username, first_name=first_name, last_name=last_name, is_staff=True
            )
            user.set_unusable_password()
            user.save()
        users.append(user)
    return tuple(users)


def _demo_ids() -> set[int]:
    """The demo register's organizations (a synthetic register in the same database is left
    alone, as the other oversight steps do)."""
    usccs = sorted(p.uscc for p in demo_register_plan())
    ids: set[int] = set()
    for start in range(0, len(usccs), 500):  # SQLite caps the parameters of one query
        ids.update(
            Organization.objects.filter(uscc__in=usccs[start : start + 500]).values_list(
                "pk", flat=True
            )
        )
    return ids


def _clean(demo_ids: set[int]) -> list[Organization]:
    """Demo organizations nothing else puts on a list in 2021–2022: active to the end of 2022,
    every report of 2019–2021 sealed and on time, no special letter or zombie flag (the
    rectifications ordered by the draws are left out later: they differ between databases)."""
    bad: set[int] = set()
    for cycle in AnnualReportCycle.objects.filter(year__in=(2019, 2020, 2021)):
        owing = set(organizations_owing_report(cycle=cycle).values_list("pk", flat=True))
        on_time = set(
            AnnualReport.objects.filter(
                year=cycle.year, is_sealed=True, submitted_on__lte=cycle.bureau_deadline
            ).values_list("organization_id", flat=True)
        )
        bad |= owing - on_time
    bad |= set(SpecialLetter.objects.values_list("organization_id", flat=True))
    bad |= set(ZombieFlag.objects.values_list("organization_id", flat=True))
    bad |= set(CreditListing.objects.values_list("organization_id", flat=True))
    orgs = Organization.objects.filter(
        status=LifecycleStatus.ACTIVE,
        deregistration_started_on__isnull=True,
        established_on__lte=datetime.date(2019, 6, 30),
    ).order_by("uscc")
    return [o for o in orgs if o.pk in demo_ids and o.pk not in bad]


# ------------------------------------------------------------------ the clerks' desk


class _Desk:
    """The rules job and the two clerks, on the demo's dates."""

    def __init__(self, demo_ids: set[int]) -> None:
        self.proposer, self.approver = _clerks()
        self.demo_ids = demo_ids
        self.rejected = 0

    def run(self, on: datetime.date) -> None:
        credit_rules_run(as_of=on, at=_at(on, 2))  # the nightly job

    def suggested(
        self, select: Callable[[CreditProposal], bool] = lambda p: True
    ) -> list[CreditProposal]:
        qs = CreditProposal.objects.filter(status=ProposalStatus.SUGGESTED).order_by("pk")
        return [p for p in qs if p.organization_id in self.demo_ids and select(p)]

    def reject(self, proposals: list[CreditProposal], on: datetime.date, reason) -> None:
        for p in proposals:
            credit_proposal_reject(
                proposal=p, actor=self.proposer, reason=reason(p), at=_at(on, 11)
            )
        self.rejected += len(proposals)

    def propose(self, proposals: list[CreditProposal], on: datetime.date) -> None:
        for p in proposals:
            credit_proposal_propose(proposal=p, actor=self.proposer, at=_at(on, 10))

    def approve(self, proposals: list[CreditProposal], on: datetime.date) -> int:
        """Approve what the rules still support on `on` (a proposal whose cause has gone —
        the organization deregistered meanwhile — stays for the next run to mark obsolete)."""
        if not proposals:
            return 0
        fresh = {
            c.rule_key
            for c in rules_evaluate_for(
                as_of=on, organization_ids={p.organization_id for p in proposals}
            )
        }
        valid = [p for p in proposals if p.rule_key in fresh]
        if valid:
            credit_proposals_approve_bulk(
                proposals=valid, actor=self.approver, decided_on=on, at=_at(on, 15)
            )
        return len(valid)

    def batch(
        self,
        run_on: datetime.date,
        propose_on: datetime.date,
        decide_on: datetime.date,
        select: Callable[[CreditProposal], bool] = lambda p: True,
    ) -> None:
        self.run(run_on)
        proposals = self.suggested(select)
        self.propose(proposals, propose_on)
        self.approve(proposals, decide_on)


def _report_key(year: int) -> Callable[[CreditProposal], bool]:
    return lambda p: p.rule_key.startswith(f"list:R-CRD-02(1):{year}:")


def _in_grace(desk: _Desk, year: int, on: datetime.date) -> None:
    """Reject the suggestions of `year` whose sealed report came in by the grace day, on `on`."""
    grace = GRACE[year]
    suggested = desk.suggested(_report_key(year))
    filed = dict(
        AnnualReport.objects.filter(
            year=year,
            is_sealed=True,
            submitted_on__lte=grace,
            organization_id__in=[p.organization_id for p in suggested],
        ).values_list("organization_id", "submitted_on")
    )
    desk.reject(
        [p for p in suggested if p.organization_id in filed],
        on,
        lambda p: (
            f"已于{filed[p.organization_id]}补报{year}年度工作报告（催报期限{grace}前），"
            "逾期情节轻微，予以书面提醒，不予列入。"
        ),
    )


@dataclass(frozen=True)
class CreditSeedResult:
    listed: int
    listings: int
    removals: int
    rejected: int
    pending: int


def _july_2022(desk: _Desk, pool_orgs: list[Organization]) -> None:
    """The decisions of July 2022, the last before the seed letter (LETTER_ON): everything
    the rules suggest, except that the listings of organizations not listed yet for their
    missing 2021 report or for a warning or small fine of June are decided in two rounds — as
    many on 15 July as make the letter's TARGET, the others on 15 August. The draws (random by design) decide who has an
    overdue rectification, so the count before this step differs between databases; this
    step takes up the difference, through the rules' own suggestions."""
    D = datetime.date
    desk.run(D(2022, 7, 1))
    suggested = desk.suggested()
    desk.propose(suggested, D(2022, 7, 4))
    report_2021 = _report_key(2021)
    listed = set(
        CreditListing.objects.filter(decided_on__gte=SINCE).values_list(
            "organization_id", flat=True
        )
    )
    pool = [o.pk for o in pool_orgs]
    top_up = [p for p in suggested if p.organization_id not in listed]
    top_up = [p for p in top_up if report_2021(p) or p.organization_id in pool]
    first = [p for p in suggested if p not in top_up]
    desk.approve(first, D(2022, 7, 15))
    # The 2021 reports first (USCC order), then the June penalties (in the order drawn).
    new = sorted(
        top_up,
        key=lambda p: (
            (0, p.organization.uscc) if report_2021(p) else (1, pool.index(p.organization_id))
        ),
    )
    needed = TARGET - listed_since()
    if not 0 <= needed <= len(new):
        raise RuntimeError(f"信用名录演示数据无法在{LETTER_ON}达到{TARGET}家（差{needed}家）。")
    desk.approve(new[:needed], D(2022, 7, 15))
    desk.approve(new[needed:], D(2022, 8, 15))


def _not(*keys: Callable[[CreditProposal], bool]) -> Callable[[CreditProposal], bool]:
    return lambda p: not any(k(p) for k in keys)


def _year_2021(desk: _Desk) -> None:
    """2021: the 2020 reports (the 2019 ones were handled in the 2020 annual inspection),
    then the unreachable, the removals once late reports are in, overdue rectifications and
    the warnings of the autumn."""
    D = datetime.date
    desk.run(D(2021, 6, 1))
    desk.reject(
        [
            p
            for p in desk.suggested()
            if p.rule_key.startswith("list:R-CRD-02(1):")
            and int(p.rule_key.split(":")[2]) < FIRST_YEAR
        ],
        D(2021, 6, 8),
        lambda p: (
            f"{p.evidence.get('report_year')}年度工作报告未按时报送的情形已在"
            f"{p.evidence.get('report_year', 2019) + 1}年度年检中处理，不再追溯列入。"
        ),
    )
    desk.run(D(2021, 7, 12))
    _in_grace(desk, 2020, D(2021, 7, 12))
    desk.propose(desk.suggested(_report_key(2020)), D(2021, 7, 12))
    desk.approve(
        list(CreditProposal.objects.filter(status=ProposalStatus.PROPOSED).order_by("pk")),
        D(2021, 7, 15),
    )
    desk.batch(D(2021, 9, 1), D(2021, 9, 6), D(2021, 9, 15))
    desk.batch(D(2021, 10, 11), D(2021, 10, 12), D(2021, 10, 15))
    desk.batch(D(2021, 12, 1), D(2021, 12, 6), D(2021, 12, 15))


def _defaulter_list(*, desk: _Desk, org: Organization, rng: random.Random) -> None:
    """R-CRD-05(6), a ground the rules cannot see: decided directly by the same two clerks.
    Draws the court's case number from `rng` (after the penalties' draws)."""
    case_no = f"（2022）粤0304执{rng.randint(2000, 9999)}号"
    credit_listing_create(
        organization=org,
        list_type=CreditList.SERIOUS,
        ground=CreditGround.S6_JUDGMENT_DEFAULTER,
        facts=(
            f"深圳市福田区人民法院{case_no}执行案件中，"
            "该组织未履行生效法律文书确定的义务，于2022-09-08被依法列为失信被执行人。"
        ),
        decided_on=DEFAULTER_ON,
        served_on=DEFAULTER_ON + datetime.timedelta(days=3),
        proposed_by=desk.proposer,
        approved_by=desk.approver,
        evidence={
            "court": "深圳市福田区人民法院",
            "case_no": case_no,
            "listed_by_court_on": "2022-09-08",
        },
        at=_at(DEFAULTER_ON, 15),
    )


def _seed_result(desk: _Desk) -> CreditSeedResult:
    return CreditSeedResult(
        listed=listed_since(until=LETTER_ON),
        listings=CreditListing.objects.count(),
        removals=CreditRemoval.objects.count(),
        rejected=desk.rejected,
        pending=CreditProposal.objects.filter(
            status__in=(ProposalStatus.SUGGESTED, ProposalStatus.PROPOSED)
        ).count(),
    )


@transaction.atomic
def credit_demo_seed() -> CreditSeedResult | None:
    """The demo's credit decisions of 2021–2022; None when they exist already. One seeded
    random source, drawn in a fixed order: the penalties first, then the defaulter's case."""
    if CreditListing.objects.filter(approved_by__username=CLERKS[1][0]).exists():
        return None
    D = datetime.date
    rng = random.Random(CREDIT_SEED)
    demo_ids = _demo_ids()
    desk = _Desk(demo_ids)
    penalties = _penalties_seed(rng, _clean(demo_ids), _unfiled(demo_ids), desk.proposer)
    _year_2021(desk)
    # 2022: the fines of the spring, the 2021 reports after the grace, six-month removals.
    desk.batch(D(2022, 3, 1), D(2022, 3, 7), D(2022, 3, 15))
    desk.batch(D(2022, 6, 1), D(2022, 6, 6), D(2022, 6, 15), _not(_report_key(2021)))
    _in_grace(desk, 2021, D(2022, 7, 1))
    _july_2022(desk, penalties.pool)
    # After the letter's date: the rest of the 2021 reports, the zombie revocations of July.
    desk.batch(D(2022, 8, 1), D(2022, 8, 3), D(2022, 8, 15))
    desk.batch(D(2022, 9, 1), D(2022, 9, 5), D(2022, 9, 15))
    if penalties.defaulter is not None:
        _defaulter_list(desk=desk, org=penalties.defaulter, rng=rng)
    # December 2022: what else the rules found.
    desk.batch(D(2022, 12, 1), D(2022, 12, 5), D(2022, 12, 15))
    # The last run of the year: removals only; its other suggestions are the queue at the
    # end of 2022.
    desk.batch(
        D(2022, 12, 16),
        D(2022, 12, 19),
        D(2022, 12, 23),
        lambda p: p.action == DecisionAction.REMOVE,
    )
    return _seed_result(desk)


def _summary() -> str:
    since = CreditListing.objects.filter(decided_on__gte=SINCE)
    per_list = {
        label: since.filter(list_type=value).values("organization_id").distinct().count()
        for value, label in CreditList.choices
    }
    return "、".join(f"{label} {n} 家" for label, n in per_list.items())


@register_seed_step("oversight.credit_lists", order=310, modes=(DEMO,))
def _credit_lists_step(ctx: SeedContext) -> str:
    result = credit_demo_seed()
    if result is None:
        return (
            f"信用名录已存在（自2021年起至{LETTER_ON}列入 {listed_since(until=LETTER_ON)} 家），"
            "未做改动。"
        )
    return (
        f"信用名录：自2021年起至{LETTER_ON}列入 {result.listed} 家，至年末列入 "
        f"{listed_since()} 家（{_summary()}），列入决定 "
        f"{result.listings} 份、移出决定 {result.removals} 份，驳回规则建议 {result.rejected} "
        f"条，年末待办 {result.pending} 条（2021–2022 年，经规则计算和双人审核生成）。"
    )
