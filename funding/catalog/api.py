"""API of the catalog: editions and their entries."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from common.api.fields import ChoiceLabelField
from common.api.viewsets import ScopedReadOnlyModelViewSet
from funding.grants.api import SCOPE_NOTE

from .filters import CatalogEditionFilterSet, CatalogEntryFilterSet
from .models import CatalogEdition, CatalogEntry


class CatalogEditionSerializer(serializers.ModelSerializer):
    status_display = ChoiceLabelField(source="status")
    entry_count = serializers.IntegerField(read_only=True, help_text="本版入选组织数")

    class Meta:
        model = CatalogEdition
        fields = [
            "id",
            "number",
            "year",
            "title",
            "application_date",
            "status",
            "status_display",
            "published_on",
            "entry_count",
            "updated_at",
        ]
        read_only_fields = fields


class CatalogEntrySerializer(serializers.ModelSerializer):
    edition_number = serializers.IntegerField(source="edition.number", read_only=True)

    class Meta:
        model = CatalogEntry
        fields = [
            "id",
            "edition_number",
            "uscc",
            "name",
            "grade",
            "is_priority",
            "auto_admitted",
            "updated_at",
        ]
        read_only_fields = fields


CATALOG_SCOPE_NOTE = f"部门令牌只能看到收录了本单位主管组织的目录版次。{SCOPE_NOTE}"


@extend_schema_view(
    list=extend_schema(summary="购买服务目录版次列表", description=CATALOG_SCOPE_NOTE),
    retrieve=extend_schema(summary="查询一个目录版次", description=CATALOG_SCOPE_NOTE),
)
@extend_schema(tags=["catalog"])
class CatalogEditionViewSet(ScopedReadOnlyModelViewSet):
    queryset = CatalogEdition.objects.all()
    serializer_class = CatalogEditionSerializer
    lookup_field = "id"
    filterset_class = CatalogEditionFilterSet
    search_fields = ["title"]
    ordering_fields = ["number", "published_on"]
    ordering = ["-number"]

    def get_queryset(self) -> QuerySet[CatalogEdition]:
        return super().get_queryset().annotate(entry_count=Count("entries"))


@extend_schema_view(
    list=extend_schema(summary="目录条目列表", description=SCOPE_NOTE),
    retrieve=extend_schema(summary="查询一个目录条目", description=SCOPE_NOTE),
)
@extend_schema(tags=["catalog"])
class CatalogEntryViewSet(ScopedReadOnlyModelViewSet):
    queryset = CatalogEntry.objects.all()
    serializer_class = CatalogEntrySerializer
    lookup_field = "id"
    filterset_class = CatalogEntryFilterSet
    search_fields = ["name", "^uscc"]
    ordering_fields = ["name", "grade"]
    ordering = ["edition", "-is_priority", "name", "id"]

    def get_queryset(self) -> QuerySet[CatalogEntry]:
        return super().get_queryset().select_related("edition")
