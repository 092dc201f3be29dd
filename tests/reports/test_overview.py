"""The statistics service on small data: each change of a record moves exactly the figures it
should, links land on the records behind a figure, and the cost does not grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from oversight.credit.choices import CreditGround, CreditList
from oversight.credit.services import credit_listing_create
from registry.choices import LifecycleStatus, OrganizationType
from registry.services import organization_transition
from reports.selectors import Scope, figure_values, situation_overview
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory, decision_fields

D = datetime.date
DAY = D(2022, 6, 30)

pytestmark = pytest.mark.django_db


def values(day=DAY, **kw):
    return figure_values(situation_overview(as_of=day, **kw))


def changed(before: dict, after: dict) -> dict:
    return {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}


def clerks():
    user = get_user_model()
    return (
        user.objects.create_user("proposer", is_staff=True),
        user.objects.create_user("approver", is_staff=True),
    )


def test_registering_one_organization_changes_exactly_its_figures():
    before = values()
    OrganizationFactory(org_type=OrganizationType.SOCIAL_GROUP, is_industry_association=True,
                        established_on=D(2022, 6, 1))  # fmt: skip
    assert changed(before, values()) == {
        "organizations": (0, 1),
        "organizations.social_group": (0, 1),
        "organizations.industry_association": (0, 1),
        "organizations.categories_in_use": (0, 1),
        "organizations.category.9": (0, 1),
    }


def test_an_organization_established_after_the_date_is_not_counted():
    OrganizationFactory(established_on=D(2022, 7, 1))
    assert values()["organizations"] == 0
    assert values(D(2022, 7, 1))["organizations"] == 1


def test_revocation_removes_it_from_that_day_and_deregistering_does_not():
    org = OrganizationFactory(established_on=D(2020, 1, 1))
    keep = OrganizationFactory(established_on=D(2020, 1, 1))
    before = values()
    organization_transition(organization=keep, to=LifecycleStatus.DEREGISTERING, on=D(2022, 3, 1))
    assert changed(before, values()) == {}  # 注销办理中 is still on the register
    organization_transition(
        organization=org, to=LifecycleStatus.REVOKED, on=D(2022, 3, 1), **decision_fields()
    )
    assert changed(before, values()) == {
        "organizations": (2, 1),
        "organizations.private_non_enterprise": (2, 1),
        "organizations.category.9": (2, 1),
    }
    assert values(D(2022, 2, 28))["organizations"] == 2  # the day before still counts it


def test_listing_one_organization_changes_exactly_the_credit_figures():
    org = OrganizationFactory(established_on=D(2020, 1, 1))
    before = values()
    proposer, approver = clerks()
    credit_listing_create(
        organization=org, list_type=CreditList.ABNORMAL, ground=CreditGround.A7_OTHER,
        facts="测试", decided_on=D(2022, 5, 10), proposed_by=proposer, approved_by=approver,
    )  # fmt: skip
    assert changed(before, values()) == {
        "credit.listed_since": (0, 1),
        "credit.on_lists": (0, 1),
        "credit.on_list.abnormal": (0, 1),
    }
    assert values(D(2022, 5, 9))["credit.on_lists"] == 0
    assert values(since=D(2022, 5, 11), day=D(2022, 6, 30))["credit.listed_since"] == 0


def test_department_scope_counts_only_its_organizations():
    mine, theirs = SupervisingUnitFactory(), SupervisingUnitFactory()
    OrganizationFactory(supervising_unit=mine)
    OrganizationFactory(supervising_unit=theirs)
    OrganizationFactory(supervising_unit=theirs)
    assert values(scope=Scope(department=True, unit_id=mine.pk))["organizations"] == 1
    assert values(scope=Scope(department=True, unit_id=None))["organizations"] == 0
    assert values()["organizations"] == 3
    keys = figure_values(situation_overview(as_of=DAY, scope=Scope(department=True, unit_id=1)))
    assert not any(k.endswith(".population") for k in keys)  # the district's N is not theirs


def test_every_figure_has_a_key_label_unit_and_a_link():
    figures = situation_overview(as_of=DAY)
    assert len({f.key for f in figures}) == len(figures)
    for f in figures:
        assert f.label and f.unit and f.url.startswith("/admin/"), f


def test_the_organization_link_lists_exactly_the_records_behind_the_figure(admin_client):
    OrganizationFactory(established_on=D(2020, 1, 1), name="在册甲")
    OrganizationFactory(established_on=D(2022, 7, 1), name="后来乙")
    gone = OrganizationFactory(established_on=D(2020, 1, 1), name="撤销丙")
    organization_transition(
        organization=gone, to=LifecycleStatus.REVOKED, on=D(2022, 3, 1), **decision_fields()
    )
    figure = next(f for f in situation_overview(as_of=DAY) if f.key == "organizations")
    response = admin_client.get(figure.url)
    assert response.status_code == 200
    names = [o.name for o in response.context["cl"].result_list]
    assert names == ["在册甲"] and figure.value == 1


def test_overview_costs_a_constant_number_of_queries(django_assert_max_num_queries):
    OrganizationFactory()
    with django_assert_max_num_queries(30) as small:
        situation_overview(as_of=DAY)
    for _ in range(20):
        OrganizationFactory(established_on=D(2019, 1, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        situation_overview(as_of=DAY)
