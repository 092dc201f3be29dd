"""Demo of inspections: the inspector register with its conflicts, and the four draws moved along by the services."""

from __future__ import annotations

import dataclasses
import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction

from common.workdays import add_working_days
from oversight.annual_reports.choices import ReviewResult
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
    _rng,
    _working_day,
)
from oversight.inspections.choices import (
    DrawKind,
    DrawStratification,
    InspectionOutcome,
    InspectionStatus,
)
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.inspections.models import (
    Inspection,
    Inspector,
    InspectorConflict,
)
from oversight.inspections.services import (
    inspection_publish,
    inspection_transition,
    inspection_verify_rectification,
)
from registry.demo import (
    DEMO,
    SeedContext,
    register_seed_step,
)
from registry.models import SupervisingUnit

# ---------------------------------------------------------------------------------------------
# Inspectors and declared conflicts (一单两库, R-INS-07/10)

INSPECTORS: tuple[tuple[str, str, str, str], ...] = (
    # (code, name, unit, field)
    ("FT-I01", "陈志强", "福田区民政局社会组织管理科", "社会组织登记管理"),
    ("FT-I02", "李晓燕", "福田区民政局社会组织管理科", "年检年报审查"),
    ("FT-I03", "王建国", "福田区民政局执法监督科", "社会组织行政执法"),
    ("FT-I04", "张丽娟", "福田区民政局社会组织管理科", "年检年报审查"),
    ("FT-I05", "刘海波", "福田区民政局执法监督科", "社会组织行政执法"),
    ("FT-I06", "黄伟明", "福田区民政局财务审计科", "财务审计"),
    ("FT-I07", "林晓东", "福田区民政局执法监督科", "社会组织行政执法"),
    ("FT-I08", "吴静", "福田区民政局社会组织管理科", "社会组织登记管理"),
    ("FT-I09", "周文杰", "福田区民政局政策法规科", "法制审核"),
    ("FT-I10", "郑丽华", "福田区民政局财务审计科", "财务审计"),
    ("FT-I11", "何俊", "福田区民政局执法监督科", "社会组织行政执法"),
    ("FT-I12", "罗敏", "福田区民政局社会组织管理科", "等级评估"),
    ("FT-I13", "谢晨", "福田区民政局政策法规科", "法制审核"),
    ("FT-I14", "梁嘉欣", "福田区民政局社会组织管理科", "社会组织党建"),
    ("FT-I15", "宋涛", "福田区民政局执法监督科", "社会组织行政执法"),
    ("FT-I16", "许婷", "福田区民政局财务审计科", "财务审计"),
    ("FT-I17", "邓宇", "福田区民政局执法监督科", "社会组织行政执法"),
    ("FT-I18", "曾宁", "福田区民政局社会组织管理科", "年检年报审查"),
    ("FT-I19", "彭博", "福田区民政局政策法规科", "法制审核"),
    ("FT-I20", "肖雪梅", "福田区民政局社会组织管理科", "社会组织党建"),
    ("FT-I21", "蔡志忠", "福田区民政局执法监督科", "社会组织行政执法"),
    ("FT-I22", "钟琳", "福田区民政局财务审计科", "财务审计"),
    ("FT-I23", "朱颖", "福田区民政局社会组织管理科", "社会组织登记管理"),
    ("FT-I24", "潘峰", "福田区民政局执法监督科", "社会组织行政执法"),
)
# (inspector code, kind of target, reason, declared on, ended on): "org" targets are picked
# from the demo register by the seeded stream; the unit one is the education bureau.
CONFLICTS: tuple[tuple[str, str, str, datetime.date, datetime.date | None], ...] = (
    ("FT-I03", "org", "配偶任该组织理事", datetime.date(2019, 3, 12), None),
    ("FT-I08", "org", "本人曾任该组织秘书长（2016—2019年）", datetime.date(2019, 9, 2), None),
    ("FT-I12", "org", "近亲属在该组织任专职工作人员", datetime.date(2020, 4, 20), None),
    ("FT-I17", "org", "本人为该组织会员", datetime.date(2020, 11, 5), datetime.date(2021, 12, 31)),
    ("FT-I21", "org", "近亲属为该组织法定代表人", datetime.date(2021, 3, 15), None),
    ("FT-I06", "unit", "配偶在福田区教育局任职", datetime.date(2020, 1, 6), None),
)
INSPECTORS_ENROLLED_ON = datetime.date(2018, 3, 1)


