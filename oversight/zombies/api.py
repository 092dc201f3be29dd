"""API of the zombie cleanup (DESIGN.md §4.5, §8): `zombie-cases/` with the progress per
unit, and `circulars/` with the download of their workbook. Read-only; scope and
permissions come from common.api (ScopedViewSet), as for every resource."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from oversight.zombies.choices import ZombieCriterion, ZombieStage
from oversight.zombies.filters import ZombieCaseFilterSet
from oversight.zombies.models import ZombieCase
from oversight.zombies.selectors import zombie_progress_by_unit
from registry.api.serializers import OrganizationBriefSerializer, SupervisingUnitBriefSerializer
from registry.api.views import RECORD_SCOPE_NOTE

# ------------------------------------------------------------------ serializers


class ZombieCriterionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ZombieCriterion.choices, help_text="R-ZMB-01 的项")
    label = serializers.CharField(help_text="认定标准")


class ZombieCaseSerializer(serializers.ModelSerializer):
    """僵尸型社会组织清理整治案件 (R-ZMB-02)."""

    organization = OrganizationBriefSerializer(read_only=True)
    supervising_unit = SupervisingUnitBriefSerializer(
        source="organization.supervising_unit", read_only=True, allow_null=True
    )
    stage_display = ChoiceLabelField(source="stage")
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = ZombieCase
        fields = [
            "id",
            "organization",
            "supervising_unit",
            "stage",
            "stage_display",
            "criteria",
            "identified_on",
            "notified_on",
            "closed_on",
            "responsible_person",
            "notes",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ZombieCriterionSerializer(many=True))
    def get_criteria(self, case: ZombieCase) -> list[dict]:
        labels = dict(ZombieCriterion.choices)
        return [{"code": code, "label": labels.get(code, code)} for code in case.criteria]


class ZombieStageCountsSerializer(serializers.Serializer):
    identified = serializers.IntegerField(help_text=ZombieStage.IDENTIFIED.label)
    notified = serializers.IntegerField(help_text=ZombieStage.NOTIFIED.label)
    deregistering = serializers.IntegerField(help_text=ZombieStage.DEREGISTERING.label)
    deregistered = serializers.IntegerField(help_text=ZombieStage.DEREGISTERED.label)
    revoked = serializers.IntegerField(help_text=ZombieStage.REVOKED.label)
    restored = serializers.IntegerField(help_text=ZombieStage.RESTORED.label)


class ZombieProgressSerializer(serializers.Serializer):
    unit_code = serializers.CharField(allow_null=True, help_text="业务主管单位代码；直接登记为空")
    unit_name = serializers.CharField()
    stages = ZombieStageCountsSerializer(help_text="各阶段案件数")
    total = serializers.IntegerField()


# ------------------------------------------------------------------ viewsets


@extend_schema_view(
    list=extend_schema(
        summary="僵尸型社会组织清理整治案件列表",
        description=(
            "分页列出清理整治案件（已认定、已告知、注销办理中、已注销、已撤销登记、已恢复正常），"
            f"含认定标准（R-ZMB-01）。可按阶段、业务主管单位代码、统一社会信用代码筛选。{RECORD_SCOPE_NOTE}"
        ),
    ),
    retrieve=extend_schema(summary="查询一件清理整治案件", description=RECORD_SCOPE_NOTE),
)
@extend_schema(tags=["zombie_cases"])
class ZombieCaseViewSet(ScopedReadOnlyModelViewSet):
    queryset = ZombieCase.objects.all()
    serializer_class = ZombieCaseSerializer
    lookup_field = "id"
    filterset_class = ZombieCaseFilterSet
    search_fields = ["organization__name", "^organization__uscc"]
    ordering_fields = ["identified_on", "notified_on", "closed_on", "stage"]
    ordering = ["-identified_on", "id"]

    def get_queryset(self) -> QuerySet[ZombieCase]:
        return super().get_queryset().select_related("organization__supervising_unit")

    @extend_schema(
        operation_id="zombie_cases_progress",
        summary="清理整治进度（按业务主管单位）",
        description=(
            "每个业务主管单位的案件按阶段计数（与列表相同的筛选条件）。部门令牌只得到本单位的一行。"
        ),
        responses={200: ZombieProgressSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def progress(self, request: Request) -> Response:
        cases = self.filter_queryset(self.get_queryset())
        return Response(
            ZombieProgressSerializer(zombie_progress_by_unit(cases=cases), many=True).data
        )
