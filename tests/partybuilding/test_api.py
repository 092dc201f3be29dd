"""API of party building: generic scope tests for party-organizations/, and statistics/party/."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from common.testing.api import (
    ScopedAPITestCase,
    make_department_user,
    make_staff_user,
    token_client,
)
from partybuilding.choices import Formation
from partybuilding.models import PartyOrganization
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

from .factories import make_assignment, make_party_organization

D = datetime.date


class TestPartyOrganizationAPI(ScopedAPITestCase):
    model = PartyOrganization
    basename = "party-organization"
    lookup_field = "id"
    extra_covered_routes = ("party-statistics-list",)

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return make_party_organization(unit=unit)

    def test_joint_branch_shows_only_own_organizations(self):
        unit_a, unit_b = self.create_unit(), self.create_unit()
        mine, theirs = (
            OrganizationFactory(supervising_unit=unit_a),
            OrganizationFactory(supervising_unit=unit_b),
        )
        po = make_party_organization(organizations=[mine, theirs], formation=Formation.JOINT)
        client = token_client(make_department_user(unit=unit_a))
        body = client.get(self.detail_url(po)).json()
        assert [c["uscc"] for c in body["covered_organizations"]] == [mine.uscc]
        staff = token_client(make_staff_user(perms=[self.view_perm()]))
        assert len(staff.get(self.detail_url(po)).json()["covered_organizations"]) == 2

    def test_filter_by_formation_and_date(self):
        unit = self.create_unit()
        make_party_organization(unit=unit)
        joint = make_party_organization(
            unit=unit, formation=Formation.JOINT, approved_on=D(2022, 1, 1)
        )
        client = token_client(make_department_user(unit=unit))
        rows = client.get(self.list_url(), {"formation": "joint", "active_on": "2022-06-30"}).json()
        assert [r["id"] for r in rows["results"]] == [joint.pk]
        assert (
            client.get(self.list_url(), {"active_on": "2021-06-30", "formation": "joint"}).json()[
                "count"
            ]
            == 0
        )


@pytest.mark.django_db
class TestPartyStatisticsAPI:
    url = staticmethod(lambda: reverse("api-v1:party-statistics-list"))

    @pytest.fixture
    def units(self):
        unit_a, unit_b = SupervisingUnitFactory(), SupervisingUnitFactory()
        make_party_organization(unit=unit_a)
        make_party_organization(unit=unit_b, formation=Formation.JOINT)
        make_assignment(organization=OrganizationFactory(supervising_unit=unit_b))
        return unit_a, unit_b

    def values(self, response) -> dict:
        assert response.status_code == 200, response.content
        return {f["key"]: f["value"] for f in response.json()["figures"]}

    def test_anonymous_401(self):
        assert APIClient().get(self.url()).status_code == 401

    def test_staff_without_permission_403(self, units):
        assert token_client(make_staff_user()).get(self.url()).status_code == 403

    def test_staff_sees_everything(self, units):
        client = token_client(make_staff_user(perms=["partybuilding.view_partyorganization"]))
        response = client.get(self.url(), {"as_of": "2022-06-30"})
        assert response.json()["as_of"] == "2022-06-30"
        v = self.values(response)
        assert (v["registered"], v["covered"], v["work_covered"], v["party_organizations"]) == (
            4,
            3,
            1,
            2,
        )
        assert v["covered_rate"] == 75.0
        labels = {f["key"]: f["label"] for f in response.json()["figures"]}
        assert labels["covered_rate"] == "组织覆盖率（%）"

    def test_department_sees_only_its_own(self, units):
        unit_a, unit_b = units
        a = self.values(
            token_client(make_department_user(unit=unit_a)).get(self.url(), {"as_of": "2022-06-30"})
        )
        b = self.values(
            token_client(make_department_user(unit=unit_b)).get(self.url(), {"as_of": "2022-06-30"})
        )
        assert (a["registered"], a["covered"], a["party_organizations"], a["work_covered"]) == (
            1,
            1,
            1,
            0,
        )
        assert (b["registered"], b["covered"], b["party_organizations"], b["work_covered"]) == (
            3,
            2,
            1,
            1,
        )

    def test_department_without_membership_sees_zeros(self, units):
        from django.contrib.auth import get_user_model

        loner = get_user_model().objects.create_user("loner")
        v = self.values(token_client(loner).get(self.url()))
        assert v["registered"] == 0 and v["party_organizations"] == 0

    @pytest.mark.parametrize("bad", ["2022-13-01", "30/06/2022", "yesterday"])
    def test_bad_date_400_names_the_field(self, units, bad):
        client = token_client(make_staff_user(perms=["partybuilding.view_partyorganization"]))
        response = client.get(self.url(), {"as_of": bad})
        assert response.status_code == 400
        assert "as_of" in response.json()
        assert "统计日期" in response.json()["as_of"][0]

    def test_query_count_constant(self, units):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = token_client(make_staff_user(perms=["partybuilding.view_partyorganization"]))
        client.get(self.url())  # warm-up: the token's last-used write

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.values(client.get(self.url()))
            return len(ctx.captured_queries)

        few = count()
        for _ in range(5):
            make_party_organization(formation=Formation.JOINT)
        assert count() == few
