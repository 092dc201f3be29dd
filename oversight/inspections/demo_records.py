"""Demo of audits, the 2021 joint inspection, interviews and circulars."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from oversight.annual_reports.choices import ReviewResult
from oversight.annual_reports.demo import AUDITS_2021, C_EDUCATION, DEPARTURES_2022, PNE, SG
from oversight.annual_reports.models import AnnualReport, AnnualReportCycle
from oversight.annual_reports.selectors import organizations_owing_report
from oversight.demo_base import (
    CHANGE_REASON,
    EDUCATION_BUREAU,
    HORIZON,
    _days,
    _demo_orgs,
    _moment,
    _Org,
    _person,
    _rng,
    _working_day,
)
from oversight.inspections.choices import (
    AuditKind,
)
from oversight.inspections.models import (
    Audit,
    Circular,
    Interview,
    JointInspection,
)
from oversight.inspections.services import (
    missing_reports_circular_issue,
)
from registry.demo import (
    DEMO,
    SeedContext,
    register_seed_step,
)
from registry.models import SupervisingUnit

# Fictitious accounting firms (name, short name used in report numbers).
FIRMS = (
    ("深圳市博雅致远会计师事务所（普通合伙）", "博雅"),
    ("深圳恒信同心会计师事务所有限公司", "恒信"),
    ("深圳市立德信达会计师事务所（普通合伙）", "立德"),
    ("深圳鹏飞诚信会计师事务所（特殊普通合伙）", "鹏飞"),
    ("深圳市南粤正道会计师事务所有限公司", "南粤"),
    ("深圳市明远弘毅会计师事务所（普通合伙）", "明远"),
)
LIQUIDATION_CONCLUSION = (
    "清算报告在所有重大方面公允反映了清算期间的财务收支及清算结果；债权债务已清理完毕，"
    "剩余财产按章程规定处置。"
)
DEPARTURE_CONCLUSIONS = (
    "任职期间财务收支真实、合法，未发现重大违规问题。",
    "任职期间财务收支基本真实、合法；部分费用报销审批手续不全，已建议完善内部控制。",
    "任职期间财务收支真实、合法；固定资产台账未及时更新，已建议整改。",
)
SPECIAL_CONCLUSIONS = (
    "会费收支未单独核算，部分支出缺少原始凭证，已责令限期整改。",
    "政府购买服务项目资金使用基本规范，个别项目存在超预算列支，已要求说明。",
    "未发现违规收费；财务人员未持证上岗，已建议整改。",
    "存在以现金支付大额款项的情况，已责令规范资金管理。",
)


@dataclass(frozen=True)
class _PlannedAudit:
    org: _Org
    kind: str
    commissioned_on: datetime.date
    completed_on: datetime.date | None
    period_start: datetime.date
    period_end: datetime.date
    subject_person: str
    firm: str
    report_no: str
    conclusion: str


def _firm_and_number(rng: random.Random, kind: str, completed: datetime.date | None) -> tuple:
    firm, short = rng.choice(FIRMS)
    serial = rng.randint(1, 400)
    word = {AuditKind.LIQUIDATION: "清审字", AuditKind.DEPARTURE: "离审字"}.get(kind, "专审字")
    number = f"{short}{word}〔{completed.year}〕第{serial:03d}号" if completed else ""
    return firm, number


def _liquidation_audits(orgs: list[_Org]) -> list[_PlannedAudit]:
    """A liquidation audit for each deregistration (R-AUD-04), reported between the
    application and the approval, so every deregistration of the demo passes the D11 guard."""
    audits = []
    for org in orgs:
        started = org.deregistration_started_on
        if started is None:
            continue
        rng = _rng("liquidation", org.uscc)
        # Commissioned before the application (the liquidation group starts then, R-AUD-04);
        # the report completes while the deregistration is under way and before it is
        # approved, as the D11 guard requires (or by the demo's day if not yet approved).
        prepared = max(org.established_on + _days(2), started - _days(rng.randint(2, 12)))
        commissioned = max(org.established_on + _days(1), prepared - _days(rng.randint(20, 50)))
        end = min(org.deregistered_on or HORIZON, HORIZON)
        completed = min(end, started + _days(rng.randint(0, 10))) if end >= started else None
        firm, number = _firm_and_number(rng, AuditKind.LIQUIDATION, completed)
        audits.append(
            _PlannedAudit(
                org=org,
                kind=AuditKind.LIQUIDATION,
                commissioned_on=commissioned,
                completed_on=completed,
                period_start=max(org.established_on, datetime.date(commissioned.year - 2, 1, 1)),
                period_end=commissioned - _days(1),
                subject_person="",
                firm=firm,
                report_no=number,
                conclusion=LIQUIDATION_CONCLUSION if completed else "",
            )
        )
    return audits


def _departure_audits(orgs: list[_Org], year: int, count: int) -> list[_PlannedAudit]:
    """离任审计 of outgoing secretaries-general and heads (R-AUD-01/02) in `year`."""
    rng = _rng("departures", year)
    first, last = datetime.date(year, 1, 4), min(datetime.date(year, 12, 24), HORIZON)
    candidates = [
        o
        for o in orgs
        if o.registered_on(HORIZON)
        and o.deregistration_started_on is None
        and o.established_on <= datetime.date(year - 3, 6, 30)
    ]
    audits = []
    for org in rng.sample(candidates, k=count):
        commissioned = _working_day(rng, first, last)
        completed = commissioned + _days(rng.randint(15, 40))
        completed = completed if completed <= HORIZON else None
        subject = _person(rng)
        role = "秘书长" if org.org_type == SG else "负责人"
        firm, number = _firm_and_number(rng, AuditKind.DEPARTURE, completed)
        start = max(org.established_on, commissioned - _days(365 * rng.randint(3, 5)))
        audits.append(
            _PlannedAudit(
                org=org,
                kind=AuditKind.DEPARTURE,
                commissioned_on=commissioned,
                completed_on=completed,
                period_start=start,
                period_end=commissioned - _days(1),
                subject_person=subject,
                firm=firm,
                report_no=number,
                conclusion=(
                    f"原{role}{subject}" + rng.choice(DEPARTURE_CONCLUSIONS) if completed else ""
                ),
            )
        )
    return audits


def _special_audits(orgs: list[_Org]) -> list[_PlannedAudit]:
    """财务专项审计 of organizations whose 2019 or 2020 report failed or only basically passed."""
    rng = _rng("special-audits")
    flagged = set(
        AnnualReport.objects.filter(
            year__in=(2019, 2020),
            result__in=(ReviewResult.FAILED, ReviewResult.BASICALLY_PASSED),
        ).values_list("organization_id", flat=True)
    )
    candidates = [o for o in orgs if o.id in flagged and o.registered_on(HORIZON)]
    candidates = candidates or [o for o in orgs if o.registered_on(HORIZON)]
    days = (
        datetime.date(2021, 3, 16),
        datetime.date(2021, 9, 7),
        datetime.date(2022, 3, 22),
        datetime.date(2022, 6, 14),
    )
    audits = []
    for org, commissioned in zip(rng.sample(candidates, k=len(days)), days, strict=True):
        completed = commissioned + _days(rng.randint(25, 45))
        completed = completed if completed <= HORIZON else None
        firm, number = _firm_and_number(rng, AuditKind.FINANCIAL_SPECIAL, completed)
        audits.append(
            _PlannedAudit(
                org=org,
                kind=AuditKind.FINANCIAL_SPECIAL,
                commissioned_on=commissioned,
                completed_on=completed,
                period_start=datetime.date(commissioned.year - 2, 1, 1),
                period_end=datetime.date(commissioned.year - 1, 12, 31),
                subject_person="",
                firm=firm,
                report_no=number,
                conclusion=rng.choice(SPECIAL_CONCLUSIONS) if completed else "",
            )
        )
    return audits


def audits_plan(orgs: list[_Org]) -> list[_PlannedAudit]:
    """Every audit of the demo: liquidation audits of all deregistrations, departure audits
    topping 2021 up to the seed letter's 94, 2022's first half, special financial audits."""
    liquidations = _liquidation_audits(orgs)
    in_2021 = sum(a.commissioned_on.year == 2021 for a in liquidations)
    if in_2021 > AUDITS_2021:
        raise RuntimeError(f"2021年注销清算审计已有 {in_2021} 项，超过 {AUDITS_2021} 项。")
    return [
        *liquidations,
        *_departure_audits(orgs, 2021, AUDITS_2021 - in_2021),
        *_departure_audits(orgs, 2022, DEPARTURES_2022),
        *_special_audits(orgs),
    ]


def audits_seed() -> int:
    """Create the planned audits that are missing (matched by organization, kind and
    commission date); returns how many were created."""
    orgs = _demo_orgs()
    plan = audits_plan(orgs)
    existing = set(
        Audit.objects.filter(kind__in=AuditKind.values).values_list(
            "organization_id", "kind", "commissioned_on"
        )
    )
    audits = []
    for p in plan:
        if (p.org.id, p.kind, p.commissioned_on) in existing:
            continue
        audit = Audit(
            organization_id=p.org.id,
            kind=p.kind,
            subject_person=p.subject_person,
            period_start=p.period_start,
            period_end=p.period_end,
            firm=p.firm,
            commissioned_on=p.commissioned_on,
            completed_on=p.completed_on,
            report_no=p.report_no,
            conclusion=p.conclusion,
        )
        audit._history_date = _moment(p.completed_on or p.commissioned_on, 16)
        audits.append(audit)
    Audit.objects.bulk_create(audits, batch_size=500)
    Audit.history.bulk_history_create(
        audits, batch_size=500, default_change_reason=f"审计报告登记（{CHANGE_REASON}）"
    )
    return len(audits)


# ---------------------------------------------------------------------------------------------
# Joint inspection, interviews, circulars

JOINT_TITLE = "2021年福田区校外培训机构联合检查"
JOINT_DAY = datetime.date(2021, 9, 16)
JOINT_SIZE = 11
JOINT_CIRCULAR = "关于2021年福田区校外培训机构联合检查情况的通报"


def joint_inspection_seed() -> int:
    """The 2021 joint inspection with the education bureau of 11 education organizations it
    supervises (after the 2021 "双减" policy); returns 1 when created, 0 when present."""
    if JointInspection.objects.filter(title=JOINT_TITLE).exists():
        return 0
    rng = _rng("joint")
    education = [
        o
        for o in _demo_orgs()
        if o.category == C_EDUCATION
        and o.unit_code == EDUCATION_BUREAU
        and o.org_type == PNE
        and o.registered_on(JOINT_DAY)
        and not o.name.endswith("幼儿园")
    ]
    # Training centres first: they were the object of the 2021 campaign.
    training = [o for o in education if "培训" in o.name or "学习" in o.name]
    chosen = rng.sample(training, k=min(JOINT_SIZE, len(training)))
    others = [o for o in education if o not in chosen]
    chosen += rng.sample(others, k=JOINT_SIZE - len(chosen))
    units = list(SupervisingUnit.objects.filter(code__in=(EDUCATION_BUREAU, "FT-D05", "FT-D04")))
    joint = JointInspection(
        title=JOINT_TITLE,
        held_on=JOINT_DAY,
        other_departments="福田区市场监督管理局、福田区消防救援大队、相关街道办事处",
        findings=(
            f"联合检查{JOINT_SIZE}家校外培训机构，重点核查办学许可、收费公示、预收费资金监管、"
            "消防安全及“双减”政策落实情况。3家存在收费公示不规范、1家存在预收费超过三个月的"
            "问题，已当场责令整改；其余未发现问题。"
        ),
    )
    joint._history_date = _moment(JOINT_DAY, 17)
    joint._change_reason = CHANGE_REASON
    joint.save()
    joint.departments.set(units)
    joint.organizations.set([o.id for o in sorted(chosen, key=lambda o: o.uscc)])
    return 1


def interviews_and_circulars_seed() -> tuple[int, int]:
    """约谈 of organizations that stopped reporting or failed, and 通报: the missing-report
    lists of 2020 and 2021 (by the service, with their Excel attachment) and the joint
    inspection's circular to the education bureau. Returns (interviews, circulars) created."""
    rng = _rng("interviews")
    silent, failed, trained = _interview_candidates()
    planned = _planned_interviews(rng, silent=silent, failed=failed, trained=trained)
    interviews = _interviews_write(planned=planned)
    circulars = _missing_reports_circulars_seed() + _joint_circular_seed()
    return interviews, circulars


