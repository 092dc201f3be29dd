"""Demo of the annual-report audits' follow-up: 财务专项审计 of the selected organizations,
约谈 where rectification was required, and the circular of a completed draw."""

from __future__ import annotations

import datetime

from django.utils import timezone

from oversight.demo_base import HORIZON, _days, _moment, _rng
from oversight.inspections.choices import DrawKind, DrawStatus, InspectionOutcome
from oversight.inspections.models import Circular, InspectionDraw
from oversight.inspections.services import (
    draw_follow_up_circular_issue,
    inspection_follow_up_audit,
    inspection_interview_record,
)
from registry.demo import DEMO, SeedContext, register_seed_step

# ---------------------------------------------------------------------------------------------
# The follow-up of the annual-report audits (the seed letter: "对81家、77家…抽查和财务专项审计
# …进行通报…约谈"): a 财务专项审计 of every selected organization, 约谈 where the inspection
# required rectification, and the circular of a draw whose inspections are all completed.

FOLLOW_UP_FIRMS = ("深圳市鹏城会计师事务所", "深圳市福田会计师事务所", "广东中天会计师事务所")


def draws_follow_up_seed() -> tuple[int, int, int]:
    """Through the services, dated no later than HORIZON. Returns (audits, interviews,
    circulars) created; a second run creates nothing."""
    audits = interviews = circulars = 0
    draws = InspectionDraw.objects.filter(
        kind=DrawKind.ANNUAL_REPORT_AUDIT, status=DrawStatus.EXECUTED
    ).order_by("year")
    for draw in draws:
        start = timezone.localtime(draw.executed_at).date()
        inspections = list(draw.inspections.select_related("organization").order_by("position"))
        for inspection in inspections:
            # One stream per inspection: what a second run skips must not shift the others.
            rng = _rng("follow-up", draw.year, inspection.organization.uscc)
            commissioned = start + _days(rng.randint(10, 40))
            if commissioned > HORIZON or inspection.follow_up_audits.exists():
                continue
            inspection_follow_up_audit(
                inspection=inspection,
                commissioned_on=commissioned,
                firm=rng.choice(FOLLOW_UP_FIRMS),
                at=_moment(commissioned),
            )
            audits += 1
        for inspection in inspections:
            rng = _rng("follow-up-interview", draw.year, inspection.organization.uscc)
            due = inspection.completed_on and inspection.completed_on + _days(rng.randint(5, 15))
            if (
                inspection.outcome != InspectionOutcome.RECTIFICATION_REQUIRED
                or not due
                or due > HORIZON
                or inspection.interviews.exists()
            ):
                continue
            inspection_interview_record(
                inspection=inspection,
                held_on=due,
                reason=f"{draw.year}年年度报告抽查及财务专项审计发现的问题：{inspection.findings}",
                interviewees=f"{inspection.organization.legal_representative}（法定代表人）",
                interviewers="福田区民政局执法监督科",
                outcome="被约谈人承认问题，承诺在整改期限内完成整改。",
                at=_moment(due, 15),
            )
            interviews += 1
        completed = [i.completed_on for i in inspections if i.completed_on]
        if completed and len(completed) == len(inspections):
            issued = max(completed) + _days(20)
            if issued <= HORIZON:
                _, created = _follow_up_circular(draw, issued)
                circulars += created
    return audits, interviews, circulars


def _follow_up_circular(draw: InspectionDraw, issued: datetime.date) -> tuple[object, int]:
    key = Circular.key_for(kind="draw_results", period=str(draw.pk), unit_code=None)
    if Circular.objects.filter(issue_key=key).exists():
        return None, 0
    circular = draw_follow_up_circular_issue(
        draw=draw,
        issued_on=issued,
        title=f"关于{draw.year}年社会组织年度报告双随机抽查及财务专项审计情况的通报",
        body=(
            f"{draw.year}年对{draw.population_size}家社会组织按{draw.ratio:.0%}比例随机抽取"
            f"{draw.sample_size}家开展年度报告抽查和财务专项审计，现将结果予以通报。"
        ),
    )
    return circular, 1


@register_seed_step("oversight.draw_follow_up", order=155, modes=(DEMO,))
def _draw_follow_up_step(ctx: SeedContext) -> str:
    audits, interviews, circulars = draws_follow_up_seed()
    if not (audits or interviews or circulars):
        return "抽查后续处理已存在，未做改动。"
    return f"抽查后续处理：财务专项审计 {audits} 项、约谈 {interviews} 次、通报 {circulars} 份。"
