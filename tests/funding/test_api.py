"""Funding resources under /api/v1/: generic scope tests for every route, plus the opinion."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from common.testing.api import (
    ScopedAPITestCase,
    make_department_user,
    make_staff_user,
    token_client,
)
from funding.catalog.models import CatalogEdition, CatalogEntry
from funding.grants.models import FundRound, GrantProject
from funding.ratings.models import RatingApplication, RatingRound
from tests.funding.factories import FundRoundFactory, submitted_grant
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

D = datetime.date


def grant_in(unit) -> GrantProject:
    return submitted_grant(organization=OrganizationFactory(supervising_unit=unit))


class TestFundRoundAPI(ScopedAPITestCase):
    model = FundRound
    basename = "fund-round"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        # A department sees the rounds its organizations applied to.
        fund_round = FundRoundFactory(status="closed")
        GrantProject.objects.create(
            round=fund_round,
            organization=OrganizationFactory(supervising_unit=unit),
            title="t",
            category="community",
            requested_amount="1000",
            submitted_on=fund_round.opens_on,
        )
        return fund_round


class TestGrantAPI(ScopedAPITestCase):
    model = GrantProject
    basename = "grant"
    lookup_field = "id"
    extra_covered_routes = ("grant-opinion",)

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return grant_in(unit)

    def opinion_url(self, project):
        return reverse("api-v1:grant-opinion", kwargs={"id": project.id})

    def test_department_records_its_opinion(self):
        unit = self.create_unit()
        project = grant_in(unit)
        client = token_client(make_department_user(unit=unit))
        response = client.post(self.opinion_url(project), {"opinion": "agree"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["supervisor_opinion_display"] == "同意"
        again = client.post(self.opinion_url(project), {"opinion": "agree"}, format="json")
        assert again.status_code == 400
        assert "opinion" in again.json()

    def test_disagreement_without_reason_is_a_field_error(self):
        unit = self.create_unit()
        project = grant_in(unit)
        client = token_client(make_department_user(unit=unit))
        response = client.post(self.opinion_url(project), {"opinion": "disagree"}, format="json")
        assert response.status_code == 400
        assert "remarks" in response.json()

    def test_other_department_gets_404_and_staff_need_change_permission(self):
        project = grant_in(self.create_unit())
        other = token_client(make_department_user(unit=self.create_unit()))
        assert other.post(self.opinion_url(project), {"opinion": "agree"}).status_code == 404
        viewer = token_client(make_staff_user(perms=["funding.view_grantproject"]))
        assert viewer.post(self.opinion_url(project), {"opinion": "agree"}).status_code == 403


class TestRatingAPI(ScopedAPITestCase):
    model = RatingApplication
    basename = "rating-application"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        rating_round, _ = RatingRound.objects.get_or_create(
            year=2021, title="2021年度评估", defaults={"applications_close_on": D(2021, 9, 30)}
        )
        return RatingApplication.objects.create(
            round=rating_round,
            organization=OrganizationFactory(supervising_unit=unit),
            applied_on=D(2021, 9, 1),
        )


def edition_with_entry(unit) -> tuple[CatalogEdition, CatalogEntry]:
    number = (
        CatalogEdition.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    edition = CatalogEdition.objects.create(
        number=number, year=2022, title=f"第{number}次", application_date=D(2022, 6, 30)
    )
    org = OrganizationFactory(supervising_unit=unit)
    entry = CatalogEntry.objects.create(
        edition=edition, organization=org, name=org.name, uscc=org.uscc
    )
    return edition, entry


class TestCatalogEditionAPI(ScopedAPITestCase):
    model = CatalogEdition
    basename = "catalog-edition"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return edition_with_entry(unit)[0]


class TestCatalogEntryAPI(ScopedAPITestCase):
    model = CatalogEntry
    basename = "catalog-entry"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return edition_with_entry(unit)[1]


@pytest.mark.django_db
def test_grant_list_filters_by_round_and_status():
    unit = SupervisingUnitFactory()
    a = grant_in(unit)
    grant_in(unit)
    client = token_client(make_department_user(unit=unit))
    response = client.get(reverse("api-v1:grant-list"), {"round_number": a.round.number})
    assert [row["id"] for row in response.json()["results"]] == [a.id]
