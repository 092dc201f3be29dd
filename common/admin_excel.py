"""Excel export of a filtered changelist and Excel import with upload → preview → confirm,
as a ModelAdmin mixin shared by every app's admin.

Domain-free on purpose (STYLE.md: common imports no app): the admin that mixes it in says
how to export a queryset, how to import a file (`commit=False` is the preview) and what to
tell the user; this module owns the views, permissions and the stored upload between the
preview and the confirmation.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .excel import XLSX_CONTENT_TYPE, ExcelFormatError

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class ExcelUploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        help_text="仅支持 .xlsx 格式；表头须与导出的文件一致，建议先导出一份作为模板。",
        error_messages={
            "required": "请选择要导入的 Excel 文件。",
            "empty": "上传的文件是空的（0 字节），请选择正确的 Excel 文件。",
        },
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                "仅支持 Excel 工作簿（.xlsx）。.xls、.csv 等文件请先在 Excel 或 WPS 中另存为 .xlsx。"
            )
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"文件过大（超过 {self.max_bytes // (1024 * 1024)} MB），请拆分后分批导入。"
            )
        return upload


class ExcelImportExportMixin:
    """Adds `<app>_<model>_export` and `<app>_<model>_import` admin views to a ModelAdmin.

    Subclasses set the `excel_*` attributes and implement `excel_export`, `excel_import`,
    `excel_import_pending` and `excel_import_done_message`. The import result must have
    `errors` (a list of `common.excel.RowError`), `is_valid` and `committed`.
    """

    excel_import_template: str = ""
    excel_import_title: str = "从 Excel 导入"
    excel_export_basename: str = "导出"
    excel_columns: Sequence[Any] = ()
    # Uploads wait here between preview and confirmation. A local temp directory is enough
    # for one web host; several hosts behind a balancer would need shared storage instead.
    excel_upload_dir: Path = Path(tempfile.gettempdir()) / "socialorg-imports"
    excel_session_key: str = "excel_imports"
    excel_ttl_seconds: int = 60 * 60
    excel_max_bytes: int = 50 * 1024 * 1024

    # ------------------------------------------------------------------ what subclasses say

    def excel_export(self, *, queryset: QuerySet, fileobj: IO[bytes]) -> int:
        raise NotImplementedError

    def excel_import(self, *, fileobj: IO[bytes], actor: Any, commit: bool) -> Any:
        raise NotImplementedError

    def excel_import_pending(self, result: Any) -> bool:
        """Whether a valid preview has anything to write (otherwise no confirm button)."""
        raise NotImplementedError

    def excel_import_done_message(self, result: Any) -> str:
        raise NotImplementedError

    # ------------------------------------------------------------------ URLs and permissions

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export_excel": self.has_view_permission(request),
            "can_import_excel": self.has_import_permission(request),
            "excel_export_url": self._excel_url("export"),
            "excel_import_url": self._excel_url("import"),
        }
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        # The changelist, and so its Excel export, starts from the same row scope as the API
        # (common.scoping): one restriction for every channel that lists records.
        queryset = super().get_queryset(request)
        return (
            queryset.restrict(request.user, "view") if hasattr(queryset, "restrict") else queryset
        )

    def _excel_url(self, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")

    # ------------------------------------------------------------------ export

    def export_view(self, request):
        """Export exactly what the changelist shows: its filters, search and ordering."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            self.message_user(request, "筛选条件无效，未能导出。", messages.ERROR)
            return HttpResponseRedirect(self._excel_url("changelist"))
        # A temp file, not memory: the workbook of a large register is tens of megabytes.
        tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
        try:
            self.excel_export(queryset=queryset, fileobj=tmp)
            tmp.seek(0)
        except BaseException:
            tmp.close()
            raise
        return FileResponse(
            tmp,
            as_attachment=True,
            filename=f"{self.excel_export_basename}-{timezone.localdate():%Y%m%d}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )

    # ------------------------------------------------------------------ import

    def _excel_form(self, *args: Any) -> ExcelUploadForm:
        return ExcelUploadForm(*args, max_bytes=self.excel_max_bytes)

    def import_view(self, request):
        """Upload → preview (counts and every error) → 确认导入 of the same stored file."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": self.excel_import_title,
            "opts": self.opts,
            "columns": self.excel_columns,
            "max_mb": self.excel_max_bytes // (1024 * 1024),
        }
        form = self._excel_form()
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request, context)
        if request.method == "POST":
            form = self._excel_form(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                token = self._import_store(request, upload)
                try:
                    with self._import_path(token).open("rb") as fh:
                        result = self.excel_import(fileobj=fh, actor=request.user, commit=False)
                except ExcelFormatError as exc:
                    self._import_discard(request, token)
                    form.add_error("file", exc.message)
                else:
                    context.update(result=result, filename=upload.name)
                    if result.is_valid and self.excel_import_pending(result):
                        context["token"] = token
                    else:
                        self._import_discard(request, token)
                    form = self._excel_form()
        context["form"] = form
        return TemplateResponse(request, self.excel_import_template, context)

    def _import_confirm(self, request, context):
        token = request.POST.get("token", "")
        entry = self._import_entry(request, token)
        file_path = self._import_path(token) if entry else None
        if file_path is None or not file_path.exists():
            self._import_discard(request, token)
            self.message_user(
                request,
                "导入预览已失效（已过期、已导入或已被取消），请重新上传文件。",
                messages.ERROR,
            )
            return HttpResponseRedirect(self._excel_url("import"))
        try:
            with file_path.open("rb") as fh:
                result = self.excel_import(fileobj=fh, actor=request.user, commit=True)
        except ExcelFormatError as exc:
            self._import_discard(request, token)
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(self._excel_url("import"))
        self._import_discard(request, token)
        if result.committed:
            self.message_user(request, self.excel_import_done_message(result), messages.SUCCESS)
            return HttpResponseRedirect(self._excel_url("changelist"))
        # The data changed between preview and confirmation: show what is wrong now.
        context.update(
            result=result,
            filename=entry.get("name", ""),
            form=self._excel_form(),
            confirm_failed=True,
        )
        return TemplateResponse(request, self.excel_import_template, context)

    def _import_path(self, token: str) -> Path:
        if not _TOKEN_RE.match(token or ""):
            raise ValueError("invalid import token")
        return self.excel_upload_dir / f"{token}.xlsx"

    def _import_entry(self, request, token: str) -> dict | None:
        if not _TOKEN_RE.match(token or ""):
            return None
        entry = request.session.get(self.excel_session_key, {}).get(token)
        if not entry or time.time() - entry.get("created", 0) > self.excel_ttl_seconds:
            return None
        return entry

    def _import_store(self, request, upload) -> str:
        self.excel_upload_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._import_prune()
        token = secrets.token_urlsafe(32)
        with self._import_path(token).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        pending = {
            key: value
            for key, value in request.session.get(self.excel_session_key, {}).items()
            if time.time() - value.get("created", 0) <= self.excel_ttl_seconds
        }
        pending[token] = {"name": upload.name, "created": time.time()}
        request.session[self.excel_session_key] = pending
        return token

    def _import_discard(self, request, token: str) -> None:
        pending = dict(request.session.get(self.excel_session_key, {}))
        if pending.pop(token, None) is not None:
            request.session[self.excel_session_key] = pending
        if _TOKEN_RE.match(token or ""):
            self._import_path(token).unlink(missing_ok=True)

    def _import_prune(self) -> None:
        # Previews that were never confirmed leave files behind; sweep them on later uploads.
        cutoff = time.time() - self.excel_ttl_seconds
        for stale in self.excel_upload_dir.glob("*.xlsx"):
            try:
                if stale.stat().st_mtime < cutoff:
                    stale.unlink(missing_ok=True)
            except OSError:
                continue
