"""API of annual reports: read, and the supervising unit's preliminary opinion (DESIGN.md §4.1)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from oversight.annual_reports.choices import SupervisorOpinion
from oversight.annual_reports.filters import AnnualReportFilterSet
from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.services import annual_report_record_opinion
from registry.api.serializers import OrganizationBriefSerializer
from registry.api.views import RECORD_SCOPE_NOTE


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
            "updated_at",
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


@extend_schema_view(
    list=extend_schema(
        summary="年度工作报告列表",
        description=f"分页列出年度工作报告，可按年度、状态、结论、组织、主管单位和报送日期筛选。{RECORD_SCOPE_NOTE}",
    ),
    retrieve=extend_schema(summary="查询一份年度工作报告", description=RECORD_SCOPE_NOTE),
)
@extend_schema(tags=["annual_reports"])
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
            f"{RECORD_SCOPE_NOTE}"
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
