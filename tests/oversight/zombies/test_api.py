"""API of the zombie cleanup: generic scope tests for zombie-cases/ and circulars/, the
progress per unit within the caller's scope, circulars to all units, and the download."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from common.testing.api import (
    ScopedAPITestCase,
    make_department_user,
    make_staff_user,
    token_client,
)
from oversight.inspections.models import Circular
from oversight.zombies.choices import ZombieCriterion
from oversight.zombies.circulars import zombie_circulars_issue
from oversight.zombies.models import ZombieCase
from tests.oversight.factories import ZombieCaseFactory
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

D = datetime.date


def make_circular(*, unit, attachment: bytes | None = None) -> Circular:
    circular = Circular(title=f"通报{unit.code if unit else '全部'}", issued_on=D(2022, 10, 1))
    circular.supervising_unit = unit
    if attachment is not None:
        circular.attachment.save("test.xlsx", ContentFile(attachment), save=False)
    circular.save()
    return circular


class TestZombieCaseAPI(ScopedAPITestCase):
    model = ZombieCase
    basename = "zombie-case"
    lookup_field = "id"
    # The progress action has its own scope tests below.
    extra_covered_routes = ("zombie-case-progress",)

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return ZombieCaseFactory(organization=OrganizationFactory(supervising_unit=unit))


class TestCircularAPI(ScopedAPITestCase):
    model = Circular
    basename = "circular"
    lookup_field = "id"
    # The download action has its own scope tests below.
    extra_covered_routes = ("circular-download",)

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return make_circular(unit=unit)


pytestmark = pytest.mark.django_db


def test_case_shows_stage_and_criteria_with_labels_and_filters():
    unit = SupervisingUnitFactory(code="ZA")
    case = ZombieCaseFactory(
        organization=OrganizationFactory(supervising_unit=unit),
        stage="notified",
        criteria=["R-ZMB-01(1)", "R-ZMB-01(4)"],
    )
    ZombieCaseFactory(organization=OrganizationFactory(supervising_unit=unit), stage="revoked")
    client = token_client(make_department_user(unit=unit))
    row = client.get(f"/api/v1/zombie-cases/{case.pk}/").json()
    assert row["stage"] == "notified"
    assert row["stage_display"] == "已告知"
    assert row["supervising_unit"] == {"code": "ZA", "name": unit.name}
    assert row["criteria"] == [
        {"code": "R-ZMB-01(1)", "label": ZombieCriterion.MISSED_REPORTS.label},
        {"code": "R-ZMB-01(4)", "label": ZombieCriterion.UNREACHABLE.label},
    ]
    listed = client.get("/api/v1/zombie-cases/", {"stage": "notified"}).json()
    assert [r["id"] for r in listed["results"]] == [case.pk]
    by_uscc = client.get(
        "/api/v1/zombie-cases/", {"organization_uscc": case.organization.uscc}
    ).json()
    assert by_uscc["count"] == 1


def test_progress_is_scoped_to_the_department():
    a, b = SupervisingUnitFactory(code="PA"), SupervisingUnitFactory(code="PB")
    for stage in ("identified", "deregistered", "deregistered"):
        ZombieCaseFactory(organization=OrganizationFactory(supervising_unit=a), stage=stage)
    ZombieCaseFactory(organization=OrganizationFactory(supervising_unit=b), stage="notified")

    mine = token_client(make_department_user(unit=a)).get("/api/v1/zombie-cases/progress/")
    assert mine.status_code == 200
    assert [row["unit_code"] for row in mine.json()] == ["PA"]
    assert mine.json()[0]["stages"]["deregistered"] == 2
    assert mine.json()[0]["total"] == 3

    staff = token_client(make_staff_user(perms=["oversight.view_zombiecase"]))
    everyone = staff.get("/api/v1/zombie-cases/progress/").json()
    assert {row["unit_code"] for row in everyone} == {"PA", "PB"}
    filtered = staff.get("/api/v1/zombie-cases/progress/", {"supervising_unit_code": "PB"})
    assert [row["unit_code"] for row in filtered.json()] == ["PB"]
    assert token_client(make_staff_user()).get("/api/v1/zombie-cases/progress/").status_code == 403


def test_circulars_to_all_units_reach_every_department():
    a, b = SupervisingUnitFactory(), SupervisingUnitFactory()
    to_all = make_circular(unit=None)
    to_a = make_circular(unit=a)
    client_b = token_client(make_department_user(unit=b))
    assert {r["id"] for r in client_b.get("/api/v1/circulars/").json()["results"]} == {to_all.pk}
    assert client_b.get(f"/api/v1/circulars/{to_all.pk}/").status_code == 200
    assert client_b.get(f"/api/v1/circulars/{to_a.pk}/").status_code == 404
    client_a = token_client(make_department_user(unit=a))
    assert {r["id"] for r in client_a.get("/api/v1/circulars/").json()["results"]} == {
        to_all.pk,
        to_a.pk,
    }


def test_download_streams_the_workbook_within_scope_and_404_outside():
    a, b = SupervisingUnitFactory(), SupervisingUnitFactory()
    ZombieCaseFactory(organization=OrganizationFactory(supervising_unit=a))
    [circular] = zombie_circulars_issue(as_of=D(2022, 10, 8))
    client_a = token_client(make_department_user(unit=a))
    row = client_a.get(f"/api/v1/circulars/{circular.pk}/").json()
    assert row["download_url"].endswith(f"/api/v1/circulars/{circular.pk}/download/")
    response = client_a.get(f"/api/v1/circulars/{circular.pk}/download/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert wb.sheetnames == ["僵尸型社会组织案件", "信用名录"]

    client_b = token_client(make_department_user(unit=b))
    out_of_scope = client_b.get(f"/api/v1/circulars/{circular.pk}/download/")
    missing = client_b.get("/api/v1/circulars/0/download/")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content
    assert (
        token_client(make_staff_user())
        .get(f"/api/v1/circulars/{circular.pk}/download/")
        .status_code
        == 403
    )


def test_download_of_a_circular_without_attachment_is_404():
    a = SupervisingUnitFactory()
    circular = make_circular(unit=a)
    client = token_client(make_department_user(unit=a))
    assert client.get(f"/api/v1/circulars/{circular.pk}/").json()["download_url"] is None
    assert client.get(f"/api/v1/circulars/{circular.pk}/download/").status_code == 404
