"""`seed_demo`'s funding data: the seed letter's figures by aggregate queries, dates up to
the letter, deterministic and idempotent. Seeded once for the module, rolled back after."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Sum

from funding.catalog.models import CatalogEdition
from funding.grants.choices import FUNDED_STATUSES
from funding.grants.models import (
    FundRound,
    GrantCompletionReport,
    GrantPayment,
    GrantProject,
    GrantTransition,
    Sponsorship,
)
from funding.ratings.models import RatingApplication
from funding.services_records.models import ServiceRecord
from funding.services_records.selectors import service_record_counts

pytestmark = pytest.mark.django_db
LETTER = datetime.date(2022, 7, 28)
STEPS = [
    "registry.supervising_units",
    "registry.register",
    "funding.grants",
    "funding.ratings",
    "funding.catalog",
    "funding.service_records",
]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", *[f"--step={s}" for s in STEPS], stdout=out)
    return out.getvalue()


def fingerprint() -> tuple:
    return (
        GrantProject.objects.count(),
        GrantPayment.objects.count(),
        list(
            GrantProject.objects.order_by("id").values_list(
                "organization__uscc", "approved_amount"
            )[:50]
        ),
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        first = fingerprint()
        second_out = seed()
        yield {"first": first, "second": fingerprint(), "second_out": second_out}
        transaction.set_rollback(True)


def test_rounds_projects_and_money(seeded):
    funded = GrantProject.objects.filter(status__in=FUNDED_STATUSES)
    assert FundRound.objects.count() == 11
    assert funded.count() == 775
    total = funded.aggregate(s=Sum("approved_amount"))["s"]
    assert abs(total - Decimal("121000000")) <= Decimal("605000")  # ± 0.5 %
    round5 = GrantProject.objects.filter(round__number=5)
    assert round5.count() == 276 and round5.filter(status__in=FUNDED_STATUSES).count() == 91


def test_completion_reports_and_sponsorship(seeded):
    reports = GrantCompletionReport.objects.aggregate(
        a=Sum("activities_held"), p=Sum("people_served")
    )
    assert reports["a"] > 17_000
    assert 1_550_000 <= reports["p"] <= 1_650_000
    assert Sponsorship.objects.aggregate(s=Sum("amount"))["s"] > Decimal("10000000")


def test_catalog_editions_and_ratings(seeded):
    assert CatalogEdition.objects.filter(status="published").count() == 8
    assert CatalogEdition.objects.annotate(n=Count("entries")).filter(n=0).count() == 0
    # Every grade a round awarded is the register's own rating of that organization.
    awarded = RatingApplication.objects.filter(status="awarded").select_related("rating")
    assert awarded.exists()
    assert all(
        a.rating.organization_id == a.organization_id and a.rating.grade == a.grade for a in awarded
    )


def test_service_records(seeded):
    counts = service_record_counts()
    assert counts["annual_report_training"]["households"] == 5000
    assert counts["qualification_prereview"]["households"] == 550
    assert counts["rating_service"]["households"] == 50
    assert counts["finance_hr"] == {"households": 1020, "sessions": 500}


def test_dates_up_to_the_seed_letter(seeded):
    latest = [
        GrantTransition.objects.aggregate(m=Max("on"))["m"],
        GrantPayment.objects.aggregate(m=Max("requested_on"))["m"],
        Sponsorship.objects.aggregate(m=Max("sponsored_on"))["m"],
        ServiceRecord.objects.aggregate(m=Max("served_on"))["m"],
        CatalogEdition.objects.aggregate(m=Max("published_on"))["m"],
    ]
    assert all(day <= LETTER for day in latest), latest


def test_second_run_changes_nothing(seeded):
    assert seeded["first"] == seeded["second"]
    assert "已存在" in seeded["second_out"]