def inspectors_seed() -> tuple[int, int]:
    """The inspector register and its declared conflicts; returns (inspectors, conflicts)
    created. Inspectors are matched by code, conflicts by (inspector, target)."""
    existing = set(Inspector.objects.values_list("code", flat=True))
    created = 0
    for n, (code, name, unit, field) in enumerate(INSPECTORS, start=1):
        if code in existing:
            continue
        inspector = Inspector(
            code=code, name=name, unit=unit, field=field, certificate_no=f"44030400{n:03d}"
        )
        inspector._history_date = _moment(INSPECTORS_ENROLLED_ON)
        inspector._change_reason = CHANGE_REASON
        inspector.save()
        created += 1

    inspectors = dict(
        Inspector.objects.filter(code__in=[c[0] for c in CONFLICTS]).values_list("code", "id")
    )
    rng = _rng("conflicts")
    candidates = [o for o in _demo_orgs() if o.registered_on(HORIZON)]
    targets = iter(rng.sample(candidates, k=sum(c[1] == "org" for c in CONFLICTS)))
    unit = SupervisingUnit.objects.filter(code=EDUCATION_BUREAU).first()
    conflicts = 0
    for code, kind, reason, declared_on, ended_on in CONFLICTS:
        # Drawn before any skip, so each declaration keeps its organization on every run.
        target = (
            {"organization_id": next(targets).id} if kind == "org" else {"supervising_unit": unit}
        )
        if code not in inspectors or (kind == "unit" and unit is None):
            continue
        if InspectorConflict.objects.filter(inspector_id=inspectors[code], **target).exists():
            continue
        conflict = InspectorConflict(
            inspector_id=inspectors[code],
            reason=reason,
            declared_on=declared_on,
            ended_on=ended_on,
            **target,
        )
        conflict._history_date = _moment(declared_on)
        conflict._change_reason = CHANGE_REASON
        conflict.save()
        conflicts += 1
    return created, conflicts


# ---------------------------------------------------------------------------------------------
# Draws (双随机) and the inspections they started


@dataclass(frozen=True)
class DemoDraw:
    kind: str
    year: int
    ratio: Decimal
    as_of: datetime.date
    executed_on: datetime.date
    stratify_by: str
    population_rule: str
    theme: str  # what the inspectors looked at, for the findings


DRAWS = (
    DemoDraw(
        DrawKind.ANNUAL_REPORT_AUDIT,
        2021,
        Decimal("0.10"),
        datetime.date(2021, 6, 1),
        datetime.date(2021, 6, 8),
        "",
        # The seed letter's "2021年抽查 811 家中的 81 家" is the draw of 2021, over the
        # register of 1 June 2021, checking the reports for 2020.
        "2021年年检年报抽查：2021-06-01 在册（正常、注销办理中）的社会组织，抽查其2020年度工作报告",
        "2020年度工作报告",
    ),
    DemoDraw(
        DrawKind.SPECIAL_INSPECTION,
        2021,
        Decimal("0.037"),  # 811 × 0.037 = 30.007 → 30
        datetime.date(2021, 6, 1),
        datetime.date(2021, 6, 9),
        "",
        "2021年专项执法检查：2021-06-01 在册（正常、注销办理中）的社会组织；"
        "重点检查违规收费、财务管理和内部治理",
        "收费、财务管理和内部治理",
    ),
    DemoDraw(
        DrawKind.ANNUAL_REPORT_AUDIT,
        2022,
        Decimal("0.10"),
        datetime.date(2022, 6, 1),
        datetime.date(2022, 6, 7),
        "",
        "2022年年检年报抽查：2022-06-01 在册（正常、注销办理中）的社会组织，抽查其2021年度工作报告",
        "2021年度工作报告",
    ),
    DemoDraw(
        DrawKind.SPECIAL_INSPECTION,
        2022,
        Decimal("0.0431"),  # 766 × 0.0431 = 33.0146 → 33
        datetime.date(2022, 6, 1),
        datetime.date(2022, 6, 8),
        DrawStratification.TYPE,
        "2022年专项执法检查：2022-06-01 在册（正常、注销办理中）的社会组织，按组织类型分层；"
        "重点检查分支机构、代表机构和评比达标表彰活动",
        "分支机构、代表机构和评比达标表彰活动",
    ),
)

