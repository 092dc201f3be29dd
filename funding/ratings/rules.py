"""Who may apply for an evaluation, as a pure function (R-EVL-02/03/07/08, D8)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from common.dates import add_years
from registry.choices import RatingRuleVersion
from registry.rating_rules import REVISION_2026_IN_FORCE

from .choices import FIRST_EVALUATION_YEARS, REEVALUATION_WINDOW_YEARS, UPGRADE_AFTER_YEARS


@dataclass(frozen=True)
class LatestRating:
    grade: str
    awarded_on: datetime.date
    expires_on: datetime.date
    rule_version: str


def rating_application_reasons(
    *,
    status: str,
    established_on: datetime.date,
    latest: LatestRating | None,
    applied_on: datetime.date,
    obstacles: list[str],
) -> list[str]:
    """Every reason the organization may not apply on `applied_on`; empty when it may.

    R-EVL-02: two full years holding the certificate and never evaluated, or a grade at the
    end of its validity; locally, a move up once two years have passed since the award.
    R-EVL-08 (rules in force from 2026-03-01): re-evaluation during the first four years.
    R-EVL-03 / R-EVL-07: the exclusions (annual inspection, penalties, credit lists) come from
    other apps' records as `obstacles`; their providers apply the version in force.
    """
    reasons: list[str] = []
    if status != "active":
        reasons.append("登记状态不是“正常”")
    if latest is None:
        if applied_on < add_years(established_on, FIRST_EVALUATION_YEARS):
            reasons.append(
                f"取得登记证书未满{FIRST_EVALUATION_YEARS}年（成立日期{established_on}，R-EVL-02）"
            )
    elif applied_on <= latest.expires_on:
        revised = applied_on >= REVISION_2026_IN_FORCE
        window = REEVALUATION_WINDOW_YEARS if revised else UPGRADE_AFTER_YEARS
        allowed = (
            applied_on < add_years(latest.awarded_on, window)
            if revised
            else applied_on >= add_years(latest.awarded_on, window)
        )
        if not allowed:
            rule = (
                f"有效期前{window}年内可申请重新评估（R-EVL-08）"
                if revised
                else f"评定满{window}年方可申请晋级，否则须待有效期届满（R-EVL-02）"
            )
            version = RatingRuleVersion(latest.rule_version).label
            reasons.append(
                f"现有{latest.grade}等级（{latest.awarded_on}评定，{version}）有效至"
                f"{latest.expires_on}：{rule}"
            )
    reasons.extend(obstacles)
    return reasons


def grade_for_score(score, cutoffs: list[tuple[str, int]]) -> str:
    """The grade a score earns under a round's cut-offs (R-EVL-04), '' below the lowest."""
    for grade, minimum in cutoffs:
        if score >= minimum:
            return grade
    return ""
