"""R-CRD-07 移出申请: recorded with their dates, the removal decision due five working days after
verification on the D18 calendar (boundary across National Day 2022), the overdue list
(selector, admin filter, workbench), closed by the removal decision or refused."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from common.workdays import CalendarDay, CalendarDayKind
from oversight.credit.applications import (
    removal_application_record,
    removal_application_refuse,
    removal_application_verify,
    removal_due_on,
)
from oversight.credit.choices import (
    CreditGround,
    CreditList,
    RemovalApplicationStatus,
    RemovalGround,
)
from oversight.credit.selectors import removal_applications_overdue
from oversight.credit.services import credit_removal_create
from reports.workbench import workbench_todos
from tests.oversight.zombies.helpers import listing, org

pytestmark = pytest.mark.django_db
D = datetime.date

# National Day 2022 as the State Council arranged it (and chinese-calendar seeds it): 1–7
# October off (1–2 and the weekend fall on Saturday–Sunday anyway), Saturday 8 and Sunday 9
# October make-up working days.
NATIONAL_DAY_2022 = {
    **{D(2022, 10, d): CalendarDayKind.HOLIDAY for d in range(1, 8)},
    D(2022, 10, 8): CalendarDayKind.MAKEUP_WORKDAY,
    D(2022, 10, 9): CalendarDayKind.MAKEUP_WORKDAY,
}
VERIFIED = D(2022, 9, 29)  # Thursday
# Working days after it: 30 Sep (1), 8 Oct (2), 9 Oct (3), 10 Oct (4), 11 Oct (5).
DUE = D(2022, 10, 11)


@pytest.fixture(autouse=True)
def national_day():
    for day, kind in NATIONAL_DAY_2022.items():
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": "国庆节"})


@pytest.fixture
def listed():
    o = org()
    listing(o, ground=CreditGround.A2_PARTY_ORGANIZATION, decided_on=D(2022, 3, 1))
    return o


def record(o, **kw):
    kw.setdefault("list_type", CreditList.ABNORMAL)
    kw.setdefault("applied_on", D(2022, 9, 26))
    return removal_application_record(
        organization=o, applicant="张三（法定代表人）", ground="已按规定设立党支部", **kw
    )


def test_the_deadline_counts_working_days_of_the_calendar_across_a_holiday(listed, staff_user):
    application = record(listed, actor=staff_user)
    assert (application.applied_on, application.recorded_by) == (D(2022, 9, 26), staff_user)
    assert application.due_on is None  # not verified yet: no deadline runs
    application = removal_application_verify(
        application=application, verified_on=VERIFIED, actor=staff_user
    )
    # Monday–Friday alone would give 6 October, in the middle of the holiday.
    assert application.due_on == DUE
    assert removal_due_on(list_type=CreditList.ABNORMAL, verified_on=VERIFIED) == DUE
    assert application.history.count() == 2


def test_an_undecided_application_is_overdue_from_the_day_after_the_deadline(listed):
    application = record(listed, verified_on=VERIFIED)
    assert application.due_on == DUE
    assert not removal_applications_overdue(today=DUE).exists()
    assert list(removal_applications_overdue(today=DUE + datetime.timedelta(days=1))) == [
        application
    ]
    # Unverified or decided ones never are.
    other = org()
    listing(other, ground=CreditGround.A2_PARTY_ORGANIZATION, decided_on=D(2022, 3, 1))
    record(other)
    removal_application_refuse(application=application, on=D(2022, 10, 20), reason="未设立党组织")
    assert not removal_applications_overdue(today=D(2022, 12, 1)).exists()


def test_the_removal_decision_closes_the_application(listed):
    application = record(listed, verified_on=VERIFIED)
    clerk_a = get_user_model().objects.create_user("a")
    clerk_b = get_user_model().objects.create_user("b")
    removal = credit_removal_create(
        organization=listed,
        list_type=CreditList.ABNORMAL,
        ground=RemovalGround.RECTIFIED,
        facts="已核实设立党支部",
        decided_on=D(2022, 10, 10),
        proposed_by=clerk_a,
        approved_by=clerk_b,
    )
    application.refresh_from_db()
    assert application.status == RemovalApplicationStatus.REMOVED
    assert (application.decided_on, application.removal) == (D(2022, 10, 10), removal)
    assert not removal_applications_overdue(today=D(2022, 12, 1)).exists()


def test_recording_needs_a_listing_dates_in_order_and_one_pending_application(listed):
    with pytest.raises(ValidationError) as exc:
        record(org())
    assert "organization" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record(listed, verified_on=D(2022, 9, 1))
    assert "verified_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        removal_application_record(
            organization=listed,
            list_type=CreditList.ABNORMAL,
            applied_on=D(2022, 9, 26),
            applicant="",
            ground="",
        )
    assert {"applicant", "ground"} <= set(exc.value.message_dict)
    application = record(listed)
    with pytest.raises(ValidationError):
        record(listed)
    removal_application_verify(application=application, verified_on=VERIFIED)
    with pytest.raises(ValidationError):
        removal_application_verify(application=application, verified_on=VERIFIED)


def test_the_overdue_list_in_the_admin_and_the_workbench(listed, staff_client, staff_user):
    record(listed, verified_on=VERIFIED)
    on_time = org()
    listing(on_time, ground=CreditGround.A2_PARTY_ORGANIZATION, decided_on=D(2022, 3, 1))
    record(on_time, verified_on=D(2022, 10, 10))  # due 17 October
    todos = {t.key: t for t in workbench_todos(user=staff_user, today=D(2022, 10, 12))}
    todo = todos["removal_applications_overdue"]
    assert todo.count == 1
    page = staff_client.get(todo.url).content.decode()
    assert listed.name in page
    assert todo.url.endswith("?overdue=yes")
    assert {t.key: t for t in workbench_todos(user=staff_user, today=DUE)}[
        "removal_applications_overdue"
    ].count == 0


def test_admin_records_and_verifies_an_application(listed, staff_client, staff_user):
    response = staff_client.post(
        "/admin/oversight/creditremovalapplication/add/",
        {
            "organization": listed.pk,
            "list_type": "abnormal",
            "applied_on": "2022-09-26",
            "applicant": "张三",
            "ground": "已按规定设立党支部",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application = listed.credit_removal_applications.get()
    assert application.recorded_by == staff_user
    staff_client.post(
        "/admin/oversight/creditremovalapplication/",
        {
            "action": "verify",
            "_selected_action": [application.pk],
            "apply": "1",
            "verified_on": "2022-09-29",
        },
        follow=True,
    )
    application.refresh_from_db()
    assert application.due_on == DUE


def test_the_removal_period_is_the_legal_period_in_force_on_verification():
    """R-CRD-07's five working days are a legal period (common.policy, a draft number the
    bureau may change): verified on or after a new value's effective date, the new one counts."""
    from common.policy import legal_period_add

    legal_period_add(key="CREDIT_REMOVAL_WORKING_DAYS", value=10, effective_from=D(2023, 3, 6))
    # Friday 3 March 2023: five working days end on Friday 10 March.
    assert removal_due_on(list_type=CreditList.ABNORMAL, verified_on=D(2023, 3, 3)) == D(
        2023, 3, 10
    )
    # Monday 6 March: ten working days end on Monday 20 March.
    assert removal_due_on(list_type=CreditList.ABNORMAL, verified_on=D(2023, 3, 6)) == D(
        2023, 3, 20
    )
    assert removal_due_on(list_type=CreditList.SERIOUS, verified_on=D(2023, 3, 6)) is None