COMPLIANT_FINDINGS = (
    "经查，{theme}内容真实完整，财务管理规范，未发现违法违规问题。",
    "经查阅账簿、会议记录并实地核查，{theme}情况与报送材料一致，未发现问题。",
    "经查，该组织按章程开展活动，{theme}未发现问题；建议进一步完善信息公开。",
)
RECTIFICATION_FINDINGS = (
    "{theme}检查发现：财务会计制度不健全，存在以现金支付大额款项的情况。",
    "{theme}检查发现：未按章程按期召开理事会（会员大会），内部治理不规范。",
    "{theme}检查发现：收费项目及标准未按规定公示。",
    "{theme}检查发现：印章、证书管理不规范，登记证书未在住所悬挂。",
    "{theme}检查发现：年度工作报告所填活动情况与实际不符。",
    "{theme}检查发现：信息公开不及时，网站和公众号多年未更新。",
)
CASE_FINDINGS = (
    "经查，该组织长期未开展活动，未按规定参加年检，经多次联系无果，已立案调查。",
    "经查，该组织涉嫌违规收取费用，已立案查处。",
)
EXITED_FINDINGS = "该组织已于{day}{what}，检查终止。"
RECTIFICATION_SHARE = 0.12
CASE_SHARE = 0.02
UNVERIFIED_SHARE = 0.15


@dataclass(frozen=True)
class _InspectionPlan:
    start: datetime.date
    complete: datetime.date
    outcome: str
    findings: str
    deadline: datetime.date | None
    publish: datetime.date
    verify: datetime.date | None


def _inspection_plans(
    spec: DemoDraw, inspections: list[Inspection], orgs: dict[int, _Org], troubled: set[int]
) -> dict[int, _InspectionPlan]:
    """Dates and outcome of each inspection of a draw. Organizations with a missing, late or
    failed report of the previous year are more often ordered to rectify; one revoked later
    is found dormant. Each 2021 draw keeps at least one rectification unverified, so the
    demo has overdue findings (abnormal-list candidates, R-CRD-02(3))."""
    rng = _rng("inspections", spec.kind, spec.year)
    plans: dict[int, _InspectionPlan] = {}
    for inspection in inspections:
        plans[inspection.pk] = _inspection_plan(
            rng,
            spec=spec,
            org=orgs.get(inspection.organization_id),
            troubled=inspection.organization_id in troubled,
        )
    if spec.year == 2021:
        _keep_one_unverified(plans)
    return plans


