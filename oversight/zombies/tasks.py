"""Celery entry points of the zombie cleanup: monthly detection and circulars."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from oversight.inspections.tasks import _user

# ------------------------------------------------------------------ zombie organizations (§5)


@shared_task(name="oversight.detect_zombies")
def detect_zombies_task(as_of: str | None = None) -> dict:
    """Monthly (beat): flag zombie candidates of the day (R-ZMB-01/03); idempotent per date."""
    from oversight.zombies.detection import zombie_detect

    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    result = zombie_detect(as_of=day)
    return {"as_of": day.isoformat(), "candidates": result.candidates, "created": result.created}


@shared_task(name="oversight.zombie_circulars")
def zombie_circulars_task(as_of: str | None = None, actor_id: int | None = None) -> list[int]:
    """Monthly (beat): the circular to each supervising unit with its zombie cases and credit
    listings (DESIGN.md §4.5); a second run in the month returns the same circulars."""
    from oversight.zombies.circulars import zombie_circulars_issue

    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return [c.pk for c in zombie_circulars_issue(as_of=day, actor=_user(actor_id))]
