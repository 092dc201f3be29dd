"""API of the zombie cleanup (DESIGN.md §4.5, §8): `zombie-cases/` with the progress per
unit, `zombie-flags/` (the flags, and the designation under R-ZMB-01(5) a supervising unit
makes for its own organizations), and `circulars/` with the download of their workbook.
Scope and permissions come from common.api (ScopedViewSet), as for every resource."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from oversight.zombies.choices import ZombieCriterion, ZombieStage
from oversight.zombies.detection import CRITERION_LABELS
from oversight.zombies.filters import ZombieCaseFilterSet
from oversight.zombies.models import ZombieCase, ZombieFlag
from oversight.zombies.selectors import zombie_progress_by_unit
from oversight.zombies.services import zombie_designate
from registry.api.serializers import OrganizationBriefSerializer, SupervisingUnitBriefSerializer
from registry.api.views import RECORD_SCOPE_NOTE
from registry.models import Organization
from registry.uscc import uscc_normalize

# ------------------------------------------------------------------ serializers


def _criteria_items(codes: list[str]) -> list[dict]:
    return [{"code": code, "label": CRITERION_LABELS.get(code, code)} for code in codes]


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
            "notice_published_on",
            "notice_ends_on",
            "closed_on",
            "responsible_person",
            "notes",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ZombieCriterionSerializer(many=True))
    def get_criteria(self, case: ZombieCase) -> list[dict]:
        return _criteria_items(case.criteria)


class ZombieFlagSerializer(serializers.ModelSerializer):
    """僵尸风险标记: detected monthly (R-ZMB-01(1)–(4)) or designated (R-ZMB-01(5))."""

    organization = OrganizationBriefSerializer(read_only=True)
    source_display = ChoiceLabelField(source="source")
    criteria = serializers.SerializerMethodField()
    designating_unit = SupervisingUnitBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ZombieFlag
        fields = [
            "id",
            "organization",
            "as_of",
            "source",
            "source_display",
            "criteria",
            "evidence",
            "reason",
            "designating_unit",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ZombieCriterionSerializer(many=True))
    def get_criteria(self, flag: ZombieFlag) -> list[dict]:
        return _criteria_items(flag.criteria)


class ZombieDesignationSerializer(serializers.Serializer):
    """认定 (R-ZMB-01(5)): the organization by its code, the reason, the date (default today)."""

    organization_uscc = serializers.CharField(help_text="统一社会信用代码（本单位主管的社会组织）")
    reason = serializers.CharField(help_text="认定理由")
    designated_on = serializers.DateField(required=False, help_text="认定日期，默认当日")

    def validate_organization_uscc(self, value: str) -> Organization:
        # Only the organizations the caller may see: another unit's answers as a missing one.
        scope = Organization.objects.restrict(self.context["request"].user, "view")
        organization = scope.filter(uscc=uscc_normalize(value)).first()
        if organization is None:
            raise serializers.ValidationError("未找到该社会组织。")
        return organization


class ZombieStageCountsSerializer(serializers.Serializer):
    identified = serializers.IntegerField(help_text=ZombieStage.IDENTIFIED.label)
    notified = serializers.IntegerField(help_text=ZombieStage.NOTIFIED.label)
    notice = serializers.IntegerField(help_text=ZombieStage.NOTICE.label)
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
            "分页列出清理整治案件（已认定、已告知、公告送达中、注销办理中、已注销、已撤销登记、"
            "已恢复正常），含公告日期和公告期满日期，"
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


@extend_schema_view(
    list=extend_schema(
        summary="僵尸风险标记列表",
        description=(
            "每月检测生成的风险标记（R-ZMB-01第1至4项）和登记管理机关或业务主管单位的认定"
            f"（第5项），含符合的认定标准和证据。{RECORD_SCOPE_NOTE}"
        ),
    ),
    retrieve=extend_schema(summary="查询一条僵尸风险标记", description=RECORD_SCOPE_NOTE),
)
@extend_schema(tags=["zombie_flags"])
class ZombieFlagViewSet(ScopedReadOnlyModelViewSet):
    queryset = ZombieFlag.objects.all()
    serializer_class = ZombieFlagSerializer
    lookup_field = "id"
    search_fields = ["organization__name", "^organization__uscc"]
    ordering_fields = ["as_of"]
    ordering = ["-as_of", "id"]
    # Departments designate the organizations they supervise (R-ZMB-01(5)).
    department_actions = ("create",)

    def get_queryset(self) -> QuerySet[ZombieFlag]:
        return (
            super()
            .get_queryset()
            .select_related("organization", "organization__supervising_unit", "designating_unit")
        )

    @extend_schema(
        operation_id="zombie_flags_designate",
        summary="认定僵尸型社会组织（R-ZMB-01第5项）",
        description=(
            "业务主管单位认定本单位主管的社会组织为僵尸型社会组织，须说明理由；"
            "认定形成一条“认定”来源的风险标记，检测不会覆盖或删除它。"
            "局机关工作人员须有新增僵尸风险标记的权限，以登记管理机关名义认定。"
        ),
        request=ZombieDesignationSerializer,
        responses={
            201: ZombieFlagSerializer,
            400: OpenApiResponse(description="组织不存在或不在本单位范围内、理由为空、已认定等"),
        },
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ZombieDesignationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The service's refusals answer 400 by field (common.api.exceptions).
        flag = zombie_designate(
            organization=data["organization_uscc"],
            reason=data["reason"],
            actor=request.user,
            on=data.get("designated_on") or timezone.localdate(),
        )
        flag = self.get_queryset().get(pk=flag.pk)
        return Response(self.get_serializer(flag).data, status=status.HTTP_201_CREATED)