def _inspection_plan(
    rng: random.Random, *, spec: DemoDraw, org: _Org | None, troubled: bool
) -> _InspectionPlan:
    """One inspection's plan; its draws from `rng` come in this order, one `r` first for
    every inspection (even one with nothing to inspect), so no plan shifts another."""
    r = rng.random()
    first = spec.executed_on + _days(5)
    last = first + _days(150)
    exit_on = org.exit_on if org else None
    if exit_on and exit_on <= first:
        return _exited_plan(spec=spec, org=org, exit_on=exit_on)
    if exit_on:
        last = min(last, exit_on - _days(1))
    start = _working_day(rng, first, last)
    lag = rng.randint(0, 12)
    complete = min(last, add_working_days(start, lag) if lag else start)
    outcome = _inspection_outcome(org=org, troubled=troubled, r=r)
    findings = {
        InspectionOutcome.COMPLIANT: COMPLIANT_FINDINGS,
        InspectionOutcome.RECTIFICATION_REQUIRED: RECTIFICATION_FINDINGS,
        InspectionOutcome.CASE_OPENED: CASE_FINDINGS,
    }[outcome]
    deadline = verify = None
    if outcome == InspectionOutcome.RECTIFICATION_REQUIRED:
        deadline = complete + _days(rng.choice((30, 45, 60, 90)))
        if rng.random() >= UNVERIFIED_SHARE:
            verify = max(complete + _days(7), deadline - _days(rng.randint(0, 25)))
    return _InspectionPlan(
        start=start,
        complete=complete,
        outcome=outcome,
        findings=rng.choice(findings).format(theme=spec.theme),
        deadline=deadline,
        # R-INS-09: public within 20 working days of the check.
        publish=add_working_days(complete, rng.randint(2, 18)),
        verify=verify,
    )


def _exited_plan(*, spec: DemoDraw, org: _Org, exit_on: datetime.date) -> _InspectionPlan:
    """Left the register right after the draw: nothing left to inspect."""
    day = spec.executed_on + _days(1)
    what = "注销登记" if org.deregistered_on else "被撤销登记"
    return _InspectionPlan(
        day,
        day,
        InspectionOutcome.COMPLIANT,
        EXITED_FINDINGS.format(day=exit_on, what=what),
        None,
        add_working_days(day, 5),
        None,
    )


def _inspection_outcome(*, org: _Org | None, troubled: bool, r: float) -> str:
    """A revoked organization was found dormant, a deregistered one compliant; a troubled
    one (bad report last year) is mostly ordered to rectify; the rest by the shares."""
    if org and org.revoked_on:
        return InspectionOutcome.CASE_OPENED
    if org and org.deregistration_started_on and org.deregistered_on:
        return InspectionOutcome.COMPLIANT
    if troubled:
        return InspectionOutcome.RECTIFICATION_REQUIRED if r < 0.7 else InspectionOutcome.COMPLIANT
    if r < CASE_SHARE:
        return InspectionOutcome.CASE_OPENED
    if r < CASE_SHARE + RECTIFICATION_SHARE:
        return InspectionOutcome.RECTIFICATION_REQUIRED
    return InspectionOutcome.COMPLIANT


def _keep_one_unverified(plans: dict[int, _InspectionPlan]) -> None:
    """When every rectification would be verified, the latest stays unverified (overdue)."""
    rectified = [
        pk for pk, p in plans.items() if p.outcome == InspectionOutcome.RECTIFICATION_REQUIRED
    ]
    if rectified and all(plans[pk].verify for pk in rectified):
        pk = max(rectified)
        plans[pk] = dataclasses.replace(plans[pk], verify=None)


def _advance(inspection: Inspection, plan: _InspectionPlan) -> int:
    """Apply the planned steps up to the demo's day that are not applied yet, through the
    inspection services; returns how many were applied."""
    applied = 0
    if inspection.status == InspectionStatus.PENDING and plan.start <= HORIZON:
        inspection = inspection_transition(
            inspection=inspection,
            to=InspectionStatus.IN_PROGRESS,
            on=plan.start,
            at=_moment(plan.start),
        )
        applied += 1
    if inspection.status == InspectionStatus.IN_PROGRESS and plan.complete <= HORIZON:
        inspection = inspection_transition(
            inspection=inspection,
            to=InspectionStatus.COMPLETED,
            on=plan.complete,
            findings=plan.findings,
            outcome=plan.outcome,
            rectification_deadline=plan.deadline,
            at=_moment(plan.complete, 16),
        )
        applied += 1
    if inspection.status != InspectionStatus.COMPLETED:
        return applied
    if inspection.published_on is None and plan.publish <= HORIZON:
        inspection = inspection_publish(
            inspection=inspection, on=plan.publish, at=_moment(plan.publish, 11)
        )
        applied += 1
    if (
        inspection.outcome == InspectionOutcome.RECTIFICATION_REQUIRED
        and inspection.rectification_verified_on is None
        and plan.verify
        and plan.verify <= HORIZON
    ):
        inspection_verify_rectification(
            inspection=inspection, on=plan.verify, at=_moment(plan.verify, 15)
        )
        applied += 1
    return applied


