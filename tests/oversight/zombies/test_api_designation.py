"""zombie-flags/: generic scope tests, and the designation (R-ZMB-01(5)) a department makes
for the organizations it supervises, or staff with the permission."""

from __future__ import annotations

import pytest

from common.testing.api import (
    ScopedAPITestCase,
    make_department_user,
    make_staff_user,
    token_client,
)
from oversight.zombies.models import ZombieFlag
from oversight.zombies.services import zombie_case_open, zombie_case_transition, zombie_designate
from tests.oversight.zombies.helpers import C5, D
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db

ON = D(2022, 7, 1)
REASON = "业务主管单位核查：连续三年未开展任何活动，办公场所已退租"


def designate(organization, *, actor=None, on=ON):
    return zombie_designate(organization=organization, reason=REASON, actor=actor, on=on)


class TestZombieFlagAPI(ScopedAPITestCase):
    model = ZombieFlag
    basename = "zombie-flag"
    lookup_field = "id"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return designate(OrganizationFactory(supervising_unit=unit))


def test_department_designates_its_own_organization_through_the_api():
    unit, other = SupervisingUnitFactory(), SupervisingUnitFactory()
    mine, theirs = (
        OrganizationFactory(supervising_unit=unit),
        OrganizationFactory(supervising_unit=other),
    )
    dept = make_department_user(unit=unit)
    client = token_client(dept)
    response = client.post(
        "/api/v1/zombie-flags/",
        {"organization_uscc": mine.uscc, "reason": REASON, "designated_on": "2022-07-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "designated"
    assert body["criteria"][0]["code"] == C5
    assert body["designating_unit"]["code"] == unit.code
    # Another unit's organization answers as a missing one; nothing is written.
    response = client.post(
        "/api/v1/zombie-flags/",
        {"organization_uscc": theirs.uscc, "reason": REASON},
        format="json",
    )
    assert response.status_code == 400
    assert "organization_uscc" in response.json()
    assert not ZombieFlag.objects.filter(organization=theirs).exists()
    # The service's refusals are 400 by field.
    response = client.post(
        "/api/v1/zombie-flags/",
        {"organization_uscc": mine.uscc, "reason": REASON, "designated_on": "2022-07-01"},
        format="json",
    )
    assert response.status_code == 400


def test_staff_designate_through_the_api_only_with_the_permission():
    o = OrganizationFactory()
    body = {"organization_uscc": o.uscc, "reason": REASON}
    reader = token_client(make_staff_user(perms=["oversight.view_zombieflag"]))
    assert reader.post("/api/v1/zombie-flags/", body, format="json").status_code == 403
    # Finding the organization is a read of the register: staff need to see organizations.
    writer = token_client(
        make_staff_user(
            perms=[
                "oversight.view_zombieflag",
                "oversight.add_zombieflag",
                "registry.view_organization",
            ]
        )
    )
    response = writer.post("/api/v1/zombie-flags/", body, format="json")
    assert response.status_code == 201
    assert response.json()["designating_unit"] is None


def test_a_case_in_notice_shows_its_dates():
    unit = SupervisingUnitFactory()
    case = zombie_case_open(
        organization=OrganizationFactory(supervising_unit=unit),
        criteria=["R-ZMB-01(4)"],
        identified_on=D(2022, 3, 1),
    )
    zombie_case_transition(case=case, to="notice", on=D(2022, 4, 1))
    row = token_client(make_department_user(unit=unit)).get(f"/api/v1/zombie-cases/{case.pk}/")
    body = row.json()
    assert (body["stage"], body["stage_display"]) == ("notice", "公告送达中")
    assert (body["notice_published_on"], body["notice_ends_on"]) == ("2022-04-01", "2022-05-31")
    progress = token_client(make_department_user(unit=unit)).get("/api/v1/zombie-cases/progress/")
    assert progress.json()[0]["stages"]["notice"] == 1
