"""Background Excel exports (issue 14 item 3): a changelist export of more rows than
`EXCEL_BACKGROUND_EXPORT_ROWS` (default 20,000) is written by a Celery worker
(common.tasks.excel_export_job) instead of the web request. The clerk waits on a page with a
progress bar; the finished workbook is offered by a link that only its requester can use and
that expires after `EXCEL_EXPORT_LINK_SECONDS` (default one hour), after which the file is
deleted.

The worker rebuilds the queryset from the changelist's own query string and the requester's
account — the same filters, search, ordering and scope (common.scoping) as the page showed.
The workbook is written to a temporary file and stored only when complete, so a failed or
killed job leaves nothing behind and running it again writes it whole."""

from __future__ import annotations

import datetime
import secrets
import tempfile
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from .audit import record
from .audit_models import AuditAction

EXPORT_STORAGE_PREFIX = "exports/ready/"
EXPORT_FAILED = "导出处理失败，未生成文件。请稍后重试；如仍失败请联系系统管理员。"
PROGRESS_EVERY_SECONDS = 0.5


def background_export_rows() -> int:
    return getattr(settings, "EXCEL_BACKGROUND_EXPORT_ROWS", 20_000)


def export_link_seconds() -> int:
    return getattr(settings, "EXCEL_EXPORT_LINK_SECONDS", 60 * 60)


def _job_key(token: str) -> str:
    return f"excel-export:{token}"


def export_file_name(token: str) -> str:
    return f"{EXPORT_STORAGE_PREFIX}{token}.xlsx"


def export_job_get(token: str) -> dict | None:
    return cache.get(_job_key(token))


def _job_set(token: str, job: dict) -> None:
    # The entry outlives the link by a little, so an expired link says "expired", not "unknown".
    cache.set(_job_key(token), job, export_link_seconds() + 600)


def export_job_start(*, model_admin: Any, user: Any, query: str, total: int) -> str:
    """Queue the export of `model_admin`'s changelist under `query` for `user`; return its token."""
    from .tasks import excel_export_job

    export_files_prune()
    token = secrets.token_urlsafe(32)
    _job_set(
        token,
        {
            "user_id": user.pk,
            "query": query,
            "state": "queued",
            "done": 0,
            "total": total,
        },
    )
    excel_export_job.delay(
        admin_label=model_admin.opts.label_lower, token=token, user_id=user.pk, query=query
    )
    return token


def _progress_reporter(token: str, job: dict):
    last = {"at": 0.0}

    def report(done: int) -> None:
        now = time.monotonic()
        if now - last["at"] < PROGRESS_EVERY_SECONDS:
            return
        last["at"] = now
        _job_set(token, {**job, "state": "running", "done": done})

    return report


def excel_export_job_run(*, admin_label: str, token: str, user_id: int, query: str) -> None:
    """The worker's side: rebuild the changelist's queryset, write the workbook, store it."""
    from django.apps import apps
    from django.contrib import admin

    job = export_job_get(token) or {"user_id": user_id, "query": query, "total": 0}
    model_admin = admin.site._registry[apps.get_model(admin_label)]
    # Deactivated (or removed) since queuing: the job fails, it does not wait for ever.
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    request = RequestFactory().get("/", QueryDict(query))
    request.user = user
    if user is None or not model_admin.has_view_permission(request):
        _job_set(token, {**job, "state": "failed", "error": "没有查看权限，未导出。"})
        return
    report = _progress_reporter(token, job)
    try:
        queryset = model_admin.get_changelist_instance(request).get_queryset(request)
        with tempfile.TemporaryFile(suffix=".xlsx") as tmp:
            rows = model_admin.excel_export(queryset=_counted(queryset, report), fileobj=tmp)
            tmp.seek(0)
            default_storage.delete(export_file_name(token))  # a re-run replaces, never appends
            default_storage.save(export_file_name(token), File(tmp))
    except Exception:
        default_storage.delete(export_file_name(token))
        _job_set(token, {**job, "state": "failed", "error": EXPORT_FAILED})
        raise
    record(
        action=AuditAction.EXPORT,
        user=user,
        object_type=model_admin.opts.label_lower,
        object_repr=str(model_admin.opts.verbose_name_plural),
        detail=f"{rows} 行（后台导出）；条件：{query or '（全部）'}",
    )
    _job_set(
        token,
        {
            **job,
            "state": "done",
            "done": rows,
            "rows": rows,
            "expires": time.time() + export_link_seconds(),
        },
    )


class _counted:
    """The queryset, with `.iterator()` reporting rows as they stream; every method that
    derives a queryset (values_list, select_related, filter, …) hands back a counted one, so
    the bar moves whatever chain an exporter reads through."""

    def __init__(self, queryset, report):
        self._queryset, self._report = queryset, report

    def __getattr__(self, name):
        attr = getattr(self._queryset, name)
        if not callable(attr):
            return attr

        def derived(*args, **kwargs):
            result = attr(*args, **kwargs)
            return _counted(result, self._report) if isinstance(result, QuerySet) else result

        return derived

    def iterator(self, *args, **kwargs):
        for done, row in enumerate(self._queryset.iterator(*args, **kwargs), start=1):
            self._report(done)
            yield row


def export_link_state(job: dict | None, user) -> str:
    """'missing' (unknown, or another user's), 'expired', 'failed', 'pending' or 'ready'."""
    if job is None or job.get("user_id") != user.pk:
        return "missing"
    if job.get("state") == "failed":
        return "failed"
    if job.get("state") != "done":
        return "pending"
    if time.time() > job["expires"]:
        return "expired"
    return "ready"


def export_files_prune() -> None:
    """Delete finished exports whose link has expired (swept on each new background export)."""
    stored_files_prune(EXPORT_STORAGE_PREFIX.rstrip("/"), seconds=export_link_seconds())


def stored_files_prune(folder: str, *, seconds: int) -> None:
    """Delete the files of `folder` in the default storage older than `seconds`."""
    cutoff = timezone.now() - datetime.timedelta(seconds=seconds)
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except OSError:
            continue