@dataclass(frozen=True)
class DrawSeedResult:
    created: int
    executed: int
    steps: int
    summary: list[str]
    blocked: str = ""


def _troubled(year: int) -> set[int]:
    """Organizations that owed a report for `year` and did not file it, filed it late or
    unsealed, or did not pass: the likeliest to be ordered to rectify."""
    cycle = AnnualReportCycle.objects.filter(year=year).first()
    if cycle is None:
        return set()
    reports = AnnualReport.objects.filter(year=year)
    owing = set(organizations_owing_report(cycle=cycle).values_list("id", flat=True))
    filed = set(reports.values_list("organization_id", flat=True))
    bad = (
        reports.filter(result__in=(ReviewResult.BASICALLY_PASSED, ReviewResult.FAILED))
        | reports.filter(is_sealed=False)
        | reports.filter(submitted_on__gt=cycle.bureau_deadline)
    )
    return (owing - filed) | set(bad.values_list("organization_id", flat=True))


def draws_seed() -> DrawSeedResult:
    """Create and execute the demo's draws through the services (an existing draw of the same
    kind, year and round is reused), then move their inspections along."""
    orgs = {o.id: o for o in _demo_orgs()}
    created = executed = steps = 0
    summary = []
    blocked = ""
    for spec in DRAWS:
        draw, was_created = inspection_draw_create(
            kind=spec.kind,
            year=spec.year,
            ratio=spec.ratio,
            as_of=spec.as_of,
            stratify_by=spec.stratify_by,
            population_rule=spec.population_rule,
            at=_moment(spec.as_of),
        )
        created += was_created
        if not draw.is_executed:
            draw, _ = inspection_draw_execute(draw_id=draw.pk, at=_moment(spec.executed_on, 10))
            executed += 1
        summary.append(f"{draw}：{draw.population_size} 家抽 {draw.sample_size} 家")
        if blocked:
            continue
        inspections = list(draw.inspections.order_by("position"))
        plans = _inspection_plans(spec, inspections, orgs, _troubled(spec.year - 1))
        try:
            with transaction.atomic():
                for inspection in inspections:
                    steps += _advance(inspection, plans[inspection.pk])
        except IntegrityError as exc:
            if connection.vendor != "sqlite":
                raise
            # The SQLite trigger of migration 0002 refuses any UPDATE that names draw_id,
            # organization_id or position, and Model.save() names every column: on SQLite
            # inspections of executed draws cannot be moved along until that trigger only
            # fires on a real change. Leave them pending and say so.
            blocked = f"SQLite 触发器拒绝更新抽查检查（{exc}），检查均保持“待检查”。"
    return DrawSeedResult(created, executed, steps, summary, blocked)


# ---------------------------------------------------------------------------------------------
# The steps (after the register, order 110)


@register_seed_step("oversight.inspectors", order=120, modes=(DEMO,))
def _inspectors_step(ctx: SeedContext) -> str:
    inspectors, conflicts = inspectors_seed()
    if not inspectors and not conflicts:
        return "执法检查人员名录已存在，未做改动。"
    return f"执法检查人员：新建 {inspectors} 名，回避申报 {conflicts} 条。"


@register_seed_step("oversight.draws", order=150, modes=(DEMO,))
def _draws_step(ctx: SeedContext) -> str:
    result = draws_seed()
    done = "；".join(result.summary)
    if not result.created and not result.executed and not result.steps:
        return f"双随机抽查已存在（{done}），未做改动。" + (result.blocked and f" {result.blocked}")
    message = (
        f"双随机抽查：新建 {result.created} 次、执行 {result.executed} 次（{done}），"
        f"检查推进 {result.steps} 步。"
    )
    return message + (result.blocked and f" {result.blocked}")
