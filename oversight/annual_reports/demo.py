"""Demo data of supervision (`manage.py seed_demo`): the seed letter's oversight history.

Over the Futian demo register of `registry.demo`:

* an inspector register of 24 福田区民政局 inspectors and a few declared conflicts (R-INS-10);
* annual reports 2015–2021 (年检 model) for every organization that owed one, with realistic
  gaps: a few per cent missing each year, late and unsealed reports, a set of organizations
  on the register that missed 2020 and 2021 (zombie-like, DOMAIN.md §5), dormant ones whose
  reports show no activity since 2019 (the zombie cleanup's candidates), and revoked
  organizations that stopped reporting in their last two years;
* four draws by the real services: the 2021 年检年报抽查 over 811 organizations (81 drawn), the
  2022 one over 766 (77), and the special enforcement inspections of 2021 (30) and 2022 (33),
  moved along by the inspection services;
* a completed liquidation audit before every deregistration (D11), departure audits so that
  2021 counts 94 departure and liquidation audits, and a few special financial audits;
* the 2021 joint inspection of 11 education organizations, a few interviews and circulars.

The demo is a snapshot of 2022-06-30 like the register (`DEMO_AS_OF`): nothing is dated
later, so the 2022 inspections are still under way and part of the 2021 reports await review.
Random choices come from `random.Random` streams with fixed seeds; only the draws' nonces
are random by design, so which organizations are drawn differs between databases while
every count stays the same. Every step creates only what is missing: a second run creates
nothing.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from oversight.annual_reports.choices import AnnualReportStatus, ReviewResult, SupervisorOpinion
from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.selectors import organizations_owing_report
from oversight.annual_reports.services import annual_report_cycle_get, annual_report_initial_status
from oversight.demo_base import (
    CHANGE_REASON,
    HORIZON,
    REPORT_YEARS,
    _days,
    _demo_orgs,
    _moment,
    _Org,
    _rng,
    _working_day,
)
from registry.choices import OrganizationType
from registry.demo import (
    DEMO,
    SeedContext,
    register_seed_step,
)
from registry.models import Organization

PNE, SG = OrganizationType.PRIVATE_NON_ENTERPRISE, OrganizationType.SOCIAL_GROUP
C_EDUCATION, C_SOCIAL, C_HEALTH = 4, 9, 5  # industry category codes (migration 0002)


# ---------------------------------------------------------------------------------------------
# Annual reports 2015–2021 (R-ANN-01…10)

ZOMBIES = 12  # on the register today, no report for 2020 nor 2021 (R-ZMB-01 candidates)
# On the register today and holding no activity since 2019 (their reports, when filed, say
# 0): with the zombie-like ones above, the silent organizations the zombie cleanup's
# detection finds on 2021-09-01 (R-ZMB-01(1)/(3)) and its 101 cases are drawn from — a case
# never goes to an organization that reported activity in the period (issue 10).
DORMANT = 110
DORMANT_SINCE = 2019
LAPSED = 6  # missed 2017 and 2018, reporting again since
MISSING_SHARE = 0.025
LATE_SHARE = 0.05
UNSEALED_SHARE = 0.012
DISAGREE_SHARE = 0.03
# 合格 / 基本合格 / 不合格 of a sealed report filed on time (R-ANN-07).
RESULT_WEIGHTS = (90, 8, 2)
RESULTS = (ReviewResult.PASSED, ReviewResult.BASICALLY_PASSED, ReviewResult.FAILED)
BASIC_REMARKS = (
    "财务会计报告附注不完整，已要求补正。",
    "未按规定及时办理负责人变更备案，已责令改正。",
    "年度活动开展较少，请按章程开展业务活动。",
    "内部管理制度不健全，请完善理事会议事规则。",
    "会费收取标准未按规定公示，已责令改正。",
)
FAILED_REMARKS = (
    "未按章程开展活动，财务管理混乱，责令限期整改。",
    "财务会计报告与审计报告数据不一致且无法说明，责令限期整改。",
    "存在超出业务范围开展活动的情形，责令限期整改。",
    "未按规定换届，内部治理失效，责令限期整改。",
)
DISAGREE_REMARKS = (
    "年度工作报告所附财务报表未经审计，请补充审计报告。",
    "报告未反映负责人变更情况，请核实后重新报送。",
    "活动情况与实际不符，请核实后重新报送。",
)


@dataclass
class _Profile:
    """An organization's size, kept across years so its figures read as one history."""

    income: float
    growth: float
    staff: int
    full_time: int
    activities: tuple[int, int]
    party_members: int


