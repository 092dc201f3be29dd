"""API of the special fund: rounds, and grants with the supervising unit's opinion."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from registry.api.serializers import OrganizationBriefSerializer

from .choices import SupervisorOpinion
from .filters import FundRoundFilterSet, GrantProjectFilterSet
from .models import FundRound, GrantProject
from .services import grant_record_opinion

SCOPE_NOTE = "部门令牌只能看到本单位主管的社会组织的记录；其他单位的记录与不存在的一样返回 404。"


ROUND_SCOPE_NOTE = (
    "部门令牌只能看到本单位主管的社会组织申报过的期次；其他期次与不存在的一样返回 404。"
)


class FundRoundSerializer(serializers.ModelSerializer):
    status_display = ChoiceLabelField(source="status")

    class Meta:
        model = FundRound
        fields = [
            "id",
            "number",
            "year",
            "title",
            "directions",
            "opens_on",
            "closes_on",
            "budget",
            "status",
            "status_display",
            "updated_at",
        ]
        read_only_fields = fields


class GrantProjectSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    round_number = serializers.IntegerField(source="round.number", read_only=True)
    status_display = ChoiceLabelField(source="status")
    category_display = ChoiceLabelField(source="category")
    supervisor_opinion_display = ChoiceLabelField(source="supervisor_opinion")

    class Meta:
        model = GrantProject
        fields = [
            "id",
            "round_number",
            "organization",
            "title",
            "category",
            "category_display",
            "requested_amount",
            "approved_amount",
            "status",
            "status_display",
            "submitted_on",
            "notice_started_on",
            "notice_ends_on",
            "approved_on",
            "supervisor_opinion",
            "supervisor_opinion_display",
            "supervisor_remarks",
            "supervisor_opinion_on",
            "updated_at",
        ]
        read_only_fields = fields


class GrantOpinionSerializer(serializers.Serializer):
    """业务主管单位推荐意见 (input of the `opinion` action)."""

    opinion = serializers.ChoiceField(
        choices=SupervisorOpinion.choices, help_text="agree（同意）或 disagree（不同意）"
    )
    remarks = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, help_text="不同意时必填"
    )


@extend_schema_view(
    list=extend_schema(summary="专项资金申报期次列表", description=ROUND_SCOPE_NOTE),
    retrieve=extend_schema(summary="查询一个申报期次", description=ROUND_SCOPE_NOTE),
)
@extend_schema(tags=["grants"])
class FundRoundViewSet(ScopedReadOnlyModelViewSet):
    queryset = FundRound.objects.all()
    serializer_class = FundRoundSerializer
    lookup_field = "id"
    filterset_class = FundRoundFilterSet
    search_fields = ["title"]
    ordering_fields = ["number", "year"]
    ordering = ["-number"]


@extend_schema_view(
    list=extend_schema(
        summary="资助项目列表",
        description=f"分页列出专项资金资助项目，可按期次、年度、状态、类别、组织筛选。{SCOPE_NOTE}",
    ),
    retrieve=extend_schema(summary="查询一个资助项目", description=SCOPE_NOTE),
)
@extend_schema(tags=["grants"])
class GrantProjectViewSet(ScopedReadOnlyModelViewSet):
    queryset = GrantProject.objects.all()
    serializer_class = GrantProjectSerializer
    lookup_field = "id"
    filterset_class = GrantProjectFilterSet
    search_fields = ["title", "organization__name", "^organization__uscc"]
    ordering_fields = ["submitted_on", "approved_amount", "status"]
    ordering = ["-round__number", "id"]
    action_scope_map = {"opinion": "change"}
    department_actions = ("opinion",)

    def get_queryset(self) -> QuerySet[GrantProject]:
        return super().get_queryset().select_related("organization", "round")

    @extend_schema(
        summary="提交业务主管单位推荐意见",
        description=(
            "业务主管单位对本单位主管的社会组织的资助申请提出推荐意见（同意或不同意，不同意须说明"
            "理由），只能在申报和初审阶段提出一次。局机关工作人员须有修改资助项目的权限。"
            f"{SCOPE_NOTE}"
        ),
        request=GrantOpinionSerializer,
        responses={
            200: GrantProjectSerializer,
            400: OpenApiResponse(description="意见无效，或项目不在可提意见的阶段"),
            403: OpenApiResponse(description="局机关工作人员没有修改资助项目的权限"),
            404: OpenApiResponse(description="项目不存在或不在本单位范围内"),
        },
    )
    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, id: str | None = None) -> Response:
        project = self.get_object()
        serializer = GrantOpinionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = grant_record_opinion(
            project=project,
            opinion=serializer.validated_data["opinion"],
            remarks=serializer.validated_data["remarks"],
            actor=request.user,
        )
        return Response(self.get_serializer(project).data)
