"""Admin pieces every supervision subject shares: records nobody deletes, file downloads."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html


class RecordAdminMixin:
    """Supervision records are kept for good: nobody deletes them from the admin."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# ---------------------------------------------------------------------------- other records


class FileDownloadMixin:
    """Serve an uploaded file to staff who may view the record: media is not public."""

    download_fields: tuple[str, ...] = ()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/download/<str:field>/",
                self.admin_site.admin_view(self.download_view),
                name="{}_{}_download".format(*info),
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int, field: str):
        if field not in self.download_fields:
            raise Http404
        obj = self.get_object(request, str(pk))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        stored = getattr(obj, field)
        if not stored:
            raise Http404
        return FileResponse(stored.open("rb"), as_attachment=True, filename=Path(stored.name).name)

    def download_link(self, obj, field: str) -> str:
        stored = getattr(obj, field)
        if not stored:
            return "—"
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_download", args=[obj.pk, field]
        )
        return format_html('<a href="{}">下载 {}</a>', url, Path(stored.name).name)
