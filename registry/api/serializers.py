"""Output shapes of the register's API resources."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.fast import FastRepresentationMixin
from common.api.fields import ChoiceLabelField
from registry.models import IndustryCategory, Organization, SupervisingUnit


class IndustryCategoryBriefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = IndustryCategory
        fields = ["code", "name"]


class OrganizationBriefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """An organization as other records name it: its USCC and name (one definition for every
    resource that points at an organization)."""

    class Meta:
        model = Organization
        fields = ["uscc", "name"]
        read_only_fields = fields


class SupervisingUnitBriefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = SupervisingUnit
        fields = ["code", "name"]


class CurrentRatingSerializer(serializers.Serializer):
    grade = serializers.CharField(help_text="评估等级（1A–5A）")
    expires_on = serializers.DateField(help_text="有效期至")


@extend_schema_field(CurrentRatingSerializer(allow_null=True))
class CurrentRatingField(serializers.JSONField):
    """The `current_rating` annotation (registry.selectors.current_rating_subquery), as the
    database built it."""


class OrganizationSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """社会组织. Reads the `current_rating` annotation of `OrganizationViewSet.get_queryset`."""

    org_type_display = ChoiceLabelField(source="org_type")
    status_display = ChoiceLabelField(source="status")
    industry_category = IndustryCategoryBriefSerializer(read_only=True)
    supervising_unit = SupervisingUnitBriefSerializer(read_only=True, allow_null=True)
    current_rating = CurrentRatingField(
        read_only=True, allow_null=True, help_text="当前有效的等级评估；无则为 null"
    )

    class Meta:
        model = Organization
        fields = [
            "uscc",
            "name",
            "org_type",
            "org_type_display",
            "is_industry_association",
            "industry_category",
            "supervising_unit",
            "legal_representative",
            "domicile",
            "phone",
            "business_scope",
            "registered_capital",
            "registration_certificate_no",
            "established_on",
            "status",
            "status_display",
            "deregistered_on",
            "revoked_on",
            "current_rating",
            "updated_at",
        ]
        read_only_fields = fields


class SupervisingUnitSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """业务主管单位."""

    kind_display = ChoiceLabelField(source="kind")

    class Meta:
        model = SupervisingUnit
        fields = ["code", "name", "kind", "kind_display", "is_active", "updated_at"]
        read_only_fields = fields
