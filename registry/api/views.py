"""API resources of the register: organizations (by USCC) and supervising units (by code)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response

from common.api.export import StreamingExportMixin
from common.api.viewsets import ScopedReadOnlyModelViewSet
from common.audit import record_personal_read
from registry.filters import OrganizationFilterSet, SupervisingUnitFilterSet
from registry.models import Organization, SupervisingUnit
from registry.selectors import current_rating_subquery

from .serializers import OrganizationSerializer, SupervisingUnitSerializer

USCC_PARAMETER = OpenApiParameter(
    "uscc", location=OpenApiParameter.PATH, description="统一社会信用代码（18 位）"
)
UNIT_CODE_PARAMETER = OpenApiParameter(
    "code", location=OpenApiParameter.PATH, description="业务主管单位代码"
)
SCOPE_NOTE = "部门令牌只能看到本单位主管的社会组织；其他单位的组织与不存在的一样返回 404。"
# The same rule for records about organizations (reports, inspections, listings, cases…).
RECORD_SCOPE_NOTE = (
    "部门令牌只能看到本单位主管的社会组织的记录；其他单位的记录与不存在的一样返回 404。"
)


@extend_schema_view(
    list=extend_schema(summary="社会组织列表", description=f"分页列出社会组织。{SCOPE_NOTE}"),
    retrieve=extend_schema(
        summary="按统一社会信用代码查询社会组织",
        description=SCOPE_NOTE,
        parameters=[USCC_PARAMETER],
    ),
)
@extend_schema(tags=["organizations"])
class OrganizationViewSet(StreamingExportMixin, ScopedReadOnlyModelViewSet):
    queryset = Organization.objects.all()
    # GET organizations/export/ (issue 15): the list's fields, related records by their codes.
    export_filename = "organizations"
    export_columns = {
        "uscc": "uscc",
        "name": "name",
        "org_type": "org_type",
        "is_industry_association": "is_industry_association",
        "industry_category_code": "industry_category__code",
        "supervising_unit_code": "supervising_unit__code",
        "legal_representative": "legal_representative",
        "domicile": "domicile",
        "phone": "phone",
        "registered_capital": "registered_capital",
        "registration_certificate_no": "registration_certificate_no",
        "established_on": "established_on",
        "status": "status",
        "deregistered_on": "deregistered_on",
        "revoked_on": "revoked_on",
    }
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "^uscc"]
    ordering_fields = ["name", "uscc", "established_on", "registered_capital"]
    ordering = ["name", "id"]
    lookup_field = "uscc"

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        # 等保 安全审计: a detail read shows the legal representative and the phone.
        record_personal_read(
            user=request.user, obj=instance, fields=("法定代表人", "联系电话"), channel="API"
        )
        return Response(self.get_serializer(instance).data)

    def get_queryset(self) -> QuerySet[Organization]:
        # Everything the serializer shows, in the one query of the page (no N+1).
        today = timezone.localdate()
        return (
            super()
            .get_queryset()
            .select_related("industry_category", "supervising_unit")
            .annotate(current_rating=current_rating_subquery(on=today))
        )


@extend_schema_view(
    list=extend_schema(
        summary="业务主管单位列表",
        description="局机关工作人员看到全部单位；部门令牌只看到本单位。",
    ),
    retrieve=extend_schema(summary="按代码查询业务主管单位", parameters=[UNIT_CODE_PARAMETER]),
)
@extend_schema(tags=["supervising_units"])
class SupervisingUnitViewSet(ScopedReadOnlyModelViewSet):
    queryset = SupervisingUnit.objects.all()
    serializer_class = SupervisingUnitSerializer
    filterset_class = SupervisingUnitFilterSet
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]
    ordering = ["code", "id"]
    lookup_field = "code"
