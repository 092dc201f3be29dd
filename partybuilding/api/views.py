"""API of party building: `party-organizations/` (scoped through the organizations they cover)
and `statistics/party/` (the coverage figures on a date, a department's own only)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.viewsets import ScopedReadOnlyModelViewSet, ScopedViewSet
from common.scoping import user_scope_unit_id
from partybuilding.filters import PartyOrganizationFilterSet
from partybuilding.models import PartyOrganization, PartyOrganizationCoverage
from partybuilding.selectors import party_coverage
from registry.models import Organization

from .serializers import AsOfQuerySerializer, PartyOrganizationSerializer, PartyStatisticsSerializer

SCOPE_NOTE = (
    "部门令牌只能看到覆盖本单位主管组织的党组织，覆盖组织中也只列出本单位的组织；"
    "其他党组织与不存在的一样返回 404。"
)


def _is_department(user) -> bool:
    return not (user.is_superuser or user.is_staff)


@extend_schema_view(
    list=extend_schema(summary="党组织列表", description=f"分页列出社会组织党组织。{SCOPE_NOTE}"),
    retrieve=extend_schema(summary="查询一个党组织", description=SCOPE_NOTE),
)
@extend_schema(tags=["party_building"])
class PartyOrganizationViewSet(ScopedReadOnlyModelViewSet):
    queryset = PartyOrganization.objects.all()
    serializer_class = PartyOrganizationSerializer
    filterset_class = PartyOrganizationFilterSet
    search_fields = ["name"]
    ordering_fields = ["name", "approved_on", "full_members"]
    ordering = ["name", "id"]
    lookup_field = "id"

    def get_queryset(self) -> QuerySet[PartyOrganization]:
        coverages = PartyOrganizationCoverage.objects.select_related("organization").order_by(
            "joined_on", "id"
        )
        user = self.request.user
        if _is_department(user):
            # A joint branch also covers other units' organizations: not theirs to see.
            coverages = coverages.filter(organization__supervising_unit_id=user_scope_unit_id(user))
        return (
            super()
            .get_queryset()
            .select_related("superior_body")
            .prefetch_related(
                Prefetch("coverages", queryset=coverages, to_attr="visible_coverages")
            )
        )


@extend_schema(tags=["party_building"])
class PartyStatisticsViewSet(ScopedViewSet):
    """党建统计 (R-PTY-05): the coverage figures on a date."""

    queryset = PartyOrganization.objects.all()
    pagination_class = None
    filter_backends = ()

    @extend_schema(
        operation_id="statistics_party_retrieve",
        summary="党建统计（两个覆盖）",
        description=(
            "统计日在册社会组织中有党员、组织覆盖、工作覆盖的数量和比率，党组织按组建方式、上级党组织的数量，"
            "区社会组织党委直管党组织及其党员数，当年新成立党组织数（R-PTY-04、R-PTY-05，D10）。"
            "部门令牌只统计本单位主管的组织及覆盖它们的党组织。"
        ),
        parameters=[OpenApiParameter("as_of", str, description="统计日期（YYYY-MM-DD），默认今天")],
        responses={200: forced_singular_serializer(PartyStatisticsSerializer)},
    )
    def list(self, request: Request) -> Response:
        query = AsOfQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("as_of") or timezone.localdate()
        organizations = None
        if _is_department(request.user):
            unit_id = user_scope_unit_id(request.user)
            organizations = (
                Organization.objects.filter(supervising_unit_id=unit_id)
                if unit_id is not None
                else Organization.objects.none()
            )
        coverage = party_coverage(day=day, organizations=organizations)
        data = {"as_of": day, "figures": [f.__dict__ for f in coverage.figures()]}
        return Response(PartyStatisticsSerializer(data).data)
