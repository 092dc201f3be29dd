"""Output shapes (and the opinion input) of the supervision API resources."""

from __future__ import annotations

import io
from pathlib import Path

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.reverse import reverse

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from common.excel import XLSX_CONTENT_TYPE
from common.scoping import user_scope_unit_id
from oversight.inspections.filters import (
    AuditFilterSet,
    CircularFilterSet,
    InspectionDrawFilterSet,
    InspectionFilterSet,
)
from oversight.inspections.models import (
    Audit,
    Circular,
    Inspection,
    InspectionAssignment,
    InspectionDraw,
    Inspector,
)
from oversight.inspections.selectors import circular_attachment_rows_for_unit
from registry.api.serializers import OrganizationBriefSerializer, SupervisingUnitBriefSerializer
from registry.api.views import RECORD_SCOPE_NOTE

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
            "updated_at",
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
            "updated_at",
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
            "updated_at",
        ]
        read_only_fields = fields


# The frozen inputs of a draw can be megabytes (a national population): never loaded by the
# API, the public page serves them as files.
DRAW_TEXT_FIELDS = ("population_text", "roster_text", "conflicts_text", "strata_text")


@extend_schema_view(
    list=extend_schema(
        summary="双随机抽查列表",
        description=(
            "分页列出双随机抽查。局机关工作人员看到全部抽查；部门令牌只看到抽中了本单位"
            "主管的社会组织的抽查。执行前不公开随机数；名录、人员名录、回避关系等原文"
            "由公开页面以文件形式提供，其 SHA-256 即本接口返回的哈希值。"
        ),
    ),
    retrieve=extend_schema(
        summary="查询一次双随机抽查",
        description="未抽中本单位主管的社会组织的抽查，对部门令牌与不存在的一样返回 404。",
    ),
)
@extend_schema(tags=["inspections"])
class InspectionDrawViewSet(ScopedReadOnlyModelViewSet):
    queryset = InspectionDraw.objects.all()
    serializer_class = InspectionDrawSerializer
    lookup_field = "id"
    filterset_class = InspectionDrawFilterSet
    ordering_fields = ["year", "round", "created_at", "executed_at"]
    ordering = ["-year", "kind", "-round"]

    def get_queryset(self) -> QuerySet[InspectionDraw]:
        return super().get_queryset().defer(*DRAW_TEXT_FIELDS)


@extend_schema_view(
    list=extend_schema(
        summary="抽查检查列表",
        description=(
            "分页列出抽查检查（每家被抽中的社会组织一条），含检查人员、检查结果和整改情况。"
            f"同一次抽查中其他单位的组织不会出现。{RECORD_SCOPE_NOTE}"
        ),
    ),
    retrieve=extend_schema(summary="查询一条抽查检查", description=RECORD_SCOPE_NOTE),
)
@extend_schema(tags=["inspections"])
class InspectionViewSet(ScopedReadOnlyModelViewSet):
    queryset = Inspection.objects.all()
    serializer_class = InspectionSerializer
    lookup_field = "id"
    filterset_class = InspectionFilterSet
    search_fields = ["organization__name", "^organization__uscc"]
    ordering_fields = ["position", "completed_on", "rectification_deadline"]
    ordering = ["-draw_id", "position"]

    def get_queryset(self) -> QuerySet[Inspection]:
        # Everything the serializer shows in three queries whatever the page size: the page
        # (draw and organization joined, the draw's big texts left out), its count, and one
        # prefetch of the assignments with their inspectors in assignment order.
        assignments = InspectionAssignment.objects.select_related("inspector").order_by("position")
        return (
            super()
            .get_queryset()
            .select_related("draw", "organization")
            .defer(*(f"draw__{name}" for name in (*DRAW_TEXT_FIELDS, "nonce")))
            .prefetch_related(Prefetch("assignments", queryset=assignments))
        )


@extend_schema_view(
    list=extend_schema(
        summary="审计列表",
        description=f"分页列出离任、换届、注销清算和财务专项审计。{RECORD_SCOPE_NOTE}",
    ),
    retrieve=extend_schema(summary="查询一项审计", description=RECORD_SCOPE_NOTE),
)
@extend_schema(tags=["audits"])
class AuditViewSet(ScopedReadOnlyModelViewSet):
    queryset = Audit.objects.all()
    serializer_class = AuditSerializer
    lookup_field = "id"
    filterset_class = AuditFilterSet
    search_fields = ["organization__name", "^organization__uscc", "report_no"]
    ordering_fields = ["commissioned_on", "completed_on"]
    ordering = ["-commissioned_on", "id"]

    def get_queryset(self) -> QuerySet[Audit]:
        return super().get_queryset().select_related("organization")


class CircularSerializer(serializers.ModelSerializer):
    """通报; `download_url` is the workbook, when there is one."""

    supervising_unit = SupervisingUnitBriefSerializer(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Circular
        fields = [
            "id",
            "title",
            "document_no",
            "issued_on",
            "supervising_unit",
            "body",
            "download_url",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, circular: Circular) -> str | None:
        if not circular.attachment:
            return None
        return reverse(
            "api-v1:circular-download",
            kwargs={"id": circular.pk},
            request=self.context.get("request"),
        )


@extend_schema_view(
    list=extend_schema(
        summary="通报列表",
        description=(
            "分页列出通报。部门令牌看到发给本单位的通报和发给全部单位的通报；"
            "发给其他单位的通报与不存在的一样返回 404。"
        ),
    ),
    retrieve=extend_schema(summary="查询一份通报", description="发给其他单位的通报返回 404。"),
)
@extend_schema(tags=["circulars"])
class CircularViewSet(ScopedReadOnlyModelViewSet):
    queryset = Circular.objects.all()
    serializer_class = CircularSerializer
    lookup_field = "id"
    filterset_class = CircularFilterSet
    search_fields = ["title", "document_no"]
    ordering_fields = ["issued_on", "title"]
    ordering = ["-issued_on", "-id"]

    def get_queryset(self) -> QuerySet[Circular]:
        return super().get_queryset().select_related("supervising_unit")

    @extend_schema(
        operation_id="circulars_download",
        summary="下载通报附件",
        description="下载通报的 Excel 附件。通报没有附件、不存在或不在本单位范围内时返回 404。",
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="通报不存在、不在本单位范围内或没有附件"),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, id: str | None = None) -> FileResponse:
        circular = self.get_object()
        if not circular.attachment:
            raise Http404
        unit_id = user_scope_unit_id(request.user)
        if unit_id is not None and circular.supervising_unit_id is None:
            # A district-wide circular: a department gets its own organizations' rows only.
            try:
                data = circular_attachment_rows_for_unit(circular=circular, unit_id=unit_id)
            except FileNotFoundError as exc:
                raise Http404 from exc
            if data is None:
                raise Http404
            return FileResponse(
                io.BytesIO(data),
                as_attachment=True,
                filename=Path(circular.attachment.name).name,
                content_type=XLSX_CONTENT_TYPE,
            )
        try:
            handle = circular.attachment.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=Path(circular.attachment.name).name,
            content_type=XLSX_CONTENT_TYPE,
        )
