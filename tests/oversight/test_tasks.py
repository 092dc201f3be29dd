"""Celery entry points of supervision: eager unit tests, the beat schedules, and a draw
executed by a real worker over Redis."""

from __future__ import annotations

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django_celery_beat.models import PeriodicTask

import oversight.tasks  # noqa: F401  (what a worker's autodiscovery imports)
from config.celery import app
from oversight.inspections.choices import DrawKind, DrawStatus
from oversight.inspections.models import Circular, InspectionDraw
from oversight.inspections.tasks import (
    annual_report_audit_draw_task,
    inspection_draw_create_task,
    inspection_draw_execute_task,
    missing_annual_reports_task,
)
from tests.oversight.factories import InspectorFactory
from tests.registry.factories import OrganizationFactory


@pytest.fixture
def population(db):
    for _ in range(12):
        OrganizationFactory(established_on=datetime.date(2015, 1, 1))
    InspectorFactory.create_batch(3)


def test_beat_schedules_exist_and_name_registered_tasks(db):
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "oversight.annual_report_audit_draw",
        "oversight.missing_annual_reports",
        "oversight.run_credit_rules",
        "oversight.detect_zombies",
        "oversight.zombie_circulars",
    } <= names
    app.autodiscover_tasks(force=True)  # what a worker imports: every app's tasks module
    for task in names - {"celery.backend_cleanup"}:
        assert task in app.tasks, task


def test_create_and_execute_tasks_are_idempotent(population):
    draw_id = inspection_draw_create_task.apply(
        kwargs={"kind": DrawKind.SPECIAL_INSPECTION, "year": 2022, "as_of": "2022-06-01"}
    ).get()
    again = inspection_draw_create_task.apply(
        kwargs={"kind": DrawKind.SPECIAL_INSPECTION, "year": 2022, "as_of": "2022-06-01"}
    ).get()
    assert draw_id == again and InspectionDraw.objects.count() == 1
    inspection_draw_execute_task.apply(args=[draw_id]).get()
    inspection_draw_execute_task.apply(args=[draw_id]).get()
    draw = InspectionDraw.objects.get()
    assert draw.status == DrawStatus.EXECUTED and draw.inspections.count() == draw.sample_size


def test_yearly_audit_task_draws_last_years_reports(population, monkeypatch):
    """D16: the 2023 draw, labelled by the year it is drawn, audits the 2022 reports."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2023, 6, 1))
    draw_id = annual_report_audit_draw_task.apply().get()
    draw = InspectionDraw.objects.get(pk=draw_id)
    assert (draw.kind, draw.year, draw.report_year, draw.status) == (
        DrawKind.ANNUAL_REPORT_AUDIT,
        2023,
        2022,
        DrawStatus.EXECUTED,
    )
    assert draw.population_size == 12 and draw.sample_size == 1


def test_missing_reports_task_issues_the_circular(population, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2023, 6, 1))
    circular_id = missing_annual_reports_task.apply().get()
    assert Circular.objects.get(pk=circular_id).title.startswith("2022年度")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_creates_and_executes_a_draw_over_redis():
    for _ in range(12):
        OrganizationFactory(established_on=datetime.date(2015, 1, 1))
    InspectorFactory.create_batch(3)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            draw_id = inspection_draw_create_task.delay(
                kind=DrawKind.FINANCIAL_AUDIT, year=2022, as_of="2022-06-01"
            ).get(timeout=60)
            first = inspection_draw_execute_task.delay(draw_id=draw_id)
            second = inspection_draw_execute_task.delay(draw_id=draw_id)
            assert first.get(timeout=60) == second.get(timeout=60) == draw_id
    finally:
        app.conf.task_always_eager = True
    draw = InspectionDraw.objects.get(pk=draw_id)
    assert draw.status == DrawStatus.EXECUTED
    assert draw.inspections.count() == draw.sample_size == 1