def _interview_candidates() -> tuple[list[_Org], list[_Org], list[_Org]]:
    """Who may be interviewed, each list by USCC: organizations on the register that owed
    but did not file their 2020 report, those whose 2020 report failed, and those of the
    joint inspection."""
    by_id = {o.id: o for o in _demo_orgs()}
    filed_2020 = set(
        AnnualReport.objects.filter(year=2020).values_list("organization_id", flat=True)
    )
    failed_2020 = set(
        AnnualReport.objects.filter(year=2020, result=ReviewResult.FAILED).values_list(
            "organization_id", flat=True
        )
    )
    cycle = AnnualReportCycle.objects.filter(year=2020).first()
    owing = (
        set(organizations_owing_report(cycle=cycle).values_list("id", flat=True))
        if cycle
        else set()
    )
    silent = sorted(
        (
            by_id[pk]
            for pk in owing - filed_2020
            if pk in by_id and by_id[pk].registered_on(HORIZON)
        ),
        key=lambda o: o.uscc,
    )
    failed = sorted((by_id[pk] for pk in failed_2020 if pk in by_id), key=lambda o: o.uscc)
    joint = JointInspection.objects.filter(title=JOINT_TITLE).first()
    trained = sorted(
        (by_id[pk] for pk in (joint.organizations.values_list("id", flat=True) if joint else ())),
        key=lambda o: o.uscc,
    )
    return silent, failed, trained