def _profile(org: _Org) -> _Profile:
    rng = _rng("profile", org.uscc)
    if org.org_type == PNE:
        if org.name.endswith("幼儿园"):
            median, sigma, staff = 6_000_000, 0.45, (25, 70)
        elif org.category == C_EDUCATION:
            median, sigma, staff = 1_500_000, 0.8, (6, 40)
        elif org.category in (C_SOCIAL, C_HEALTH):
            median, sigma, staff = 2_000_000, 0.9, (8, 80)
        else:
            median, sigma, staff = 600_000, 0.9, (3, 25)
        activities = (12, 150)
    elif org.is_industry_association:
        median, sigma, staff, activities = 1_200_000, 0.8, (3, 12), (6, 40)
    else:
        median, sigma, staff, activities = 150_000, 1.0, (1, 6), (3, 30)
    headcount = rng.randint(*staff)
    if org.org_type == PNE:
        full_time = max(2, round(headcount * rng.uniform(0.6, 1.0)))
    else:
        # Most social groups keep at least two full-time staff; small street ones may not.
        full_time = min(headcount, rng.randint(2, 4)) if rng.random() < 0.8 else rng.randint(0, 1)
    return _Profile(
        income=median * math.exp(rng.gauss(0, sigma)),
        growth=rng.gauss(0.04, 0.08),
        staff=max(headcount, full_time),
        full_time=full_time,
        activities=activities,
        party_members=rng.randint(1, 12) if rng.random() < 0.45 else 0,
    )


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _figures(org: _Org) -> dict[int, dict]:
    """The organization's figures per report year (whether it reported or not)."""
    profile = _profile(org)
    rng = _rng("figures", org.uscc)
    net = float(org.registered_capital)
    figures = {}
    for year in REPORT_YEARS:
        covid = 0.8 if year == 2020 else 1.0
        income = profile.income * (1 + profile.growth) ** (year - 2015) * covid
        income *= rng.uniform(0.85, 1.15)
        expenditure = income * rng.uniform(0.88, 1.06)
        net = max(1000.0, net + income - expenditure)
        members = max(0, profile.party_members + rng.choice((-1, 0, 0, 0, 1)))
        figures[year] = {
            "income": _money(income),
            "expenditure": _money(expenditure),
            "net_assets": _money(net),
            "staff_count": profile.staff,
            "full_time_staff": profile.full_time,
            "activities_held": rng.randint(*profile.activities),
            "party_members": members if profile.party_members else 0,
            "probationary_party_members": 1 if members and rng.random() < 0.08 else 0,
        }
    return figures


def _gaps(orgs: list[_Org], owing: dict[int, set[int]]) -> dict[int, set[int]]:
    """Years each organization deliberately did not report, beyond the random few per cent:
    zombie-like organizations, lapsed ones, and revoked ones in their last two years."""
    rng = _rng("gaps")
    gaps: dict[int, set[int]] = {}
    settled = [
        o
        for o in orgs
        if o.registered_on(HORIZON) and o.established_on <= datetime.date(2016, 6, 30)
    ]
    zombies = rng.sample(settled, k=min(ZOMBIES, len(settled)))
    for org in zombies:
        gaps[org.id] = {2020, 2021}
    rest = [o for o in settled if o.id not in gaps]
    for org in rng.sample(rest, k=min(LAPSED, len(rest))):
        gaps[org.id] = {2017, 2018}
    # A revocation for "两年未参加年检" follows two years without a report (R-CRD-05).
    for org in orgs:
        if org.revoked_on:
            owed = sorted(y for y in REPORT_YEARS if org.id in owing[y])
            if owed:
                gaps[org.id] = set(owed[-2:])
    return gaps


def _dormant(orgs: list[_Org], gaps: dict[int, set[int]]) -> set[int]:
    """The organizations whose reports from DORMANT_SINCE on show no activity: DORMANT of
    those settled on the register (established by mid-2018, so they owed the 2019 report)
    and not lapsed, plus the zombie-like ones of `_gaps`."""
    rng = _rng("dormant")
    settled = [
        o
        for o in orgs
        if o.registered_on(HORIZON)
        and o.established_on <= datetime.date(2018, 6, 30)
        and o.id not in gaps
    ]
    picked = {o.id for o in rng.sample(settled, k=min(DORMANT, len(settled)))}
    return picked | {pk for pk, years in gaps.items() if years == {2020, 2021}}


@dataclass
class _PlannedReport:
    org: _Org
    year: int
    submitted_on: datetime.date
    is_sealed: bool
    figures: dict
    opinion: str  # "" when the organization has no supervising unit
    opinion_remarks: str
    opinion_at: datetime.datetime | None
    result: str
    remarks: str
    reviewed_on: datetime.date


