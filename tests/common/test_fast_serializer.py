"""FastRepresentationMixin renders exactly what DRF renders (issue 14 item 5)."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from common.api.fast import FastRepresentationMixin
from registry.api.serializers import OrganizationSerializer
from registry.api.views import OrganizationViewSet
from registry.models import Organization
from tests.registry.factories import make_varied_register

pytestmark = pytest.mark.django_db


def _drf_twin(serializer_class):
    """The same serializer with DRF's own to_representation, nested serializers included."""
    namespace = {}
    for name, field in serializer_class._declared_fields.items():
        if isinstance(field, FastRepresentationMixin):
            twin = _drf_twin(type(field))
            namespace[name] = twin(read_only=True, allow_null=getattr(field, "allow_null", False))
    namespace["to_representation"] = serializers.ModelSerializer.to_representation
    return type(f"Drf{serializer_class.__name__}", (serializer_class,), namespace)


def test_organization_list_rows_are_identical_to_drf(rf):
    make_varied_register()
    view = OrganizationViewSet()
    view._scope_applied = True
    view.queryset = Organization.objects.all()
    rows = list(view.get_queryset().order_by("pk"))
    fast = OrganizationSerializer
    expected = _drf_twin(fast)(rows, many=True).data
    assert fast(rows, many=True).data == expected
    assert any(row["current_rating"] for row in expected)
    assert any(row["supervising_unit"] is None for row in expected)
