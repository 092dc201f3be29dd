"""List pages from values_list rows (common.api.values, issue 14 item 5): the same JSON as
the serializer, no model instances, and DRF's path wherever a field cannot be read so."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import F
from django.db.models.signals import post_init
from rest_framework import serializers

from common.api.fields import ChoiceLabelField
from common.api.values import values_plan
from common.testing.api import make_department_user, make_staff_user, token_client
from oversight.annual_reports.api import AnnualReportSerializer, AnnualReportViewSet
from registry.api.serializers import OrganizationSerializer, SupervisingUnitBriefSerializer
from registry.api.views import OrganizationViewSet
from registry.models import Organization
from tests.oversight.test_api import make_report
from tests.registry.factories import (
    OrganizationFactory,
    SupervisingUnitFactory,
    make_varied_register,
)

pytestmark = pytest.mark.django_db


def _list_queryset(viewset_class):
    view = viewset_class()
    view._scope_applied = True
    view.queryset = viewset_class.queryset.model.objects.all()
    return view.get_queryset().order_by("pk")


def test_organization_rows_equal_the_serializers():
    make_varied_register()
    queryset = _list_queryset(OrganizationViewSet)
    plan = values_plan(OrganizationSerializer, queryset)
    assert plan is not None
    rows = plan.rows(queryset.values_list(*plan.columns))
    expected = OrganizationSerializer(list(queryset), many=True).data
    assert rows == [dict(row) for row in expected]
    assert [list(row) for row in rows] == [list(row) for row in expected]  # key order too
    assert any(row["supervising_unit"] is None for row in rows)
    ratings = [row["current_rating"] for row in rows if row["current_rating"]]
    assert [rating["grade"] for rating in ratings] == ["4A"]
    assert datetime.date.fromisoformat(ratings[0]["expires_on"]) > datetime.date.today()
    assert "30000.50" in [row["registered_capital"] for row in rows]


def test_annual_report_rows_equal_the_serializers():
    organization = OrganizationFactory()
    make_report(organization=organization, year=2023)
    make_report(organization=organization, year=2024, income=Decimal("12.3"))
    queryset = _list_queryset(AnnualReportViewSet)
    plan = values_plan(AnnualReportSerializer, queryset)
    assert plan is not None
    rows = plan.rows(queryset.values_list(*plan.columns))
    assert rows == [dict(row) for row in AnnualReportSerializer(list(queryset), many=True).data]


def test_the_department_list_builds_no_model_instances():
    unit = make_varied_register()
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    client = token_client(make_department_user(unit=unit))
    client.get("/api/v1/organizations/")  # warm-up: the token's first use
    post_init.connect(count)
    try:
        response = client.get("/api/v1/organizations/", {"ordering": "name"})
    finally:
        post_init.disconnect(count)
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert Organization not in built


def test_a_keyset_page_renders_the_same_rows():
    make_varied_register()
    client = token_client(make_staff_user(perms=["registry.view_organization"]))
    page = client.get("/api/v1/organizations/").json()["results"]
    keyset = client.get("/api/v1/organizations/", {"cursor": ""}).json()["results"]
    assert page == keyset


# -- what keeps DRF's path -------------------------------------------------------------------


class _WithMethodField(serializers.ModelSerializer):
    shout = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["uscc", "shout"]

    def get_shout(self, obj):
        return obj.name.upper()


class _OwnRepresentation(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["uscc"]

    def to_representation(self, instance):
        return {"uscc": instance.uscc.lower()}


class _Masked(serializers.CharField):
    def to_representation(self, value):
        return value[:3] + "****"


class _WithCustomField(serializers.ModelSerializer):
    phone = _Masked(read_only=True)

    class Meta:
        model = Organization
        fields = ["uscc", "phone"]


class _WithDottedSource(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="supervising_unit.name", read_only=True)

    class Meta:
        model = Organization
        fields = ["uscc", "unit_name"]


class _WithProperty(serializers.ModelSerializer):
    registered = serializers.BooleanField(source="is_registered", read_only=True)

    class Meta:
        model = Organization
        fields = ["uscc", "registered"]


class _FieldsByCaller(serializers.ModelSerializer):
    """Drops the phone for departments: fields chosen per request."""

    class Meta:
        model = Organization
        fields = ["uscc", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None or not request.user.is_staff:
            self.fields.pop("phone")


@pytest.mark.parametrize(
    "serializer_class",
    [
        _WithMethodField,
        _OwnRepresentation,
        _WithCustomField,
        _WithDottedSource,
        _WithProperty,
        _FieldsByCaller,
    ],
)
def test_fields_not_read_from_one_column_keep_drfs_path(serializer_class):
    assert values_plan(serializer_class, Organization.objects.all()) is None


def test_distinct_and_values_querysets_keep_drfs_path():
    class Plain(serializers.ModelSerializer):
        class Meta:
            model = Organization
            fields = ["uscc", "name"]

    assert values_plan(Plain, Organization.objects.all()) is not None
    assert values_plan(Plain, Organization.objects.distinct()) is None
    assert values_plan(Plain, Organization.objects.values("uscc")) is None


def test_annotations_labels_and_an_empty_foreign_key():
    class Brief(serializers.ModelSerializer):
        unit = SupervisingUnitBriefSerializer(source="supervising_unit", allow_null=True)
        status_display = ChoiceLabelField(source="status")
        doubled = serializers.IntegerField()

        class Meta:
            model = Organization
            fields = ["uscc", "status", "status_display", "unit", "doubled"]

    unit = SupervisingUnitFactory()
    OrganizationFactory(supervising_unit=unit)
    OrganizationFactory(supervising_unit=None)
    queryset = Organization.objects.annotate(doubled=F("id") * 2).order_by("pk")
    plan = values_plan(Brief, queryset)
    assert plan is not None
    # The label reads the status column the status itself reads: one column, fetched once.
    assert plan.columns.count("status") == 1
    rows = plan.rows(queryset.values_list(*plan.columns))
    assert rows == [dict(row) for row in Brief(list(queryset), many=True).data]
    assert rows[1]["unit"] is None
    assert rows[0]["unit"] == {"code": unit.code, "name": unit.name}
