"""Rating rounds (R-EVL): eligibility with boundary dates, recusal, notice, review, award."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.grants.models import ExpertConflict
from funding.ratings.choices import ApplicationStatus
from funding.ratings.models import RatingExpiryReminder
from funding.ratings.rules import LatestRating, grade_for_score, rating_application_reasons
from funding.ratings.services import (
    rating_apply,
    rating_evaluation_record,
    rating_expiry_reminders_create,
    rating_review_decide,
    rating_review_request,
    rating_round_announce,
    rating_round_create,
    rating_round_start_notice,
)
from registry.choices import RatingRuleVersion
from registry.models import Rating
from tests.funding.factories import ExpertFactory
from tests.registry.factories import OrganizationFactory, RatingFactory

D = datetime.date


OLD_ORG = D(2015, 1, 1)


def reasons(*, established=OLD_ORG, latest=None, on, obstacles=(), status="active"):
    return rating_application_reasons(
        status=status,
        established_on=established,
        latest=latest,
        applied_on=on,
        obstacles=list(obstacles),
    )


def test_first_evaluation_after_two_full_years():  # R-EVL-02
    assert reasons(established=D(2019, 7, 28), on=D(2021, 7, 27))[0].startswith(
        "取得登记证书未满2年"
    )
    assert reasons(established=D(2019, 7, 28), on=D(2021, 7, 28)) == []


def test_order_39_grade_moves_up_after_two_years_or_at_expiry():  # R-EVL-02 [LOCAL]
    latest = LatestRating("3A", D(2019, 6, 1), D(2024, 5, 31), RatingRuleVersion.ORDER_39)
    assert "评定满2年方可申请晋级" in reasons(latest=latest, on=D(2021, 5, 31))[0]
    assert reasons(latest=latest, on=D(2021, 6, 1)) == []
    assert reasons(latest=latest, on=D(2024, 6, 1)) == []


def test_revised_rules_allow_re_evaluation_in_the_first_four_years():  # R-EVL-08
    latest = LatestRating("4A", D(2026, 6, 1), D(2031, 12, 31), RatingRuleVersion.REVISION_2026)
    assert reasons(latest=latest, on=D(2030, 5, 31)) == []
    assert "有效期前4年内可申请重新评估（R-EVL-08）" in reasons(latest=latest, on=D(2030, 6, 1))[0]


def test_exclusions_and_lifecycle():  # R-EVL-03 / R-EVL-07 via providers
    got = reasons(on=D(2022, 1, 1), obstacles=["上一年度未参加年检"], status="deregistering")
    assert got == ["登记状态不是“正常”", "上一年度未参加年检"]


def test_cutoffs_per_round():  # R-EVL-04
    cutoffs = [("5A", 950), ("4A", 850), ("3A", 750), ("2A", 650), ("1A", 550)]
    assert grade_for_score(Decimal("950"), cutoffs) == "5A"
    assert grade_for_score(Decimal("949.99"), cutoffs) == "4A"
    assert grade_for_score(Decimal("549.99"), cutoffs) == ""


@pytest.fixture
def rating_round(db):
    return rating_round_create(
        year=2021,
        title="2021年度社会组织等级评估",
        applications_close_on=D(2021, 9, 30),
        min_5a=950,
        min_4a=850,
        min_3a=750,
        min_2a=650,
        min_1a=550,
    )


@pytest.mark.django_db
def test_cutoffs_must_descend():
    with pytest.raises(ValidationError, match="依次降低"):
        rating_round_create(
            year=2021, title="x", applications_close_on=D(2021, 9, 30), min_5a=800, min_4a=850
        )


@pytest.mark.django_db
def test_ineligible_application_is_kept_with_reasons(rating_round, listed):
    young = OrganizationFactory(established_on=D(2020, 1, 1))
    app = rating_apply(rating_round=rating_round, organization=young, on=D(2021, 9, 1))
    assert app.status == ApplicationStatus.INELIGIBLE
    assert "R-EVL-02" in app.ineligibility_reasons
    listed_org = OrganizationFactory()
    listed.list(listed_org, D(2021, 8, 1))
    app2 = rating_apply(rating_round=rating_round, organization=listed_org, on=D(2021, 9, 1))
    assert "列入活动异常名录（2021-08-01）" in app2.ineligibility_reasons


@pytest.mark.django_db
def test_full_round_writes_ratings_with_their_rule_version(rating_round):
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    app_a = rating_apply(rating_round=rating_round, organization=org_a, on=D(2021, 9, 1))
    app_b = rating_apply(rating_round=rating_round, organization=org_b, on=D(2021, 9, 1))
    conflicted = ExpertFactory()
    ExpertConflict.objects.create(expert=conflicted, organization=org_a, reason="现任顾问")
    with pytest.raises(ValidationError, match="应当回避"):
        rating_evaluation_record(application=app_a, expert=conflicted, score=900, on=D(2021, 10, 8))
    for score in (960, 940):
        rating_evaluation_record(
            application=app_a, expert=ExpertFactory(), score=score, on=D(2021, 10, 8)
        )
    rating_evaluation_record(
        application=app_b, expert=ExpertFactory(), score=500, on=D(2021, 10, 8)
    )

    noticed = rating_round_start_notice(rating_round=rating_round, on=D(2021, 10, 15))
    app_a.refresh_from_db()
    assert (app_a.score, app_a.grade) == (Decimal("950.00"), "5A")
    with pytest.raises(ValidationError, match="公示期"):
        rating_review_request(
            application=app_b, on=noticed.notice_ends_on + datetime.timedelta(1), reason="x"
        )
    request = rating_review_request(application=app_b, on=D(2021, 10, 18), reason="材料漏评")
    with pytest.raises(ValidationError, match="尚有1件复核申请"):
        rating_round_announce(rating_round=rating_round, on=D(2021, 11, 1))
    with pytest.raises(ValidationError, match="15日内"):
        rating_review_decide(request=request, decision="changed", new_score=700, on=D(2021, 11, 3))
    rating_review_decide(request=request, decision="changed", new_score=700, on=D(2021, 11, 2))

    rating_round_announce(rating_round=rating_round, on=D(2021, 11, 5))
    rating = Rating.objects.get(organization=org_a)
    assert (rating.grade, rating.awarded_on, rating.rule_version) == (
        "5A",
        D(2021, 11, 5),
        RatingRuleVersion.ORDER_39,
    )
    assert Rating.objects.get(organization=org_b).grade == "2A"  # 700 after review


@pytest.mark.django_db
def test_expiry_reminders_daily_and_idempotent():
    expiring = RatingFactory(awarded_on=D(2017, 9, 1))  # expires 2022-08-31
    RatingFactory(awarded_on=D(2017, 12, 1))  # expires 2022-11-30: outside 90 days
    renewed = RatingFactory(awarded_on=D(2017, 8, 1))
    RatingFactory(organization=renewed.organization, awarded_on=D(2021, 8, 1))
    assert rating_expiry_reminders_create(on=D(2022, 7, 28), within_days=90) == 1
    assert rating_expiry_reminders_create(on=D(2022, 7, 29), within_days=90) == 0
    assert RatingExpiryReminder.objects.get().rating_id == expiring.pk


@pytest.mark.django_db
def test_daily_task_writes_reminders_and_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    from funding.ratings.tasks import rating_expiry_reminders_task

    RatingFactory(awarded_on=D(2017, 9, 1))  # expires 2022-08-31
    result = rating_expiry_reminders_task.apply(kwargs={"as_of": "2022-07-28"}).get()
    assert result == {"as_of": "2022-07-28", "created": 1}
    # The migration's schedule (re-run: a transactional test may have flushed the table).
    import importlib

    from django.apps import apps

    migration = importlib.import_module("funding.migrations.0003_rating_reminder_schedule")
    migration.create(apps, None)
    migration.create(apps, None)
    assert PeriodicTask.objects.filter(task="funding.rating_expiry_reminders").count() == 1