def _plan_report(
    org: _Org, year: int, figures: dict, gap: bool, previous_failed: bool
) -> _PlannedReport | None:
    """One organization's report for one year, or None when it never filed it.

    The parts draw from the one `rng` in this order; reordering them changes the demo."""
    rng = _rng("report", org.uscc, year)
    draws = [rng.random() for _ in range(6)]  # fixed count: later choices never shift
    if gap or draws[0] < MISSING_SHARE:
        return None
    late = draws[1] < LATE_SHARE
    submitted = _submission_day(rng, org=org, year=year, late=late, draw=draws[2])
    if submitted > HORIZON:
        return None  # the 2021 report of a late filer: not in yet on the demo's day
    sealed = draws[3] >= UNSEALED_SHARE
    opinion, opinion_remarks, opinion_at, forwarded = _supervisor_opinion(
        rng, org=org, submitted=submitted, draw=draws[4]
    )
    start = max(forwarded + _days(5), datetime.date(year + 1, 6, 1))
    reviewed = _working_day(rng, start, start + _days(100))
    result, remarks = _review_outcome(
        rng,
        late=late,
        sealed=sealed,
        doubted=opinion == SupervisorOpinion.DISAGREE or previous_failed,
    )
    return _PlannedReport(
        org=org,
        year=year,
        submitted_on=submitted,
        is_sealed=sealed,
        figures=figures,
        opinion=opinion,
        opinion_remarks=opinion_remarks,
        opinion_at=opinion_at,
        result=result,
        remarks=remarks,
        reviewed_on=reviewed,
    )


def _submission_day(
    rng: random.Random, *, org: _Org, year: int, late: bool, draw: float
) -> datetime.date:
    """When the year's report is filed: the next June–September when late; otherwise by
    31 March to the supervising unit (R-ANN-01), a few in April–May; by May when direct."""
    next_year = year + 1
    if late:
        return _working_day(rng, datetime.date(next_year, 6, 1), datetime.date(next_year, 9, 30))
    if org.unit_id:
        last = datetime.date(next_year, 3, 31) if draw < 0.85 else datetime.date(next_year, 5, 25)
        return _working_day(rng, datetime.date(next_year, 1, 10), last)
    return _working_day(rng, datetime.date(next_year, 2, 1), datetime.date(next_year, 5, 31))


def _supervisor_opinion(
    rng: random.Random, *, org: _Org, submitted: datetime.date, draw: float
) -> tuple[str, str, datetime.datetime | None, datetime.date]:
    """(opinion, its remarks, when given, the day the report reached the bureau): an
    organization with a supervising unit is forwarded with its opinion, others directly."""
    if not org.unit_id:
        return "", "", None, submitted
    opinion_day = _working_day(rng, submitted + _days(3), submitted + _days(30))
    opinion_at = _moment(opinion_day, rng.randint(9, 17), rng.randint(0, 59))
    opinion = SupervisorOpinion.DISAGREE if draw < DISAGREE_SHARE else SupervisorOpinion.AGREE
    opinion_remarks = ""
    if opinion == SupervisorOpinion.DISAGREE:
        opinion_remarks = rng.choice(DISAGREE_REMARKS)
    return opinion, opinion_remarks, opinion_at, opinion_day


def _review_outcome(
    rng: random.Random, *, late: bool, sealed: bool, doubted: bool
) -> tuple[str, str]:
    """The review's result and remarks: a late, unsealed or doubted report (unit disagrees,
    or last year failed) fails more often."""
    weights = list(RESULT_WEIGHTS)
    if late or not sealed or doubted:
        weights = [20, 60, 20]
    result = rng.choices(RESULTS, weights=weights)[0]
    remarks = ""
    if not sealed:
        remarks = "报告未经法定代表人签字并加盖印章，视为未按要求报送（R-ANN-06），已责令补正。"
        result = ReviewResult.BASICALLY_PASSED if result == ReviewResult.PASSED else result
    elif result == ReviewResult.BASICALLY_PASSED:
        remarks = rng.choice(BASIC_REMARKS)
    elif result == ReviewResult.FAILED:
        remarks = rng.choice(FAILED_REMARKS)
    if late and result != ReviewResult.FAILED:
        remarks = ("逾期报送。" + remarks).strip()
    return result, remarks


@dataclass(frozen=True)
class ReportSeedResult:
    owing: int
    created: int
    missing: int


