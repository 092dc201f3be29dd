"""GET /api/v1/statistics/overview/: the situation report's figures for a date. A department
token gets the figures of its own organizations (common.scoping decides who is one)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from common.api.viewsets import ScopedViewSet
from registry.models import Organization

from .selectors import Scope, situation_overview


class OverviewQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        help_text="统计日期（YYYY-MM-DD），默认今天",
        error_messages={"invalid": "统计日期（as_of）格式不正确，应为 YYYY-MM-DD，如 2022-06-30。"},
    )
    since = serializers.DateField(
        required=False,
        help_text="“某日以来列入信用名录”的起始日期（YYYY-MM-DD），默认统计日上一年的1月1日",
        error_messages={"invalid": "起始日期（since）格式不正确，应为 YYYY-MM-DD，如 2021-01-01。"},
    )

    def validate(self, attrs):
        as_of, since = attrs.get("as_of"), attrs.get("since")
        if as_of and since and since > as_of:
            raise serializers.ValidationError(
                {"since": "起始日期（since）不得晚于统计日期（as_of）。"}
            )
        return attrs


class OverviewFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="稳定的指标代码")
    label = serializers.CharField(help_text="指标名称")
    value = serializers.FloatField(help_text="数值")
    unit = serializers.CharField(help_text="单位")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if isinstance(instance.value, int):
            data["value"] = instance.value  # counts stay integers in JSON
        return data


class OverviewSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="统计日期")
    figures = OverviewFigureSerializer(many=True)


class OverviewViewSet(ScopedViewSet):
    """社会组织工作情况统计 (DESIGN.md §7)."""

    queryset = Organization.objects.all()
    pagination_class = None
    filter_backends = ()

    @extend_schema(
        operation_id="statistics_overview_retrieve",
        tags=["statistics"],
        summary="社会组织工作情况统计",
        description=(
            "统计日的全部指标：在册社会组织（按类型、行业分类）、行业协会商会、党建、抽查审计、"
            "联合检查、约谈、通报、信用名录、僵尸型社会组织清理整治、专项资金、购买服务目录、服务记录。"
            "每个指标有稳定的代码、中文名称、数值和单位。部门令牌只统计本单位主管的社会组织。"
        ),
        parameters=[
            OpenApiParameter("as_of", str, description="统计日期（YYYY-MM-DD），默认今天"),
            OpenApiParameter("since", str, description="信用名录“以来”起始日期（YYYY-MM-DD）"),
        ],
        responses={200: forced_singular_serializer(OverviewSerializer)},
    )
    def list(self, request: Request) -> Response:
        query = OverviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        figures = situation_overview(
            as_of=as_of, since=query.validated_data.get("since"), scope=Scope.for_user(request.user)
        )
        return Response(OverviewSerializer({"as_of": as_of, "figures": figures}).data)


router = SimpleRouter()
router.register("statistics/overview", OverviewViewSet, basename="statistics-overview")

urlpatterns = router.urls
