"""restrict(user, action): the one place that decides which rows a caller reaches."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from common.api.viewsets import ScopedModelViewSet
from common.models import ApiToken
from common.testing.api import make_department_user, make_staff_user
from registry.models import Organization, SupervisingUnit
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units():
    a, b = SupervisingUnitFactory(), SupervisingUnitFactory()
    return a, b, OrganizationFactory(supervising_unit=a), OrganizationFactory(supervising_unit=b)


def test_department_sees_its_units_organizations_and_its_unit(two_units):
    a, _b, org_a, _org_b = two_units
    user = make_department_user(unit=a)
    assert list(Organization.objects.restrict(user, "view")) == [org_a]
    assert list(SupervisingUnit.objects.restrict(user, "view")) == [a]


def test_organizations_without_a_supervising_unit_are_outside_every_department(two_units):
    a, *_ = two_units
    OrganizationFactory(supervising_unit=None)
    assert Organization.objects.restrict(make_department_user(unit=a)).count() == 1


def test_department_user_without_membership_and_anonymous_see_nothing(two_units):
    loner = get_user_model().objects.create_user("loner")
    assert not Organization.objects.restrict(loner).exists()
    assert not Organization.objects.restrict(AnonymousUser()).exists()


def test_staff_by_model_permission_per_action(two_units):
    viewer = make_staff_user(perms=["registry.view_organization"])
    assert Organization.objects.restrict(viewer, "view").count() == 2
    assert Organization.objects.restrict(viewer, "change").count() == 0
    assert SupervisingUnit.objects.restrict(viewer, "view").count() == 0


def test_superuser_sees_all(two_units, staff_user):
    assert Organization.objects.restrict(staff_user, "delete").count() == 2


def test_model_without_scope_declaration_is_invisible_to_departments(two_units):
    from common.scoping import restrict_queryset

    a, *_ = two_units
    user = make_department_user(unit=a)
    assert not restrict_queryset(ApiToken.objects.all(), user).exists()


class _OrgWriteSerializer(serializers.ModelSerializer):
    supervising_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=SupervisingUnit.objects.all()
    )

    class Meta:
        model = Organization
        fields = ["uscc", "domicile", "supervising_unit"]


class _OrgWriteViewSet(ScopedModelViewSet):
    """A write endpoint for testing the re-check after save (none is routed yet)."""

    queryset = Organization.objects.all()
    serializer_class = _OrgWriteSerializer
    lookup_field = "uscc"
    department_actions = ("partial_update",)


def _patch(user, org, data):
    request = APIRequestFactory().patch(f"/x/{org.uscc}/", data, format="json")
    force_authenticate(request, user=user)
    return _OrgWriteViewSet.as_view({"patch": "partial_update"})(request, uscc=org.uscc)


def test_write_that_moves_the_object_out_of_scope_is_rolled_back(two_units):
    a, b, org_a, _org_b = two_units
    user = make_department_user(unit=a)
    response = _patch(user, org_a, {"supervising_unit": b.code, "domicile": "新住所"})
    assert response.status_code == 403
    org_a.refresh_from_db()
    assert org_a.supervising_unit == a
    assert org_a.domicile != "新住所"


def test_write_within_scope_is_saved(two_units):
    a, _b, org_a, _org_b = two_units
    response = _patch(make_department_user(unit=a), org_a, {"domicile": "新住所"})
    assert response.status_code == 200, response.data
    org_a.refresh_from_db()
    assert org_a.domicile == "新住所"


def test_write_to_another_departments_object_is_404(two_units):
    a, _b, _org_a, org_b = two_units
    response = _patch(make_department_user(unit=a), org_b, {"domicile": "新住所"})
    assert response.status_code == 404


def test_staff_needs_change_permission_to_write(two_units):
    _a, _b, org_a, _org_b = two_units
    viewer = make_staff_user(perms=["registry.view_organization"])
    assert _patch(viewer, org_a, {"domicile": "x"}).status_code == 403
    editor = make_staff_user(perms=["registry.view_organization", "registry.change_organization"])
    assert _patch(editor, org_a, {"domicile": "新住所"}).status_code == 200


# -- scope paths that cross a to-many relation -------------------------------------------


def test_to_many_scope_path_returns_each_row_once_without_distinct():
    """A draw reaches units through its inspections: a department with two organizations in
    one draw sees that draw once, and the query is a semi-join, not a DISTINCT sort."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.inspections.models import Inspection, InspectionDraw

    a, b, c = SupervisingUnitFactory(), SupervisingUnitFactory(), SupervisingUnitFactory()
    draw = InspectionDraw.objects.create(
        kind="special_inspection",
        year=2023,
        ratio="1",
        population_rule="测试",
        population_as_of="2023-06-01",
        population_size=3,
        sample_size=3,
        nonce=b"\0" * 32,
    )
    orgs = [OrganizationFactory(supervising_unit=u) for u in (a, a, b)]
    for position, org in enumerate(orgs, start=1):
        Inspection.objects.create(draw=draw, organization=org, position=position)
    draws = InspectionDraw.objects.all()  # declares the to-many path on the model

    with CaptureQueriesContext(connection) as ctx:
        seen_by_a = list(draws.restrict(make_department_user(unit=a)))
    assert seen_by_a == [draw]
    assert "EXISTS" in ctx.captured_queries[-1]["sql"]
    assert "DISTINCT" not in ctx.captured_queries[-1]["sql"]
    assert draws.restrict(make_department_user(unit=a)).count() == 1
    assert list(draws.restrict(make_department_user(unit=b))) == [draw]
    assert not draws.restrict(make_department_user(unit=c)).exists()


def test_to_many_detection_keeps_to_one_paths_plain_filters():
    from common.scoping import path_is_to_many
    from oversight.inspections.models import Inspection, InspectionAssignment, InspectionDraw

    assert not path_is_to_many(Organization, "supervising_unit")
    assert not path_is_to_many(SupervisingUnit, "pk")
    assert not path_is_to_many(Inspection, "organization__supervising_unit")
    assert not path_is_to_many(InspectionAssignment, "inspection__organization__supervising_unit")
    assert path_is_to_many(InspectionDraw, "inspections__organization__supervising_unit")
    # An organization's own scope stays a plain join (no EXISTS on the register's big table).
    a = SupervisingUnitFactory()
    sql = str(Organization.objects.restrict(make_department_user(unit=a)).query)
    assert "EXISTS" not in sql


# -- rows addressed to every unit (scope_include_null) ------------------------------------


def test_scope_include_null_shows_unaddressed_rows_to_every_department():
    """A circular to all units (no addressee) reaches every department; one addressed to
    another unit stays out of scope. Without the declaration unaddressed rows reach nobody."""
    import datetime

    from common.scoping import ScopedQuerySet
    from oversight.inspections.models import Circular

    class AddresseeOnly(ScopedQuerySet):
        scope_unit_path = "supervising_unit"
        scope_include_null = False

    a, b = SupervisingUnitFactory(), SupervisingUnitFactory()
    day = datetime.date(2022, 10, 1)
    to_all = Circular.objects.create(title="全部", issued_on=day)
    to_a = Circular.objects.create(title="甲", issued_on=day, supervising_unit=a)
    Circular.objects.create(title="乙", issued_on=day, supervising_unit=b)
    user_a = make_department_user(unit=a)
    assert set(Circular.objects.restrict(user_a)) == {to_all, to_a}  # the model declares it
    assert set(AddresseeOnly(model=Circular).restrict(user_a)) == {to_a}
    assert not Circular.objects.restrict(get_user_model().objects.create_user("x")).exists()
