"""API resource of the credit lists: credit-listings/ (read-only, scoped through common.api).

Each row is one listing decision with its removal flattened in (removed_on, removal ground
and document number); `active=true` gives the listings in force today."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from oversight.credit.choices import RemovalGround
from oversight.credit.filters import CreditListingFilterSet
from oversight.credit.models import CreditListing, CreditRemoval
from oversight.credit.selectors import listing_removal
from registry.api.serializers import OrganizationBriefSerializer
from registry.api.views import RECORD_SCOPE_NOTE


class CreditListingSerializer(serializers.ModelSerializer):
    """列入决定 (R-CRD-11), with the removal that closed it, if any."""

    organization = OrganizationBriefSerializer(read_only=True)
    list_type_display = ChoiceLabelField(source="list_type")
    action_display = ChoiceLabelField(source="action")
    ground_display = ChoiceLabelField(source="ground")
    active = serializers.SerializerMethodField(help_text="现仍在名录中（尚无移出决定）")
    removed_on = serializers.SerializerMethodField(help_text="移出日期")
    removal_ground = serializers.SerializerMethodField(help_text="移出依据")
    removal_ground_display = serializers.SerializerMethodField(help_text="移出依据（中文）")
    removal_decision_no = serializers.SerializerMethodField(help_text="移出决定书文号")

    class Meta:
        model = CreditListing
        fields = [
            "id",
            "organization",
            "organization_name",
            "list_type",
            "list_type_display",
            "action",
            "action_display",
            "ground",
            "ground_display",
            "facts",
            "decided_on",
            "effective_on",
            "authority",
            "decision_no",
            "served_on",
            "review_due_on",
            "active",
            "removed_on",
            "removal_ground",
            "removal_ground_display",
            "removal_decision_no",
            "updated_at",
        ]
        read_only_fields = fields

    def _removal(self, obj: CreditListing) -> CreditRemoval | None:
        return listing_removal(obj)

    @extend_schema_field(serializers.BooleanField())
    def get_active(self, obj: CreditListing) -> bool:
        return self._removal(obj) is None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_removed_on(self, obj: CreditListing):
        removal = self._removal(obj)
        return removal.decided_on if removal else None

    @extend_schema_field(serializers.ChoiceField(choices=RemovalGround.choices, allow_null=True))
    def get_removal_ground(self, obj: CreditListing) -> str | None:
        removal = self._removal(obj)
        return removal.ground if removal else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_removal_ground_display(self, obj: CreditListing) -> str | None:
        removal = self._removal(obj)
        return removal.get_ground_display() if removal else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_removal_decision_no(self, obj: CreditListing) -> str | None:
        removal = self._removal(obj)
        return removal.decision_no if removal else None


@extend_schema_view(
    list=extend_schema(
        summary="信用名录列入决定列表",
        description=(
            "分页列出活动异常名录和严重违法失信名单的列入决定，含移出信息（移出日期、依据、"
            "文号）；可按名录、依据、是否仍在名录中、决定日期、组织和主管单位筛选。"
            f"{RECORD_SCOPE_NOTE}"
        ),
    ),
    retrieve=extend_schema(summary="查询一条信用名录列入决定", description=RECORD_SCOPE_NOTE),
)
@extend_schema(tags=["credit_listings"])
class CreditListingViewSet(ScopedReadOnlyModelViewSet):
    queryset = CreditListing.objects.all()
    serializer_class = CreditListingSerializer
    lookup_field = "id"
    filterset_class = CreditListingFilterSet
    search_fields = [
        "organization__name",
        "organization_name",
        "^organization__uscc",
        "decision_no",
    ]
    ordering_fields = ["decided_on", "review_due_on"]
    ordering = ["-decided_on", "-id"]

    def get_queryset(self) -> QuerySet[CreditListing]:
        # Page, count and one prefetch of removals: constant whatever the page size.
        return (
            super()
            .get_queryset()
            .select_related("organization")
            .prefetch_related(
                Prefetch("removals", queryset=CreditRemoval.objects.order_by("decided_on", "pk"))
            )
        )
