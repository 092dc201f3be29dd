"""Admin of the catalog: draft editions with exclusions, publication, Excel per edition."""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from common.excel import XLSX_CONTENT_TYPE, xlsx_write

from .choices import EditionStatus
from .excel import catalog_edition_export_xlsx
from .models import CatalogEdition, CatalogEntry, CatalogExclusion
from .selectors import catalog_eligibility
from .services import catalog_edition_publish


class ExclusionInline(admin.TabularInline):
    model = CatalogExclusion
    extra = 0
    fields = ["organization", "reason", "excluded_by"]
    readonly_fields = ["excluded_by"]
    autocomplete_fields = ["organization"]

    def _editable(self, obj) -> bool:
        return obj is None or obj.status == EditionStatus.DRAFT

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class PublishForm(forms.Form):
    on = forms.DateField(label="发布日期", initial=timezone.localdate)


@admin.register(CatalogEdition)
class CatalogEditionAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "year",
        "title",
        "application_date",
        "status",
        "published_on",
        "files",
    ]
    list_filter = ["status", "year"]
    inlines = [ExclusionInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        base = ["status", "published_on", "published_by"]
        if obj is not None and obj.status == EditionStatus.PUBLISHED:
            return [f.name for f in CatalogEdition._meta.fields]
        return base

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or obj.status == EditionStatus.DRAFT

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.excluded_by = instance.excluded_by or request.user
            if not instance.reason.strip():
                raise ValidationError("人工排除须说明理由。")
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()

    @admin.display(description="文件")
    def files(self, obj):
        info = self.opts.app_label, self.opts.model_name
        eligibility = reverse("admin:{}_{}_eligibility".format(*info), args=[obj.pk])
        if obj.status != EditionStatus.PUBLISHED:
            return format_html('<a href="{}">资格审查结果</a>', eligibility)
        export = reverse("admin:{}_{}_entries".format(*info), args=[obj.pk])
        return format_html('<a href="{}">导出目录</a>', export)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/entries.xlsx", view(self.entries_view), name="{}_{}_entries".format(*info)
            ),
            path(
                "<int:pk>/eligibility.xlsx",
                view(self.eligibility_view),
                name="{}_{}_eligibility".format(*info),
            ),
            *super().get_urls(),
        ]

    def _edition(self, request, pk) -> CatalogEdition:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(CatalogEdition, pk=pk)

    def entries_view(self, request, pk: int):
        edition = self._edition(request, pk)
        buf = io.BytesIO()
        catalog_edition_export_xlsx(edition=edition, fileobj=buf)
        return _xlsx_response(buf, f"第{edition.number}次购买服务目录.xlsx")

    def eligibility_view(self, request, pk: int):
        """Who the rules admit today and why the others are out (D9), before publishing."""
        from registry.models import Organization

        edition = self._edition(request, pk)
        result = catalog_eligibility(
            application_date=edition.application_date,
            publication_date=timezone.localdate(),
            min_age_years=edition.min_age_years,
        )
        names = dict(Organization.objects.values_list("pk", "name").iterator(chunk_size=20_000))
        rows = [(names.get(pk, pk), "符合", "") for pk in result.eligible] + [
            (names.get(pk, pk), "不符合", "；".join(reasons))
            for pk, reasons in result.ineligible.items()
        ]
        buf = io.BytesIO()
        xlsx_write(
            buf,
            headers=["社会组织名称", "审查结果", "不符合的原因"],
            rows=rows,
            widths=[40, 10, 80],
            sheet_title="资格审查",
        )
        return _xlsx_response(buf, f"第{edition.number}次目录资格审查.xlsx")

    @admin.action(description="发布所选目录（发布后不可更改）", permissions=["change"])
    def publish(self, request, queryset):
        from common.admin_actions import run_on_selection

        return run_on_selection(
            self,
            request,
            queryset,
            label="发布目录",
            form_class=PublishForm,
            apply=lambda edition, data: catalog_edition_publish(
                edition=edition, on=data["on"], actor=request.user
            ),
            intro="按发布日重新计算资格（申报基准日和发布日的信用状况都须符合，R-PUR-05），"
            "符合条件的组织除去已记录的人工排除后入选。发布后目录不可更改。",
        )


def _xlsx_response(buf: io.BytesIO, filename: str) -> HttpResponse:
    response = HttpResponse(buf.getvalue(), content_type=XLSX_CONTENT_TYPE)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@admin.register(CatalogEntry)
class CatalogEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "edition", "grade", "is_priority", "auto_admitted"]
    list_filter = ["edition", "is_priority", "grade"]
    search_fields = ["name", "=uscc"]
    list_select_related = ["edition"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
