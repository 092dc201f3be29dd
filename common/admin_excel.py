"""Excel export of a filtered changelist and Excel import with upload → preview → confirm,
as a ModelAdmin mixin shared by every app's admin.

Domain-free on purpose (STYLE.md: common imports no app): the admin that mixes it in says
how to export a queryset, how to import a file (`commit=False` is the preview) and what to
tell the user; this module owns the views, permissions and the stored upload between the
preview and the confirmation.
"""

from __future__ import annotations

import datetime
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
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .admin_export_jobs import (
    background_export_rows,
    export_file_name,
    export_job_get,
    export_job_start,
    export_link_state,
    stored_files_prune,
)
from .admin_import_jobs import (
    COMMIT,
    PREVIEW,
    import_progress,
    job_key,
    progress_key,
    progress_reporter,
    sheet_memo_load,
    sheet_memo_store,
    upload_delete,
)
from .audit import record
from .audit_models import AuditAction
from .excel import XLSX_CONTENT_TYPE, ExcelFormatError
from .gcpause import cyclic_gc_paused
from .sheet_memo import SheetMemo

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
IMPORT_STORAGE_PREFIX = "imports/pending/"
PROGRESS_STAGES = {"read": "已读取", "validated": "已校验", "written": "已写入"}


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
    # Unused since uploads wait in the default storage (excel_upload_name); kept so the
    # apps that still set it keep importing.
    excel_upload_dir: Path = Path(tempfile.gettempdir()) / "socialorg-imports"
    excel_session_key: str = "excel_imports"
    excel_ttl_seconds: int = 60 * 60
    excel_max_bytes: int = 50 * 1024 * 1024
    # True when `excel_import` takes `progress=` (a callable(stage, done, total)) and reports
    # rows read / validated / written to the waiting page's progress bar.
    excel_import_reports_progress: bool = False

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
                "export/<str:token>/",
                self.admin_site.admin_view(self.export_job_view),
                name="{}_{}_export_job".format(*info),
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

    def _excel_url(self, name: str, *args: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

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
        if (total := queryset.count()) > background_export_rows():
            token = export_job_start(
                model_admin=self, user=request.user, query=request.GET.urlencode(), total=total
            )
            return HttpResponseRedirect(self._excel_url("export_job", token))
        # A temp file, not memory: the workbook of a large register is tens of megabytes.
        tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
        try:
            rows = self.excel_export(queryset=queryset, fileobj=tmp)
            tmp.seek(0)
        except BaseException:
            tmp.close()
            raise
        record(
            action=AuditAction.EXPORT,
            user=request.user,
            object_type=self.opts.label_lower,
            object_repr=str(self.opts.verbose_name_plural),
            detail=f"{rows} 行；条件：{request.GET.urlencode() or '（全部）'}",
        )
        return FileResponse(
            tmp,
            as_attachment=True,
            filename=f"{self.excel_export_basename}-{timezone.localdate():%Y%m%d}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )

    def export_job_view(self, request, token: str):
        """A background export: the waiting page, then its file (`?download=1`) until the
        link expires. Another user's token answers 404, as if it did not exist."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = export_job_get(token) if _TOKEN_RE.match(token) else None
        state = export_link_state(job, request.user)
        if state == "missing":
            raise Http404
        if state == "ready" and request.GET.get("download"):
            return FileResponse(
                default_storage.open(export_file_name(token), "rb"),
                as_attachment=True,
                filename=f"{self.excel_export_basename}-{timezone.localdate():%Y%m%d}.xlsx",
                content_type=XLSX_CONTENT_TYPE,
            )
        if state == "expired":
            default_storage.delete(export_file_name(token))
        context = {
            **self.admin_site.each_context(request),
            "title": f"导出{self.opts.verbose_name_plural}",
            "opts": self.opts,
            "job": job,
            "state": state,
            "expires_at": datetime.datetime.fromtimestamp(job.get("expires", 0), tz=datetime.UTC),
        }
        return TemplateResponse(request, "admin/common/excel_export_wait.html", context)

    # ------------------------------------------------------------------ import

    def _excel_form(self, *args: Any) -> ExcelUploadForm:
        return ExcelUploadForm(*args, max_bytes=self.excel_max_bytes)

    def _import_context(self, request) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": self.excel_import_title,
            "opts": self.opts,
            "columns": self.excel_columns,
            "max_mb": self.excel_max_bytes // (1024 * 1024),
        }

    def import_view(self, request):
        """Upload → preview (counts and every error) → 确认导入 of the same stored file.

        The file waits in the default storage; parsing and writing run in a Celery worker
        (common.tasks.excel_import_job), never in the web request. When the task has already
        finished (in-process tasks, or a quick worker) the answer is shown at once; otherwise
        the page polls `?job=<token>&phase=…` until the worker has stored its outcome."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = self._import_context(request)
        form = self._excel_form()
        if request.method == "GET" and "job" in request.GET:
            return self._import_poll(request, context)
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request, context)
        if request.method == "POST":
            form = self._excel_form(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                token = self._import_store(request, upload)
                return self._import_dispatch(request, context, token, phase=PREVIEW)
        context["form"] = form
        return TemplateResponse(request, self.excel_import_template, context)

    def _import_dispatch(self, request, context, token: str, *, phase: str):
        from .tasks import excel_import_job

        cache.delete(job_key(token, phase))
        cache.delete(progress_key(token, phase))
        excel_import_job.delay(
            admin_label=self.opts.label_lower,
            token=token,
            user_id=request.user.pk,
            phase=phase,
        )
        return self._import_outcome(request, context, token, phase=phase)

    def _import_poll(self, request, context):
        token, phase = request.GET.get("job", ""), request.GET.get("phase", PREVIEW)
        if phase not in (PREVIEW, COMMIT) or self._import_entry(request, token) is None:
            self.message_user(request, "导入任务已失效，请重新上传文件。", messages.ERROR)
            return HttpResponseRedirect(self._excel_url("import"))
        return self._import_outcome(request, context, token, phase=phase)

    def _import_outcome(self, request, context, token: str, *, phase: str):
        """Render what the worker stored for (token, phase), or the waiting page."""
        outcome = cache.get(job_key(token, phase))
        entry = self._import_entry(request, token) or {}
        if outcome is None:
            progress = import_progress(token, phase) or {}
            context.update(
                job=token,
                phase=phase,
                filename=entry.get("name", ""),
                progress=progress,
                progress_label=PROGRESS_STAGES.get(progress.get("stage", ""), ""),
            )
            return TemplateResponse(request, "admin/common/excel_import_wait.html", context)
        cache.delete(job_key(token, phase))
        if outcome.get("error"):
            self._import_discard(request, token)
            if phase == COMMIT:
                self.message_user(request, outcome["error"], messages.ERROR)
                return HttpResponseRedirect(self._excel_url("import"))
            form = self._excel_form()
            # Shown on the upload field as a validation error would be (the upload itself
            # is gone: the worker refused it).
            form.full_clean()
            form.cleaned_data = {}
            form.add_error("file", outcome["error"])
            context["form"] = form
            return TemplateResponse(request, self.excel_import_template, context)
        result = outcome["result"]
        if phase == COMMIT:
            return self._import_committed(request, context, token, entry, result)
        context.update(result=result, filename=entry.get("name", ""), form=self._excel_form())
        if result.is_valid and self.excel_import_pending(result):
            context["token"] = token
        else:
            self._import_discard(request, token)
        return TemplateResponse(request, self.excel_import_template, context)

    def _import_committed(self, request, context, token, entry, result):
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

    def _import_confirm(self, request, context):
        token = request.POST.get("token", "")
        entry = self._import_entry(request, token)
        if entry is None or not default_storage.exists(self.excel_upload_name(token)):
            self._import_discard(request, token)
            self.message_user(
                request,
                "导入预览已失效（已过期、已导入或已被取消），请重新上传文件。",
                messages.ERROR,
            )
            return HttpResponseRedirect(self._excel_url("import"))
        return self._import_dispatch(request, context, token, phase=COMMIT)

    # ------------------------------------------------------------------ the worker's side

    def excel_import_run(self, *, token: str, actor: Any, phase: str) -> dict:
        """Parse (preview) or write (commit) the stored upload; the outcome is a dict with
        `result` or `error`. The file is removed on every path except a valid preview that
        waits for its confirmation."""
        name = self.excel_upload_name(token)
        keep = False
        extra = {"progress": progress_reporter(token, phase)}
        if not self.excel_import_reports_progress:
            extra = {}
        # The preview parses the file and keeps the sheet beside it; the commit reads that
        # instead of parsing the same file again (common.sheet_memo).
        memo = sheet_memo_load(name) if phase == COMMIT else SheetMemo()
        try:
            # An import keeps every row it reads, 10⁵ containers and more, none in a
            # reference cycle: the cyclic collector's passes over them cost a tenth of the
            # phase (common.gcpause).
            with default_storage.open(name, "rb") as fh, cyclic_gc_paused():
                fh.sheet_memo = memo
                result = self.excel_import(fileobj=fh, actor=actor, commit=phase == COMMIT, **extra)
        except FileNotFoundError:
            return {"error": "导入预览已失效（已过期、已导入或已被取消），请重新上传文件。"}
        except ExcelFormatError as exc:
            return {"error": exc.message}
        else:
            keep = phase == PREVIEW and result.is_valid and self.excel_import_pending(result)
            if keep and memo.sheet is not None:
                sheet_memo_store(name, memo)
            if phase == COMMIT and result.committed:
                record(
                    action=AuditAction.IMPORT,
                    user=actor,
                    object_type=self.opts.label_lower,
                    object_repr=str(self.opts.verbose_name_plural),
                    detail=self.excel_import_done_message(result),
                )
            return {"result": result}
        finally:
            if not keep:
                upload_delete(name)

    # ------------------------------------------------------------------ stored uploads

    def excel_upload_name(self, token: str) -> str:
        """Where an upload waits in the default storage (MEDIA_ROOT, or the shared storage
        of a multi-host deployment, so the worker reads what the web host received)."""
        if not _TOKEN_RE.match(token or ""):
            raise ValueError("invalid import token")
        return f"{IMPORT_STORAGE_PREFIX}{self.opts.app_label}_{self.opts.model_name}/{token}.xlsx"

    def _import_entry(self, request, token: str) -> dict | None:
        if not _TOKEN_RE.match(token or ""):
            return None
        entry = request.session.get(self.excel_session_key, {}).get(token)
        if not entry or time.time() - entry.get("created", 0) > self.excel_ttl_seconds:
            return None
        return entry

    def _import_store(self, request, upload) -> str:
        self._import_prune()
        token = secrets.token_urlsafe(32)
        default_storage.save(self.excel_upload_name(token), upload)
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
            upload_delete(self.excel_upload_name(token))

    def _import_prune(self) -> None:
        # Previews that were never confirmed leave files behind; sweep them on later uploads.
        folder = self.excel_upload_name("x" * 32).rsplit("/", 1)[0]
        stored_files_prune(folder, seconds=self.excel_ttl_seconds)