def _planned_interviews(
    rng: random.Random, *, silent: list[_Org], failed: list[_Org], trained: list[_Org]
) -> list[tuple[_Org, datetime.date, str, str]]:
    """(organization, day, reason, outcome) of each interview, drawn from `rng` in this order."""
    planned: list[tuple[_Org, datetime.date, str, str]] = []
    for org, day in zip(
        rng.sample(silent, k=min(2, len(silent))),
        (datetime.date(2021, 7, 13), datetime.date(2021, 7, 20)),
        strict=False,
    ):
        planned.append(
            (
                org,
                day,
                "未按规定报送2020年度工作报告，经电话和书面催告仍未报送（R-ANN-01）。",
                "被约谈人承诺30日内补报；逾期未报的，依法列入活动异常名录。",
            )
        )
    if failed:
        planned.append(
            (
                rng.choice(failed),
                datetime.date(2021, 8, 24),
                "2020年度检查结论为不合格，财务管理混乱，未按章程开展活动。",
                "被约谈人承认问题，提交整改方案，承诺三个月内完成整改。",
            )
        )
    if trained:
        planned.append(
            (
                rng.choice(trained),
                datetime.date(2021, 10, 12),
                "联合检查发现收费项目未公示、预收费超过三个月。",
                "已退还超期预收费用并在经营场所公示收费项目，整改到位。",
            )
        )
    return planned


