"""oversight 0006 gives a database migrated before 0003 was edited the schedules it lacks."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

migration = importlib.import_module("oversight.migrations.0006_missing_beat_schedules")
LATE = ["oversight.run_credit_rules", "oversight.detect_zombies", "oversight.zombie_circulars"]


@pytest.mark.django_db
def test_the_schedules_added_to_0003_later_are_created_where_missing():
    # A database migrated with the first version of 0003 had only the two yearly jobs.
    PeriodicTask.objects.filter(task__in=LATE).delete()

    migration.create_missing(apps, None)

    tasks = dict(PeriodicTask.objects.values_list("task", "crontab__hour"))
    assert {s[1] for s in migration.SCHEDULES} <= set(tasks)
    assert tasks["oversight.run_credit_rules"] == "2"
    assert PeriodicTask.objects.get(task="oversight.zombie_circulars").crontab.minute == "30"


@pytest.mark.django_db
def test_it_is_idempotent_and_keeps_what_staff_renamed_or_retimed():
    renamed = PeriodicTask.objects.get(task="oversight.detect_zombies")
    renamed.name = "僵尸组织检测（每周）"
    renamed.save()
    before = PeriodicTask.objects.count()

    migration.create_missing(apps, None)
    migration.create_missing(apps, None)

    assert PeriodicTask.objects.count() == before
    assert PeriodicTask.objects.filter(task="oversight.detect_zombies").count() == 1
    assert PeriodicTask.objects.get(task="oversight.detect_zombies").name == "僵尸组织检测（每周）"
