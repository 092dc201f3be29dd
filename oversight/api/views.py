"""API resources of supervision: annual reports (with the department's opinion), draws,
inspections and audits. Scope and permissions come from common.api (ScopedViewSet)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.viewsets import ScopedReadOnlyModelViewSet
from oversight.filters import (
    AnnualReportFilterSet,
    AuditFilterSet,
    InspectionDrawFilterSet,
    InspectionFilterSet,
)
from oversight.models import (
    AnnualReport,
    Audit,
    Inspection,
    InspectionAssignment,
    InspectionDraw,
)
from oversight.services import annual_report_record_opinion

from .serializers import (
    AnnualReportOpinionSerializer,
    AnnualReportSerializer,
    AuditSerializer,
    InspectionDrawSerializer,
    InspectionSerializer,
)

SCOPE_NOTE = "部门令牌只能看到本单位主管的社会组织的记录；其他单位的记录与不存在的一样返回 404。"

# The frozen inputs of a draw can be megabytes (a national population): never loaded by the
# API, the public page serves them as files.
DRAW_TEXT_FIELDS = ("population_text", "roster_text", "conflicts_text", "strata_text")


@extend_schema_view(
    list=extend_schema(
        summary="年度工作报告列表",
        description=f"分页列出年度工作报告，可按年度、状态、结论、组织、主管单位和报送日期筛选。{SCOPE_NOTE}",
    ),
    retrieve=extend_schema(summary="查询一份年度工作报告", description=SCOPE_NOTE),
)
@extend_schema(tags=["年度工作报告"])
class AnnualReportViewSet(ScopedReadOnlyModelViewSet):
    queryset = AnnualReport.objects.all()
    serializer_class = AnnualReportSerializer
    lookup_field = "id"
    filterset_class = AnnualReportFilterSet
    search_fields = ["organization__name", "^organization__uscc"]
    ordering_fields = ["year", "submitted_on", "status"]
    ordering = ["-year", "id"]
    # Recording an opinion changes the report: staff need oversight.change_annualreport;
    # departments may call it, on the reports their scope reaches (others answer 404).
    action_scope_map = {"opinion": "change"}
    department_actions = ("opinion",)

    def get_queryset(self) -> QuerySet[AnnualReport]:
        return super().get_queryset().select_related("organization")

    @extend_schema(
        summary="提交业务主管单位初审意见",
        description=(
            "业务主管单位对本单位主管的社会组织的年度工作报告提交初审意见（同意或不同意，"
            "不同意须说明理由）。只能在报告处于“待业务主管单位初审”状态时提交一次，"
            "提交后报告转入“待登记管理机关审查”。局机关工作人员须有修改年度工作报告的权限。"
            f"{SCOPE_NOTE}"
        ),
        request=AnnualReportOpinionSerializer,
        responses={
            200: AnnualReportSerializer,
            400: OpenApiResponse(description="意见无效，或报告不在初审阶段（按字段说明原因）"),
            403: OpenApiResponse(description="局机关工作人员没有修改年度工作报告的权限"),
            404: OpenApiResponse(description="报告不存在或不在本单位范围内"),
        },
    )
    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, id: str | None = None) -> Response:
        report = self.get_object()
        serializer = AnnualReportOpinionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = annual_report_record_opinion(
            report=report,
            opinion=serializer.validated_data["opinion"],
            remarks=serializer.validated_data["remarks"],
            actor=request.user,
        )
        return Response(self.get_serializer(report).data)


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
@extend_schema(tags=["双随机抽查"])
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
            f"同一次抽查中其他单位的组织不会出现。{SCOPE_NOTE}"
        ),
    ),
    retrieve=extend_schema(summary="查询一条抽查检查", description=SCOPE_NOTE),
)
@extend_schema(tags=["双随机抽查"])
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
        description=f"分页列出离任、换届、注销清算和财务专项审计。{SCOPE_NOTE}",
    ),
    retrieve=extend_schema(summary="查询一项审计", description=SCOPE_NOTE),
)
@extend_schema(tags=["审计"])
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
