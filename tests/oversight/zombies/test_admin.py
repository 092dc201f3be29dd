"""The zombie-cleanup admin: confirming flags into cases, moving cases along (all or
nothing), the progress page per supervising unit and the monthly circulars button."""

from __future__ import annotations

import datetime

import pytest

from oversight.inspections.models import Circular
from oversight.zombies.choices import ZombieStage
from oversight.zombies.detection import zombie_detect
from oversight.zombies.models import ZombieCase, ZombieFlag
from oversight.zombies.services import zombie_case_open, zombie_case_transition
from registry.choices import LifecycleStatus
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def flags():
    unit = SupervisingUnitFactory(name="福田区测试局")
    orgs = [
        OrganizationFactory(supervising_unit=unit, established_on=D(2019, 1, 1)) for _ in range(2)
    ]
    zombie_detect(as_of=D(2022, 7, 1))  # no reports for 2020 and 2021: R-ZMB-01(1)
    return list(ZombieFlag.objects.filter(organization__in=orgs).order_by("pk"))


def act(client, url, action, objects, **data):
    return client.post(
        url, {"action": action, "_selected_action": [o.pk for o in objects], **data}, follow=True
    )


def test_flags_are_listed_with_their_criteria(staff_client, flags):
    page = staff_client.get("/admin/oversight/zombieflag/").content.decode()
    assert "连续两年" in page


def test_confirming_flags_opens_cases(staff_client, flags):
    page = act(
        staff_client,
        "/admin/oversight/zombieflag/",
        "confirm_cases",
        flags,
        apply="1",
        identified_on="2022-07-05",
        responsible_person="王五",
    ).content.decode()
    assert "已对 2 条记录确认为清理整治案件" in page
    assert ZombieCase.objects.filter(stage=ZombieStage.IDENTIFIED).count() == 2


def test_stage_action_is_all_or_nothing(staff_client, flags, staff_user):
    cases = [zombie_case_open(flag=f, actor=staff_user, identified_on=D(2022, 7, 5)) for f in flags]
    zombie_case_transition(case=cases[0], to=ZombieStage.NOTIFIED, on=D(2022, 7, 10))
    # Only the notified case may move to 注销办理中; the identified one refuses, so neither moves.
    page = act(
        staff_client,
        "/admin/oversight/zombiecase/",
        "to_deregistering",
        cases,
        apply="1",
        on="2022-08-01",
        notes="",
    ).content.decode()
    assert "全部未作变更" in page
    assert not ZombieCase.objects.filter(stage=ZombieStage.DEREGISTERING).exists()
    act(
        staff_client,
        "/admin/oversight/zombiecase/",
        "to_deregistering",
        cases[:1],
        apply="1",
        on="2022-08-01",
        notes="已告知",
    )
    cases[0].refresh_from_db()
    cases[0].organization.refresh_from_db()
    assert cases[0].stage == ZombieStage.DEREGISTERING
    assert cases[0].organization.status == LifecycleStatus.DEREGISTERING


def test_progress_page_counts_per_unit(staff_client, flags, staff_user):
    for f in flags:
        zombie_case_open(flag=f, actor=staff_user, identified_on=D(2022, 7, 5))
    response = staff_client.get("/admin/oversight/zombiecase/progress/")
    (row,) = [r for r in response.context["rows"] if "福田区测试局" in str(r)]
    assert row["stages"][ZombieStage.IDENTIFIED] == 2 and sum(row["counts"]) == 2
    assert "福田区测试局" in response.content.decode()


def test_monthly_circulars_button_issues_once(staff_client, flags, staff_user):
    for f in flags:
        zombie_case_open(flag=f, actor=staff_user, identified_on=D(2022, 7, 5))
    assert staff_client.get("/admin/oversight/zombiecase/issue-circulars/").status_code == 302
    assert not Circular.objects.exists()  # GET never writes
    staff_client.post("/admin/oversight/zombiecase/issue-circulars/")
    staff_client.post("/admin/oversight/zombiecase/issue-circulars/")
    circular = Circular.objects.get()
    assert circular.supervising_unit.name == "福田区测试局" and circular.attachment
