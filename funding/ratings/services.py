"""Writes of rating rounds: applications, scores, public notice, review, award (R-EVL)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Exists, OuterRef

from common.eligibility import RATING, organization_obstacles
from common.workdays import add_working_days
from funding.grants.models import Expert
from funding.grants.services import expert_conflict
from registry.models import Organization, Rating
from registry.services import rating_award

from .choices import REVIEW_DECISION_DAYS, ApplicationStatus, RatingRoundStatus, ReviewDecision
from .models import (
    RatingApplication,
    RatingEvaluation,
    RatingExpiryReminder,
    RatingReviewRequest,
    RatingRound,
)
from .rules import LatestRating, grade_for_score, rating_application_reasons

NOTICE_WORKING_DAYS = 5


def _locked_round(rating_round: RatingRound, *statuses: str) -> RatingRound:
    locked = RatingRound.objects.select_for_update().get(pk=rating_round.pk)
    if locked.status not in statuses:
        raise ValidationError(
            {"round": f"{locked}处于“{locked.get_status_display()}”阶段，不能办理。"}
        )
    return locked


@transaction.atomic
def rating_round_create(*, actor: Any = None, **fields: Any) -> RatingRound:
    """新建评估批次 with its grade cut-offs (R-EVL-04)."""
    rating_round = RatingRound(**fields)
    rating_round.full_clean()
    rating_round.save()
    return rating_round


@transaction.atomic
def rating_apply(
    *, rating_round: RatingRound, organization: Organization, on: datetime.date, actor: Any = None
) -> RatingApplication:
    """评估申请: recorded in every case; an ineligible one keeps its reasons (R-EVL-02/03/08)."""
    locked = _locked_round(rating_round, RatingRoundStatus.OPEN)
    if on > locked.applications_close_on:
        raise ValidationError({"applied_on": f"申请已于{locked.applications_close_on}截止。"})
    latest = (
        Rating.objects.filter(organization=organization, awarded_on__lte=on)
        .order_by("-awarded_on")
        .first()
    )
    reasons = rating_application_reasons(
        status=organization.status,
        established_on=organization.established_on,
        latest=LatestRating(latest.grade, latest.awarded_on, latest.expires_on, latest.rule_version)
        if latest
        else None,
        applied_on=on,
        obstacles=organization_obstacles([organization.pk], on, purpose=RATING).get(
            organization.pk, []
        ),
    )
    application = RatingApplication(
        round=locked,
        organization=organization,
        applied_on=on,
        status=ApplicationStatus.INELIGIBLE if reasons else ApplicationStatus.ACCEPTED,
        ineligibility_reasons="；".join(reasons),
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def rating_evaluation_record(
    *,
    application: RatingApplication,
    expert: Expert,
    score: Any,
    on: datetime.date,
    actor: Any = None,
) -> RatingEvaluation:
    """评估打分; an evaluator related to the applicant must recuse (R-EVL-06)."""
    app = RatingApplication.objects.select_related("round", "organization").get(pk=application.pk)
    _locked_round(app.round, RatingRoundStatus.OPEN, RatingRoundStatus.EVALUATING)
    if app.status != ApplicationStatus.ACCEPTED:
        raise ValidationError({"application": "该申请不符合条件，不能评分。"})
    conflict = expert_conflict(expert=expert, organization=app.organization, on=on)
    if conflict is not None:
        raise ValidationError(
            {"expert": f"{expert}与该组织存在利害关系（{conflict.reason}），应当回避（R-EVL-06）。"}
        )
    evaluation = RatingEvaluation(
        application=app, expert=expert, score=Decimal(str(score)), evaluated_on=on
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


def _grade_applications(rating_round: RatingRound) -> None:
    cutoffs = rating_round.cutoffs()
    for app in rating_round.applications.filter(status=ApplicationStatus.ACCEPTED).annotate(
        mean=Avg("evaluations__score")
    ):
        if app.mean is None:
            raise ValidationError({"round": f"{app.organization}的申请尚无评估打分。"})
        app.score = Decimal(app.mean).quantize(Decimal("0.01"))
        app.grade = grade_for_score(app.score, cutoffs)
        app.save(update_fields=["score", "grade"])


@transaction.atomic
def rating_round_start_notice(
    *, rating_round: RatingRound, on: datetime.date, actor: Any = None
) -> RatingRound:
    """评估结果公示: grade each accepted application by the round's cut-offs, publish."""
    locked = _locked_round(rating_round, RatingRoundStatus.OPEN, RatingRoundStatus.EVALUATING)
    _grade_applications(locked)
    locked.status = RatingRoundStatus.NOTICE
    locked.notice_started_on = on
    locked.notice_ends_on = add_working_days(on, NOTICE_WORKING_DAYS)
    locked.save()
    return locked


