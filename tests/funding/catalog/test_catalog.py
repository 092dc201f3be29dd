"""The purchase-of-services catalog: eligibility by rule (D9), publication, immutability."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from funding.catalog.choices import EditionStatus
from funding.catalog.models import CatalogEdition, CatalogEntry
from funding.catalog.rules import catalog_decide, is_auto_admitted, is_priority
from funding.catalog.selectors import catalog_eligibility
from funding.catalog.services import (
    catalog_edition_create,
    catalog_edition_publish,
    catalog_exclusion_add,
)
from tests.registry.factories import OrganizationFactory, RatingFactory

D = datetime.date
PUBLISH = D(2022, 7, 28)
APPLY = D(2022, 6, 30)


def decide(rows, grades=None, at_app=None, at_pub=None, min_age=1):
    return catalog_decide(
        organizations=rows,
        grades=grades or {},
        obstacles_at_application=at_app or {},
        obstacles_at_publication=at_pub or {},
        publication_date=PUBLISH,
        min_age_years=min_age,
    )


def test_minimum_age_boundary():
    # R-PUR-04 / D9: one full year on the publication date.
    result = decide([(1, False, D(2021, 7, 28)), (2, False, D(2021, 7, 29))])
    assert set(result.eligible) == {1}
    assert result.ineligible[2] == ["成立不满1年（成立日期2021-07-29，R-PUR-04）"]
    assert set(decide([(2, False, D(2021, 7, 29))], min_age=0).eligible) == {2}


def test_five_a_is_admitted_without_the_age_condition_three_a_is_a_priority_mark():
    result = decide(
        [(1, False, D(2022, 1, 1)), (2, False, D(2015, 1, 1)), (3, False, D(2015, 1, 1))],
        grades={1: "5A", 2: "3A", 3: "2A"},
    )
    assert result.eligible == {1: "5A", 2: "3A", 3: "2A"}
    assert is_auto_admitted("5A") and is_priority("5A")
    assert is_priority("3A") and not is_auto_admitted("3A")
    assert not is_priority("2A")


def test_lifecycle_and_obstacles_on_both_dates():
    result = decide(
        [(1, True, D(2015, 1, 1)), (2, False, D(2015, 1, 1)), (3, False, D(2015, 1, 1))],
        at_app={2: ["列入活动异常名录（2022-06-01）"]},
        at_pub={3: ["列入严重违法失信名单（2022-07-20）"], 2: ["列入活动异常名录（2022-06-01）"]},
    )
    assert result.ineligible[1] == ["登记状态为“注销办理中”（R-PUR-01）"]
    assert result.ineligible[2] == [
        "申报基准日：列入活动异常名录（2022-06-01）",
        "发布日：列入活动异常名录（2022-06-01）",
    ]
    assert result.ineligible[3] == ["发布日：列入严重违法失信名单（2022-07-20）"]
    assert not result.eligible


@pytest.mark.django_db
def test_selector_reads_register_ratings_and_providers_on_each_date(listed):
    old = OrganizationFactory(established_on=D(2015, 1, 1))
    young_5a = OrganizationFactory(established_on=D(2022, 3, 1))
    RatingFactory(organization=young_5a, grade="5A", awarded_on=D(2022, 4, 1))
    listed_at_application = OrganizationFactory(established_on=D(2015, 1, 1))
    listed.list(listed_at_application, D(2022, 6, 1), until=D(2022, 7, 1))
    gone = OrganizationFactory(established_on=D(2015, 1, 1))
    # Deregistered earlier (written directly: D11's liquidation audit is oversight's test).
    type(gone).objects.filter(pk=gone.pk).update(
        status="deregistered", deregistered_on=D(2022, 2, 1)
    )

    result = catalog_eligibility(application_date=APPLY, publication_date=PUBLISH, min_age_years=1)
    assert set(result.eligible) == {old.pk, young_5a.pk}
    assert result.ineligible[listed_at_application.pk] == [
        "申报基准日：列入活动异常名录（2022-06-01）"
    ]
    assert gone.pk not in result.ineligible  # no longer on the register
    assert {on for _ids, on in listed.calls} == {APPLY, PUBLISH}
    assert all(ids is None for ids, _on in listed.calls)  # set-based, no id lists


@pytest.mark.django_db
def test_lifecycle_is_judged_as_it_stood_on_the_publication_date():
    from registry.services import organization_transition

    org = OrganizationFactory(established_on=D(2015, 1, 1))
    organization_transition(organization=org, to="deregistering", on=D(2022, 7, 28))
    on_the_day = catalog_eligibility(
        application_date=APPLY, publication_date=PUBLISH, min_age_years=1
    )
    assert on_the_day.ineligible[org.pk] == ["登记状态为“注销办理中”（R-PUR-01）"]
    day_before = catalog_eligibility(
        application_date=APPLY, publication_date=D(2022, 7, 27), min_age_years=1
    )
    assert org.pk in day_before.eligible


@pytest.fixture
def edition(db):
    return catalog_edition_create(
        number=8, year=2022, title="第8次目录", application_date=APPLY, min_age_years=1
    )


@pytest.mark.django_db
def test_publish_admits_the_eligible_less_recorded_exclusions(edition, listed):
    a = OrganizationFactory(established_on=D(2015, 1, 1))
    b = OrganizationFactory(established_on=D(2015, 1, 1))
    RatingFactory(organization=b, grade="4A", awarded_on=D(2021, 1, 1))
    excluded = OrganizationFactory(established_on=D(2015, 1, 1))
    barred = OrganizationFactory(established_on=D(2015, 1, 1))
    listed.list(barred, D(2022, 7, 1))
    catalog_exclusion_add(edition=edition, organization=excluded, reason="服务质量投诉核实")

    catalog_edition_publish(edition=edition, on=PUBLISH)
    edition.refresh_from_db()
    assert (edition.status, edition.published_on) == (EditionStatus.PUBLISHED, PUBLISH)
    entries = {e.organization_id: e for e in edition.entries.all()}
    assert set(entries) == {a.pk, b.pk}
    assert (entries[b.pk].grade, entries[b.pk].is_priority) == ("4A", True)
    assert entries[a.pk].uscc == a.uscc and entries[a.pk].name == a.name


@pytest.mark.django_db
def test_excluding_an_ineligible_organization_is_refused(edition, listed):
    barred = OrganizationFactory(established_on=D(2015, 1, 1))
    listed.list(barred, D(2022, 7, 1))
    catalog_exclusion_add(edition=edition, organization=barred, reason="重复")
    with pytest.raises(ValidationError, match="本就不符合"):
        catalog_edition_publish(edition=edition, on=PUBLISH)
    with pytest.raises(ValidationError, match="须说明理由"):
        catalog_exclusion_add(edition=edition, organization=OrganizationFactory(), reason=" ")


@pytest.mark.django_db
def test_published_edition_cannot_be_published_again_or_extended(edition):
    OrganizationFactory(established_on=D(2015, 1, 1))
    catalog_edition_publish(edition=edition, on=PUBLISH)
    with pytest.raises(ValidationError, match="已发布"):
        catalog_edition_publish(edition=edition, on=PUBLISH)
    with pytest.raises(ValidationError, match="已发布"):
        catalog_exclusion_add(edition=edition, organization=OrganizationFactory(), reason="x")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE funding_catalogedition SET title = 'x' WHERE id = %(edition)s",
        "DELETE FROM funding_catalogedition WHERE id = %(edition)s",
        "UPDATE funding_catalogentry SET name = 'x' WHERE edition_id = %(edition)s",
        "DELETE FROM funding_catalogentry WHERE edition_id = %(edition)s",
        "INSERT INTO funding_catalogentry (edition_id, organization_id, name, uscc, grade,"
        " is_priority, auto_admitted) VALUES (%(edition)s, %(org)s, 'x', 'x', '', false, false)",
    ],
)
def test_raw_sql_cannot_change_a_published_edition(edition, sql):
    OrganizationFactory(established_on=D(2015, 1, 1))
    catalog_edition_publish(edition=edition, on=PUBLISH)
    outsider = OrganizationFactory(established_on=D(2015, 1, 1))
    with (
        pytest.raises(DatabaseError, match="不可"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, {"edition": edition.pk, "org": outsider.pk})
    assert CatalogEdition.objects.get(pk=edition.pk).title == "第8次目录"
    assert CatalogEntry.objects.filter(edition=edition).count() == 1


@pytest.mark.django_db
def test_a_draft_edition_stays_editable_by_sql(edition):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE funding_catalogedition SET title = 'y' WHERE id = %s", [edition.pk])
    assert CatalogEdition.objects.get(pk=edition.pk).title == "y"
