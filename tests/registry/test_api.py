"""API of the register: generic scope tests plus what is particular to organizations."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.testing.api import (
    ScopedAPITestCase,
    make_department_user,
    make_staff_user,
    token_client,
)
from registry.choices import LifecycleStatus, OrganizationType
from registry.models import Organization, SupervisingUnit
from tests.registry.factories import (
    OrganizationFactory,
    RatingFactory,
    SupervisingUnitFactory,
    make_uscc,
)

LIST_URL = "/api/v1/organizations/"


class TestOrganizationAPI(ScopedAPITestCase):
    model = Organization
    basename = "organization"
    lookup_field = "uscc"
    missing_lookup_value = make_uscc(serial=999_999)

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return OrganizationFactory(supervising_unit=unit)


class TestSupervisingUnitAPI(ScopedAPITestCase):
    model = SupervisingUnit
    basename = "supervising-unit"
    lookup_field = "code"
    missing_lookup_value = "NO-SUCH-UNIT"

    def create_unit(self):
        return SupervisingUnitFactory()

    def create_object(self, *, unit):
        return unit


@pytest.fixture
def staff_client_api():
    return token_client(
        make_staff_user(perms=["registry.view_organization", "registry.view_supervisingunit"])
    )


def usccs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["uscc"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_organization_detail_shape_with_current_rating(staff_client_api):
    unit = SupervisingUnitFactory(code="JYJ", name="区教育局")
    org = OrganizationFactory(
        supervising_unit=unit,
        name="福田区教育发展促进会",
        org_type=OrganizationType.SOCIAL_GROUP,
        is_industry_association=True,
        registered_capital="30000.50",
    )
    RatingFactory(organization=org, grade="4A", awarded_on=datetime.date(2024, 3, 1))
    body = staff_client_api.get(f"{LIST_URL}{org.uscc}/").json()
    assert body["uscc"] == org.uscc
    assert body["org_type_display"] == "社会团体"
    assert body["status_display"] == "正常"
    assert body["supervising_unit"] == {"code": "JYJ", "name": "区教育局"}
    assert body["industry_category"] == {"code": 9, "name": "社会服务"}
    assert body["registered_capital"] == "30000.50"
    assert body["current_rating"] == {"grade": "4A", "expires_on": "2029-02-28"}


@pytest.mark.django_db
def test_filters_of_the_filterset(staff_client_api):
    unit = SupervisingUnitFactory(code="WJJ")
    group = OrganizationFactory(
        org_type=OrganizationType.SOCIAL_GROUP,
        is_industry_association=True,
        supervising_unit=unit,
        established_on=datetime.date(2010, 5, 1),
    )
    pne = OrganizationFactory(established_on=datetime.date(2020, 5, 1))
    gone = OrganizationFactory(
        status=LifecycleStatus.DEREGISTERED, deregistered_on=datetime.date(2023, 1, 1)
    )
    RatingFactory(organization=pne, grade="5A", awarded_on=datetime.date(2024, 1, 1))

    def get(**params):
        return set(usccs(staff_client_api.get(LIST_URL, params)))

    assert get(org_type="social_group") == {group.uscc}
    assert get(status="active") == {group.uscc, pne.uscc}
    assert get(status=["deregistered", "revoked"]) == {gone.uscc}
    assert get(supervising_unit_code="WJJ") == {group.uscc}
    assert get(supervising_unit=unit.pk) == {group.uscc}
    assert get(is_industry_association="true") == {group.uscc}
    assert get(rating="5A") == {pne.uscc}
    assert get(established_before="2015-01-01") == {group.uscc}
    assert get(established_after="2019-01-01", status="active") == {pne.uscc}
    assert get(industry_category_code=9) == {group.uscc, pne.uscc, gone.uscc}


@pytest.mark.django_db
def test_search_by_name_or_uscc_prefix_and_ordering(staff_client_api):
    b = OrganizationFactory(name="乙协会")
    a = OrganizationFactory(name="甲协会")
    c = OrganizationFactory(name="丙基金")
    assert set(usccs(staff_client_api.get(LIST_URL, {"search": "协会"}))) == {a.uscc, b.uscc}
    assert usccs(staff_client_api.get(LIST_URL, {"search": c.uscc[:17]})) == [c.uscc]
    by_name = usccs(staff_client_api.get(LIST_URL, {"ordering": "name"}))
    assert by_name == sorted(by_name, key=lambda u: {a.uscc: a, b.uscc: b, c.uscc: c}[u].name)
    assert usccs(staff_client_api.get(LIST_URL, {"ordering": "-name"})) == by_name[::-1]


@pytest.mark.django_db
def test_pagination_envelope(staff_client_api):
    OrganizationFactory.create_batch(3)
    page1 = staff_client_api.get(LIST_URL, {"page_size": 2, "ordering": "name"}).json()
    assert set(page1) == {"count", "next", "previous", "results"}
    assert page1["count"] == 3 and len(page1["results"]) == 2 and page1["previous"] is None
    page2 = staff_client_api.get(page1["next"]).json()
    assert len(page2["results"]) == 1 and page2["next"] is None
    seen = {r["uscc"] for r in page1["results"] + page2["results"]}
    assert len(seen) == 3


@pytest.mark.django_db
def test_department_filtering_by_another_unit_still_sees_only_its_own():
    mine, other = SupervisingUnitFactory(code="MINE"), SupervisingUnitFactory(code="OTHER")
    OrganizationFactory(supervising_unit=mine)
    OrganizationFactory(supervising_unit=other)
    client = token_client(make_department_user(unit=mine))
    assert usccs(client.get(LIST_URL, {"supervising_unit_code": "OTHER"})) == []
    units = client.get("/api/v1/supervising-units/").json()
    assert [u["code"] for u in units["results"]] == ["MINE"]


@pytest.mark.django_db
def test_organization_list_is_one_page_query_plus_count():
    unit = SupervisingUnitFactory()
    for org in OrganizationFactory.create_batch(3, supervising_unit=unit):
        RatingFactory(organization=org)
    client = token_client(make_department_user(unit=unit))
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST_URL, {"status": "active", "ordering": "name"})
    sqls = [q["sql"] for q in ctx.captured_queries]
    # The token (with user and membership, one query), COUNT(*) and the page (units,
    # categories and ratings joined or subqueried).
    assert len(sqls) == 3, sqls
    assert not any("DISTINCT" in sql for sql in sqls)
