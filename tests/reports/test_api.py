"""GET /api/v1/statistics/overview/: staff see the district, a department its own organizations."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from common.testing.api import COVERED_ROUTES, make_department_user, make_staff_user, token_client
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

# Not a model resource: its scope tests are the explicit ones below (the route sweep reads this).
COVERED_ROUTES["api-v1:statistics-overview-list"] = f"{__name__}.TestOverviewAPI"

pytestmark = pytest.mark.django_db


def url():
    return reverse("api-v1:statistics-overview-list")


class TestOverviewAPI:
    @pytest.fixture
    def units(self):
        a, b = SupervisingUnitFactory(), SupervisingUnitFactory()
        OrganizationFactory(supervising_unit=a)
        OrganizationFactory(supervising_unit=b)
        OrganizationFactory(supervising_unit=b)
        return a, b

    def values(self, response) -> dict:
        assert response.status_code == 200, response.content
        return {f["key"]: f["value"] for f in response.json()["figures"]}

    def test_anonymous_401(self):
        assert APIClient().get(url()).status_code == 401

    def test_staff_without_permission_403(self, units):
        assert token_client(make_staff_user()).get(url()).status_code == 403

    def test_staff_sees_the_district(self, units):
        client = token_client(make_staff_user(perms=["registry.view_organization"]))
        response = client.get(url(), {"as_of": "2022-06-30"})
        body = response.json()
        assert body["as_of"] == "2022-06-30"
        assert set(body["figures"][0]) == {"key", "label", "value", "unit"}
        assert self.values(response)["organizations"] == 3
        assert body["figures"][0]["label"] == "在册社会组织"

    def test_department_sees_only_its_own(self, units):
        a, b = units
        va = self.values(token_client(make_department_user(unit=a)).get(url()))
        vb = self.values(token_client(make_department_user(unit=b)).get(url()))
        assert (va["organizations"], vb["organizations"]) == (1, 2)
        assert "draws.annual_report_audit.2022.population" not in va

    def test_bad_date_is_a_chinese_error_naming_the_field(self, units):
        client = token_client(make_staff_user(perms=["registry.view_organization"]))
        response = client.get(url(), {"as_of": "2022-13-01"})
        assert response.status_code == 400
        assert "as_of" in response.json() and "YYYY-MM-DD" in str(response.json())
        response = client.get(url(), {"as_of": "2022-06-30", "since": "2022-07-01"})
        assert response.status_code == 400 and "since" in response.json()
