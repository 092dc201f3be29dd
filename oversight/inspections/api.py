"""Output shapes (and the opinion input) of the supervision API resources."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.fields import ChoiceLabelField
from oversight.choices import SupervisorOpinion
from oversight.models import AnnualReport, Audit, Inspection, InspectionDraw, Inspector
from registry.models import Organization


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["uscc", "name"]
        read_only_fields = fields


class AnnualReportSerializer(serializers.ModelSerializer):
    """年度工作报告, with the supervising unit's opinion and the bureau's review."""

    organization = OrganizationBriefSerializer(read_only=True)
    status_display = ChoiceLabelField(source="status")
    supervisor_opinion_display = ChoiceLabelField(source="supervisor_opinion")
    result_display = ChoiceLabelField(source="result")

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "organization",
            "year",
            "submitted_on",
            "is_sealed",
            "income",
            "expenditure",
            "net_assets",
            "staff_count",
            "full_time_staff",
            "activities_held",
            "party_members",
            "probationary_party_members",
            "status",
            "status_display",
            "supervisor_opinion",
            "supervisor_opinion_display",
            "supervisor_remarks",
            "supervisor_opinion_on",
            "result",
            "result_display",
            "remarks",
            "reviewed_on",
        ]
        read_only_fields = fields


class AnnualReportOpinionSerializer(serializers.Serializer):
    """业务主管单位初审意见 (input of the `opinion` action)."""

    opinion = serializers.ChoiceField(
        choices=SupervisorOpinion.choices, help_text="agree（同意）或 disagree（不同意）"
    )
    remarks = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="初审说明；不同意时必填",
    )


# Revealed by execution (DESIGN.md §4.2 step 2): absent from a draw that is only committed,
# so the nonce cannot leak before the public value is known.
REVEALED_FIELDS = ("nonce", "public_value", "seed", "executed_at")


class InspectionDrawSerializer(serializers.ModelSerializer):
    """双随机抽查: the public commitment, and once executed what it revealed. The population,
    roster, conflicts and strata texts are not here (megabytes): the public page serves them
    as files whose SHA-256 are the hashes below."""

    kind_display = ChoiceLabelField(source="kind")
    status_display = ChoiceLabelField(source="status")
    nonce = serializers.SerializerMethodField(
        help_text="随机数（十六进制）；仅在执行后出现，其 SHA-256 即 nonce_hash"
    )

    class Meta:
        model = InspectionDraw
        fields = [
            "id",
            "kind",
            "kind_display",
            "year",
            "round",
            "ratio",
            "stratify_by",
            "population_rule",
            "population_as_of",
            "status",
            "status_display",
            "population_size",
            "sample_size",
            "ratio_warning",
            "population_hash",
            "roster_hash",
            "conflicts_hash",
            "strata_hash",
            "nonce_hash",
            "public_value_source",
            "created_at",
            *REVEALED_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {
            "population_size": {"help_text": "抽查总体数 N"},
            "sample_size": {"help_text": "抽取数量 k = floor(N × ratio + 1/2)"},
            "public_value": {"help_text": "执行时录入的公开随机值；仅在执行后出现"},
            "seed": {"help_text": "种子 SHA-256(nonce ‖ 公开随机值)；仅在执行后出现"},
            "executed_at": {"help_text": "执行时间；仅在执行后出现"},
        }

    def get_nonce(self, draw: InspectionDraw) -> str | None:
        return bytes(draw.nonce).hex() if draw.is_executed else None

    def to_representation(self, draw: InspectionDraw) -> dict:
        data = super().to_representation(draw)
        if not draw.is_executed:
            for name in REVEALED_FIELDS:
                data.pop(name, None)
        return data


class InspectionDrawSerializerSchema(OpenApiSerializerExtension):
    """The revealed fields are optional in the schema: a committed draw has none of them."""

    target_class = InspectionDrawSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        required = [f for f in schema.get("required", []) if f not in REVEALED_FIELDS]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        return schema


class InspectorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspector
        fields = ["code", "name"]
        read_only_fields = fields


class InspectionDrawBriefSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField(source="kind")

    class Meta:
        model = InspectionDraw
        fields = ["id", "kind", "kind_display", "year", "round"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    """抽查检查: one selected organization, its inspectors in assignment order, the outcome.
    Reads the prefetch of `oversight.api.views.InspectionViewSet.get_queryset`."""

    draw = InspectionDrawBriefSerializer(read_only=True)
    organization = OrganizationBriefSerializer(read_only=True)
    inspectors = serializers.SerializerMethodField(help_text="检查人员，按分派顺序")
    status_display = ChoiceLabelField(source="status")
    outcome_display = ChoiceLabelField(source="outcome")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "draw",
            "organization",
            "position",
            "stratum",
            "inspectors",
            "status",
            "status_display",
            "started_on",
            "completed_on",
            "findings",
            "outcome",
            "outcome_display",
            "rectification_deadline",
            "rectification_verified_on",
            "published_on",
        ]
        read_only_fields = fields

    @extend_schema_field(InspectorBriefSerializer(many=True))
    def get_inspectors(self, inspection: Inspection) -> list[dict]:
        # .all() on the prefetched, position-ordered assignments: no query per row.
        return [InspectorBriefSerializer(a.inspector).data for a in inspection.assignments.all()]


class AuditSerializer(serializers.ModelSerializer):
    """审计 (the report file as a download URL; files are uploaded in the admin only)."""

    organization = OrganizationBriefSerializer(read_only=True)
    kind_display = ChoiceLabelField(source="kind")
    report_file = serializers.FileField(
        read_only=True, use_url=True, help_text="审计报告文件的下载地址；无文件则为 null"
    )

    class Meta:
        model = Audit
        fields = [
            "id",
            "organization",
            "kind",
            "kind_display",
            "subject_person",
            "period_start",
            "period_end",
            "firm",
            "commissioned_on",
            "completed_on",
            "report_no",
            "conclusion",
            "report_file",
        ]
        read_only_fields = fields
