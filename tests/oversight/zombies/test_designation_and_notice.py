"""R-ZMB-01(5): designation by the bureau or the supervising unit (service, admin; the API is in
test_api_designation.py), kept by detection; R-ZMB-02: the 60-day public notice before revoking
an unreachable organization."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from common.testing.api import make_department_user
from oversight.zombies.choices import FlagSource, ZombieStage
from oversight.zombies.detection import zombie_detect
from oversight.zombies.models import ZombieCase, ZombieFlag
from oversight.zombies.services import (
    zombie_case_open,
    zombie_case_transition,
    zombie_designate,
)
from registry.choices import LifecycleStatus
from tests.oversight.zombies.helpers import C1, C4, C5, D, org, reports
from tests.registry.factories import SupervisingUnitFactory

pytestmark = pytest.mark.django_db

ON = D(2022, 7, 1)
REASON = "业务主管单位核查：连续三年未开展任何活动，办公场所已退租"


def designate(organization, *, actor=None, on=ON, **kw):
    return zombie_designate(organization=organization, reason=REASON, actor=actor, on=on, **kw)


# ------------------------------------------------------------------ designation (service)


def test_a_designation_is_a_flag_with_reason_actor_and_unit(staff_user):
    unit = SupervisingUnitFactory(name="福田区教育局")
    o = org(supervising_unit=unit)
    dept = make_department_user(unit=unit)
    flag = designate(o, actor=dept)
    assert (flag.source, flag.criteria, flag.reason) == (FlagSource.DESIGNATED, [C5], REASON)
    assert (flag.designated_by, flag.designating_unit) == (dept, unit)
    assert flag.evidence[C5]["unit"] == "福田区教育局"
    by_bureau = designate(org(), actor=staff_user)
    assert by_bureau.designating_unit is None
    assert by_bureau.evidence[C5]["unit"] == "登记管理机关"


def test_a_department_designates_only_its_own_organizations():
    unit, other = SupervisingUnitFactory(), SupervisingUnitFactory()
    dept = make_department_user(unit=unit)
    with pytest.raises(ValidationError) as exc:
        designate(org(supervising_unit=other), actor=dept)
    assert "organization" in exc.value.message_dict
    with pytest.raises(ValidationError):
        designate(org(supervising_unit=unit), actor=dept, unit=other)
    assert not ZombieFlag.objects.exists()


def test_designation_needs_a_reason_a_registered_organization_and_once_a_day(staff_user):
    o = org()
    with pytest.raises(ValidationError) as exc:
        zombie_designate(organization=o, reason="  ", actor=staff_user, on=ON)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        designate(org(established_on=D(2023, 1, 1)), actor=staff_user)
    designate(o, actor=staff_user)
    with pytest.raises(ValidationError):
        designate(o, actor=staff_user)
    with pytest.raises(ValidationError):  # a unit that does not supervise it
        designate(o, actor=staff_user, on=D(2022, 7, 2), unit=SupervisingUnitFactory())


def test_detection_keeps_designations_and_flags_the_same_organization_beside_them(staff_user):
    """Detection is set-based and idempotent: re-running it on the day of a designation, or
    later, neither replaces nor removes the designated flag nor counts it."""
    silent = org(established_on=D(2018, 1, 1))  # no reports: R-ZMB-01(1) on ON
    active = org(established_on=D(2015, 1, 1))
    reports(active, range(2015, 2022))  # reported activity: no detected flag
    designated = [designate(silent, actor=staff_user), designate(active, actor=staff_user)]
    for _ in range(2):
        result = zombie_detect(as_of=ON)
        assert result.candidates == 1
        assert result.by_criterion[C1] == 1
    zombie_detect(as_of=D(2022, 8, 1))
    assert set(ZombieFlag.objects.filter(source=FlagSource.DESIGNATED)) == set(designated)
    detected = ZombieFlag.objects.get(organization=silent, as_of=ON, source=FlagSource.DETECTED)
    assert C1 in detected.criteria
    assert not ZombieFlag.objects.filter(organization=active, source=FlagSource.DETECTED).exists()
    # Designating after the day's detection is just as possible.
    later = org(established_on=D(2018, 1, 1))
    zombie_detect(as_of=D(2022, 9, 1))
    assert designate(later, actor=staff_user, on=D(2022, 9, 1)).criteria == [C5]


def test_a_designation_is_confirmed_into_a_case(staff_user):
    flag = designate(org(), actor=staff_user)
    case = zombie_case_open(flag=flag, actor=staff_user, identified_on=D(2022, 7, 5))
    assert case.criteria == [C5]
    assert case.flag == flag


def test_a_case_opened_for_the_organization_takes_the_designation_of_the_day(staff_user):
    """A detected and a designated flag of the same day: the designation states why staff
    chose the organization, so the case opened without a flag takes its criteria, whichever
    flag was written first."""
    for designate_first in (True, False):
        o = org(established_on=D(2018, 1, 1))  # no reports: detection flags R-ZMB-01(1)
        if designate_first:
            flag = designate(o, actor=staff_user)
            zombie_detect(as_of=ON)
        else:
            zombie_detect(as_of=ON)
            flag = designate(o, actor=staff_user)
        assert ZombieFlag.objects.filter(organization=o, as_of=ON).count() == 2
        case = zombie_case_open(organization=o, actor=staff_user, identified_on=D(2022, 7, 5))
        assert (case.flag, case.criteria) == (flag, [C5])


# ------------------------------------------------------------------ designation (admin)


def test_admin_designation_form_writes_through_the_service(staff_client, staff_user):
    o = org()
    page = staff_client.get("/admin/oversight/zombieflag/add/")
    assert page.status_code == 200 and "认定理由" in page.content.decode()
    response = staff_client.post(
        "/admin/oversight/zombieflag/add/",
        {"organization": o.pk, "as_of": "2022-07-01", "reason": REASON, "designating_unit": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    flag = ZombieFlag.objects.get(organization=o)
    assert (flag.source, flag.criteria, flag.designated_by) == ("designated", [C5], staff_user)
    listed = staff_client.get("/admin/oversight/zombieflag/?source=designated").content.decode()
    assert o.name in listed
    # Refused by the service: shown on the form, nothing written.
    again = staff_client.post(
        "/admin/oversight/zombieflag/add/",
        {"organization": o.pk, "as_of": "2022-07-01", "reason": REASON},
    )
    assert again.status_code == 200 and "已于2022-07-01被认定" in again.content.decode()
    assert ZombieFlag.objects.count() == 1


# ------------------------------------------------------------------ notice (R-ZMB-02)

DECISION = {
    "document_no": "深福民撤字〔2022〕9号",
    "authority": "深圳市福田区民政局",
    "facts": "公告送达期满仍无法取得联系",
}


def _case(criteria, staff_user):
    return zombie_case_open(
        organization=org(), criteria=criteria, actor=staff_user, identified_on=D(2022, 3, 1)
    )


def test_an_unreachable_organization_is_revoked_only_after_the_notice_period(staff_user):
    """Published 2022-04-01: the 60 days end with 2022-05-31; revocation on that day is
    refused, on 2022-06-01 accepted."""
    case = _case([C4], staff_user)
    case = zombie_case_transition(case=case, to="notified", on=D(2022, 3, 10))
    with pytest.raises(ValidationError) as exc:  # no notice at all
        zombie_case_transition(case=case, to="revoked", on=D(2022, 8, 1), **DECISION)
    assert "公告60日" in " ".join(exc.value.message_dict["stage"])
    case = zombie_case_transition(case=case, to="notice", on=D(2022, 4, 1))
    assert (case.stage, case.notice_published_on, case.notice_ends_on) == (
        ZombieStage.NOTICE,
        D(2022, 4, 1),
        D(2022, 5, 31),
    )
    with pytest.raises(ValidationError) as exc:
        zombie_case_transition(case=case, to="revoked", on=D(2022, 5, 31), **DECISION)
    assert "2022-05-31届满" in " ".join(exc.value.message_dict["on"])
    case.refresh_from_db()
    case.organization.refresh_from_db()
    assert case.stage == ZombieStage.NOTICE
    assert case.organization.status == LifecycleStatus.ACTIVE
    case = zombie_case_transition(case=case, to="revoked", on=D(2022, 6, 1), **DECISION)
    case.organization.refresh_from_db()
    assert case.stage == ZombieStage.REVOKED
    assert case.organization.revoked_on == D(2022, 6, 1)


def test_a_notice_stage_is_open_and_can_follow_identification(staff_user):
    case = _case([C4], staff_user)
    case = zombie_case_transition(case=case, to="notice", on=D(2022, 3, 2))
    assert ZombieCase.objects.filter(stage=ZombieStage.NOTICE).count() == 1
    with pytest.raises(ValidationError):  # one open case per organization
        zombie_case_open(organization=case.organization, criteria=[C4], identified_on=D(2022, 3, 3))
    with pytest.raises(ValidationError):  # dated before the notice
        zombie_case_transition(case=case, to="restored", on=D(2022, 3, 1))
    zombie_case_transition(case=case, to="restored", on=D(2022, 3, 20))


def test_a_reachable_organization_needs_no_notice(staff_user):
    case = _case([C1], staff_user)
    case = zombie_case_transition(case=case, to="notified", on=D(2022, 3, 10))
    case = zombie_case_transition(case=case, to="revoked", on=D(2022, 3, 20), **DECISION)
    assert case.stage == ZombieStage.REVOKED


def test_admin_shows_the_notice_stage_and_its_dates(staff_client, staff_user):
    case = _case([C4], staff_user)
    response = staff_client.post(
        "/admin/oversight/zombiecase/",
        {
            "action": "to_notice",
            "_selected_action": [case.pk],
            "apply": "1",
            "on": "2022-04-01",
            "notes": "登报公告",
        },
        follow=True,
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.stage, case.notice_ends_on) == (ZombieStage.NOTICE, D(2022, 5, 31))
    page = staff_client.get("/admin/oversight/zombiecase/?notice_period=ended").content.decode()
    assert "公告期满日期" in page and "公告送达中" in page and case.organization.name in page
    running = staff_client.get("/admin/oversight/zombiecase/?notice_period=running")
    assert case.organization.name not in running.content.decode()


def test_the_notice_period_is_the_legal_period_in_force_on_publication(staff_user):
    """R-ZMB-02's 60 days are a legal period (common.policy): a new value applies to notices
    published from its effective date; a notice published before keeps the old one."""
    from common.policy import legal_period_add
    from oversight.zombies.services import notice_period_end

    legal_period_add(key="ZOMBIE_NOTICE_DAYS", value=90, effective_from=D(2022, 4, 2))
    assert notice_period_end(D(2022, 4, 1)) == D(2022, 5, 31)
    assert notice_period_end(D(2022, 4, 2)) == D(2022, 7, 1)
    case = zombie_case_transition(case=_case([C4], staff_user), to="notified", on=D(2022, 4, 3))
    with pytest.raises(ValidationError) as exc:
        zombie_case_transition(case=case, to="revoked", on=D(2022, 8, 1), **DECISION)
    assert "公告90日" in " ".join(exc.value.message_dict["stage"])
