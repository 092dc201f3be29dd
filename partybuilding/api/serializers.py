"""Output shapes of the party-building API (read-only for departments)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.fields import ChoiceLabelField
from partybuilding.models import PartyOrganization, PartyOrganizationCoverage, SuperiorBody


class SuperiorBodyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuperiorBody
        fields = ["code", "name", "kind"]
        read_only_fields = fields


class CoverageSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="organization.uscc", read_only=True)
    name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = PartyOrganizationCoverage
        fields = ["uscc", "name", "joined_on", "left_on"]
        read_only_fields = fields


class PartyOrganizationSerializer(serializers.ModelSerializer):
    """党组织, with the covered organizations the caller may see."""

    level_display = ChoiceLabelField(source="level")
    formation_display = ChoiceLabelField(source="formation")
    superior_body = SuperiorBodyBriefSerializer(read_only=True)
    covered_organizations = CoverageSerializer(
        source="visible_coverages", many=True, read_only=True
    )

    class Meta:
        model = PartyOrganization
        fields = [
            "id",
            "name",
            "level",
            "level_display",
            "formation",
            "formation_display",
            "superior_body",
            "approved_on",
            "approval_doc_no",
            "dissolved_on",
            "dissolution_doc_no",
            "secretary",
            "has_branch_committee",
            "full_members",
            "probationary_members",
            "covered_organizations",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A count stays an integer, a rate a number with two decimals."""

    def to_representation(self, value):
        return value


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="指标代码")
    label = serializers.CharField(help_text="指标名称")
    value = NumberField(help_text="数值；比率为百分数，保留两位小数")


class PartyStatisticsSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="统计日期")
    figures = FigureSerializer(many=True)


class AsOfQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        help_text="统计日期（YYYY-MM-DD），默认今天",
        error_messages={"invalid": "统计日期（as_of）格式不正确，应为 YYYY-MM-DD，如 2022-06-30。"},
    )