def _interviews_write(*, planned: list[tuple[_Org, datetime.date, str, str]]) -> int:
    """The planned interviews not yet on record, each dated in its history; how many."""
    interviewers = "福田区民政局 王建国、刘海波"
    interviews = 0
    for org, day, reason, outcome in planned:
        if Interview.objects.filter(organization_id=org.id, held_on=day).exists():
            continue
        interview = Interview(
            organization_id=org.id,
            held_on=day,
            reason=reason,
            interviewees=f"{org.legal_representative}（法定代表人）",
            interviewers=interviewers,
            outcome=outcome,
        )
        interview._history_date = _moment(day, 15)
        interview._change_reason = CHANGE_REASON
        interview.save()
        interviews += 1
    return interviews


def _missing_reports_circulars_seed() -> int:
    """The 2020 and 2021 missing-report circulars, issued by the service if not yet issued."""
    circulars = 0
    for year, day in ((2020, datetime.date(2021, 6, 15)), (2021, datetime.date(2022, 6, 15))):
        title = f"{year}年度未按时报送年度工作报告的社会组织名单"
        if Circular.objects.filter(title=title, supervising_unit__isnull=True).exists():
            continue
        missing_reports_circular_issue(year=year, as_of=day, at=_moment(day, 10))
        circulars += 1
    return circulars


def _joint_circular_seed() -> int:
    """The joint inspection's circular to the education bureau, once; 1 if written now."""
    bureau = SupervisingUnit.objects.filter(code=EDUCATION_BUREAU).first()
    if not bureau or Circular.objects.filter(title=JOINT_CIRCULAR).exists():
        return 0
    circular = Circular(
        title=JOINT_CIRCULAR,
        document_no="福民函〔2021〕186号",
        issued_on=datetime.date(2021, 10, 20),
        supervising_unit=bureau,
        body=(
            f"{JOINT_DAY:%Y年%-m月%-d日}，我局会同你局及区市场监管、消防等部门对辖区"
            f"{JOINT_SIZE}家校外培训机构开展联合检查，发现收费公示不规范、预收费超期等问题"
            "4项，均已责令整改。请你局履行业务主管单位职责，督促相关机构落实整改并举一反三。"
        ),
    )
    circular._history_date = _moment(circular.issued_on, 10)
    circular._change_reason = CHANGE_REASON
    circular.save()
    return 1


@register_seed_step("oversight.audits", order=140, modes=(DEMO,))
def _audits_step(ctx: SeedContext) -> str:
    created = audits_seed()
    if not created:
        return "审计记录已存在，未做改动。"
    return f"审计（注销清算、离任、财务专项）：新建 {created} 项。"


@register_seed_step("oversight.joint_inspection", order=160, modes=(DEMO,))
def _joint_inspection_step(ctx: SeedContext) -> str:
    if not joint_inspection_seed():
        return "联合检查已存在，未做改动。"
    return f"联合检查：{JOINT_TITLE}（{JOINT_SIZE} 家教育类组织）。"


@register_seed_step("oversight.interviews_circulars", order=170, modes=(DEMO,))
def _interviews_circulars_step(ctx: SeedContext) -> str:
    interviews, circulars = interviews_and_circulars_seed()
    if not interviews and not circulars:
        return "约谈和通报已存在，未做改动。"
    return f"约谈：新建 {interviews} 次；通报：新建 {circulars} 份。"