@transaction.atomic
def rating_review_request(
    *, application: RatingApplication, on: datetime.date, reason: str, actor: Any = None
) -> RatingReviewRequest:
    """复核申请, only during the public notice (R-EVL-06)."""
    app = RatingApplication.objects.select_related("round").get(pk=application.pk)
    locked = _locked_round(app.round, RatingRoundStatus.NOTICE)
    if not locked.notice_started_on <= on <= locked.notice_ends_on:
        raise ValidationError(
            {
                "requested_on": f"复核申请须在公示期（{locked.notice_started_on}至{locked.notice_ends_on}）内提出。"
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": "请说明申请复核的理由。"})
    return RatingReviewRequest.objects.create(application=app, requested_on=on, reason=reason)


@transaction.atomic
def rating_review_decide(
    *,
    request: RatingReviewRequest,
    decision: str,
    on: datetime.date,
    new_score: Any = None,
    actor: Any = None,
) -> RatingReviewRequest:
    """复核决定, within 15 days of the request (R-EVL-06); a changed score re-grades."""
    locked = (
        RatingReviewRequest.objects.select_for_update()
        .select_related("application__round")
        .get(pk=request.pk)
    )
    if locked.decision != ReviewDecision.PENDING:
        raise ValidationError({"decision": "该复核申请已经作出决定。"})
    if on > locked.requested_on + datetime.timedelta(days=REVIEW_DECISION_DAYS):
        raise ValidationError(
            {"decided_on": f"复核决定须在申请后{REVIEW_DECISION_DAYS}日内作出（R-EVL-06）。"}
        )
    app = locked.application
    if decision == ReviewDecision.CHANGED:
        if new_score is None:
            raise ValidationError({"new_score": "变更评估结果须给出复核后得分。"})
        app.score = Decimal(str(new_score))
        app.grade = grade_for_score(app.score, app.round.cutoffs())
        app.save(update_fields=["score", "grade"])
        locked.new_score = app.score
    elif decision != ReviewDecision.UPHELD:
        raise ValidationError({"decision": "复核结论须为维持或变更。"})
    locked.decision = decision
    locked.decided_on = on
    locked.save()
    return locked


@transaction.atomic
def rating_round_announce(
    *, rating_round: RatingRound, on: datetime.date, actor: Any = None
) -> RatingRound:
    """公告: after the notice and every review, write each grade to the register (D8)."""
    locked = _locked_round(rating_round, RatingRoundStatus.NOTICE)
    if on <= locked.notice_ends_on:
        raise ValidationError(
            {"announced_on": f"公示期至{locked.notice_ends_on}，期满后方可公告。"}
        )
    pending = RatingReviewRequest.objects.filter(
        application__round=locked, decision=ReviewDecision.PENDING
    )
    if pending.exists():
        raise ValidationError({"round": f"尚有{pending.count()}件复核申请未作决定。"})
    accepted = locked.applications.filter(status=ApplicationStatus.ACCEPTED)
    for app in accepted.select_related("organization"):
        if not app.grade:
            app.status = ApplicationStatus.NOT_GRADED
        else:
            app.rating = rating_award(
                organization=app.organization, grade=app.grade, awarded_on=on, actor=actor
            )
            app.status = ApplicationStatus.AWARDED
        app.save(update_fields=["status", "rating"])
    locked.status = RatingRoundStatus.ANNOUNCED
    locked.announced_on = on
    locked.save()
    return locked


def rating_expiry_reminders_create(*, on: datetime.date, within_days: int = 180) -> int:
    """Daily (R-XC-02): a reminder for each grade expiring within `within_days` of `on` that
    no later award replaces; idempotent (one reminder per rating). Returns how many were new."""
    newer = Rating.objects.filter(
        organization=OuterRef("organization"), awarded_on__gt=OuterRef("awarded_on")
    )
    due = (
        Rating.objects.filter(
            expires_on__gte=on, expires_on__lte=on + datetime.timedelta(days=within_days)
        )
        .filter(~Exists(newer))
        .exclude(pk__in=RatingExpiryReminder.objects.values("rating_id"))
        .values_list("pk", "organization_id", "expires_on")
    )
    created = RatingExpiryReminder.objects.bulk_create(
        [
            RatingExpiryReminder(rating_id=pk, organization_id=org, expires_on=exp, created_on=on)
            for pk, org, exp in due
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return len(created)
