"""Bench section `jobs` (issue 14, scale run): every job the beat schedule holds, run once over
the bench database as the worker would (the task's own entry point, with the schedule's
arguments), each timed and each in a transaction rolled back afterwards. It runs last, over
what the other sections built: 1M organizations, ten years of reports, listings, zombie
flags, party organizations and the catalog."""

from __future__ import annotations

import argparse
import json
import time

from .core import bench, line


@bench("jobs", "every scheduled (beat) job once over the bench database")
def bench_jobs(args: argparse.Namespace, figures: dict) -> None:
    from django.db import transaction
    from django_celery_beat.models import PeriodicTask

    from config.celery import app

    app.loader.import_default_modules()  # every app's tasks.py, as a worker does
    timings = {}
    for periodic in PeriodicTask.objects.filter(enabled=True).order_by("task", "name"):
        task = app.tasks[periodic.task]
        began = time.perf_counter()
        try:
            # Rolled back: the jobs' writes (a draw, today's flags and proposals) would
            # otherwise change what the next run's sections measure.
            with transaction.atomic():
                task.apply(
                    args=json.loads(periodic.args or "[]"),
                    kwargs=json.loads(periodic.kwargs or "{}"),
                    throw=True,
                )
                transaction.set_rollback(True)
            outcome = "ok"
        except Exception as exc:  # a refusal by a rule (e.g. no inspectors) is a figure too
            outcome = f"refused: {exc}"[:90]
        seconds = time.perf_counter() - began
        line(periodic.task, f"{seconds:,.2f} s  {outcome}")
        timings[periodic.task] = f"{seconds:,.2f} s  {outcome[:40]}"
    figures["scheduled_jobs"] = timings