def annual_reports_seed() -> ReportSeedResult:
    """Annual reports 2015–2021 of the demo register, created set-wise with their history.

    Who owes a report is `organizations_owing_report` of each cycle; where a report goes first
    is `annual_report_initial_status` (the supervising unit when there is one), and the
    opinion and review follow the order the services enforce; only events up to the
    demo's day are applied, so some 2021 reports still await an opinion or the review."""
    orgs = _demo_orgs()
    by_id = {o.id: o for o in orgs}
    owing: dict[int, set[int]] = {}
    for year in REPORT_YEARS:
        cycle = annual_report_cycle_get(year=year, at=_moment(datetime.date(year, 12, 1)))
        owing[year] = {
            pk
            for pk in organizations_owing_report(cycle=cycle).values_list("id", flat=True)
            if pk in by_id
        }
    gaps = _gaps(orgs, owing)
    dormant = _dormant(orgs, gaps)
    existing: set[tuple[int, int]] = set()
    ids = list(by_id)
    for start in range(0, len(ids), 500):  # SQLite caps the parameters of one query
        existing.update(
            AnnualReport.objects.filter(
                organization_id__in=ids[start : start + 500], year__in=list(REPORT_YEARS)
            ).values_list("organization_id", "year")
        )
    planned: list[_PlannedReport] = []
    owed = missing = 0
    for org in orgs:
        figures = _figures(org)
        if org.id in dormant:
            for year in REPORT_YEARS:
                if year >= DORMANT_SINCE:
                    figures[year]["activities_held"] = 0
        previous_failed = False
        for year in REPORT_YEARS:
            if org.id not in owing[year]:
                continue
            owed += 1
            report = _plan_report(
                org, year, figures[year], year in gaps.get(org.id, ()), previous_failed
            )
            if report is None:
                missing += 1
                previous_failed = False
                continue
            previous_failed = report.result == ReviewResult.FAILED
            if (org.id, year) not in existing:
                planned.append(report)
    if planned:
        _write_reports(planned)
    return ReportSeedResult(owing=owed, created=len(planned), missing=missing)


def _write_reports(planned: list[_PlannedReport]) -> None:
    # bulk_create bypasses save(), so the history is written here (STYLE.md, Audit): one
    # row per step of the workflow, dated when it happened, as the services would leave it.
    historical = AnnualReport.history.model
    tracked = [f.attname for f in historical.tracked_fields]
    reports: list[AnnualReport] = []
    steps: list[list[tuple[datetime.datetime, str, str, dict]]] = []
    for p in planned:
        report = AnnualReport(
            organization_id=p.org.id,
            year=p.year,
            submitted_on=p.submitted_on,
            is_sealed=p.is_sealed,
            status=annual_report_initial_status(
                organization=Organization(supervising_unit_id=p.org.unit_id)
            ),
            **p.figures,
        )
        report_steps = []

        def step(when: datetime.datetime, kind: str, reason: str, report=report, into=report_steps):
            into.append((when, kind, reason, {name: getattr(report, name) for name in tracked}))

        step(_moment(p.submitted_on), "+", "年报报送")
        reviewable = report.status == AnnualReportStatus.AWAITING_REVIEW
        if report.status == AnnualReportStatus.AWAITING_OPINION and p.opinion_at.date() <= HORIZON:
            report.supervisor_opinion = p.opinion
            report.supervisor_remarks = p.opinion_remarks
            report.supervisor_opinion_on = p.opinion_at
            report.status = AnnualReportStatus.AWAITING_REVIEW
            step(p.opinion_at, "~", "业务主管单位初审")
            reviewable = True
        if reviewable and p.reviewed_on <= HORIZON:
            report.result = p.result
            report.remarks = p.remarks
            report.reviewed_on = p.reviewed_on
            report.status = AnnualReportStatus.REVIEWED
            step(_moment(p.reviewed_on, 15), "~", "登记管理机关审查")
        reports.append(report)
        steps.append(report_steps)
    AnnualReport.objects.bulk_create(reports, batch_size=500)
    history = [
        historical(
            **{**values, "id": report.pk},
            history_date=when,
            history_type=kind,
            history_change_reason=f"{reason}（{CHANGE_REASON}）",
            history_user=None,
        )
        for report, report_steps in zip(reports, steps, strict=True)
        for when, kind, reason, values in report_steps
    ]
    historical.objects.bulk_create(history, batch_size=1000)


# ---------------------------------------------------------------------------------------------
# Audits (R-AUD-01…06, D11)

AUDITS_2021 = 94  # the seed letter: departure and liquidation audits commissioned in 2021
DEPARTURES_2022 = 9


@register_seed_step("oversight.annual_reports", order=130, modes=(DEMO,))
def _annual_reports_step(ctx: SeedContext) -> str:
    result = annual_reports_seed()
    if not result.created:
        return f"2015–2021 年度工作报告已存在（应报 {result.owing} 份，未报 {result.missing} 份），未做改动。"
    return (
        f"2015–2021 年度工作报告：新建 {result.created} 份（应报 {result.owing} 份，"
        f"未报 {result.missing} 份）。"
    )
