"""API of rating applications and their results."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from funding.grants.api import SCOPE_NOTE
from registry.api.serializers import OrganizationBriefSerializer

from .filters import RatingApplicationFilterSet
from .models import RatingApplication


class RatingApplicationSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    status_display = ChoiceLabelField(source="status")

    class Meta:
        model = RatingApplication
        fields = [
            "id",
            "round_title",
            "year",
            "organization",
            "applied_on",
            "status",
            "status_display",
            "ineligibility_reasons",
            "score",
            "grade",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="等级评估申请列表", description=SCOPE_NOTE),
    retrieve=extend_schema(summary="查询一份等级评估申请", description=SCOPE_NOTE),
)
@extend_schema(tags=["ratings"])
class RatingApplicationViewSet(ScopedReadOnlyModelViewSet):
    queryset = RatingApplication.objects.all()
    serializer_class = RatingApplicationSerializer
    lookup_field = "id"
    filterset_class = RatingApplicationFilterSet
    search_fields = ["organization__name", "^organization__uscc"]
    ordering_fields = ["applied_on", "score"]
    ordering = ["-round__year", "id"]

    def get_queryset(self) -> QuerySet[RatingApplication]:
        return super().get_queryset().select_related("organization", "round")
