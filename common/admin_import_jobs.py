"""The background side of the admin's Excel import (common.admin_excel): the keys under
which a worker leaves its outcome and progress for the polling page, the parsed sheet kept
beside a stored upload between the preview and the commit, and the worker's entry point
(common.tasks.excel_import_job)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .sheet_memo import SheetMemo

PREVIEW, COMMIT = "preview", "commit"
JOB_RESULT_TTL = 60 * 60
# The waiting page's progress bar is refreshed from the cache at most this often per job.
PROGRESS_EVERY_SECONDS = 0.5
IMPORT_FAILED = "导入处理失败，未写入任何数据。请稍后重试；如仍失败请联系系统管理员。"


def _memo_name(upload_name: str) -> str:
    return upload_name + ".sheet"


def sheet_memo_load(upload_name: str) -> SheetMemo | None:
    """The sheet the preview parsed, if it is there and signed by this deployment."""
    try:
        with default_storage.open(_memo_name(upload_name), "rb") as fh:
            return SheetMemo.loads(fh.read())
    except FileNotFoundError:
        return None


def sheet_memo_store(upload_name: str, memo: SheetMemo) -> None:
    try:
        data = memo.dumps()
    except TypeError:  # a cell of a type the memo does not keep: the commit parses again
        return
    default_storage.delete(_memo_name(upload_name))
    default_storage.save(_memo_name(upload_name), ContentFile(data))


def upload_delete(upload_name: str) -> None:
    default_storage.delete(upload_name)
    default_storage.delete(_memo_name(upload_name))


def job_key(token: str, phase: str) -> str:
    return f"excel-import:{token}:{phase}"


def progress_key(token: str, phase: str) -> str:
    return f"excel-import:{token}:{phase}:progress"


def import_progress(token: str, phase: str) -> dict | None:
    """What the worker last reported for (token, phase): stage, done, total."""
    return cache.get(progress_key(token, phase))


def progress_reporter(token: str, phase: str):
    """A progress callback for the worker: it stores {stage, done, total} in the cache the
    web servers share, at most every PROGRESS_EVERY_SECONDS (and always at a stage's end),
    so a 200k-row file costs a few hundred cache writes, not one per row."""
    last = {"at": 0.0, "stage": ""}

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == last["stage"] and done < total and now - last["at"] < PROGRESS_EVERY_SECONDS:
            return
        last.update(at=now, stage=stage)
        cache.set(
            progress_key(token, phase),
            {"stage": stage, "done": done, "total": total},
            JOB_RESULT_TTL,
        )

    return report


def excel_import_job_run(*, admin_label: str, token: str, user_id: int | None, phase: str) -> None:
    """The worker's entry (common.tasks.excel_import_job): find the ModelAdmin that owns the
    upload, run it, and leave the outcome in the cache for the polling page."""
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    model = apps.get_model(admin_label)
    model_admin = admin.site._registry[model]
    actor = get_user_model().objects.filter(pk=user_id).first()
    try:
        outcome = model_admin.excel_import_run(token=token, actor=actor, phase=phase)
    except Exception:
        # The file is already gone (excel_import_run's finally); tell the page, then fail loudly.
        cache.set(job_key(token, phase), {"error": IMPORT_FAILED}, JOB_RESULT_TTL)
        raise
    cache.set(job_key(token, phase), outcome, JOB_RESULT_TTL)
