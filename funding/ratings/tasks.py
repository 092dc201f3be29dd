"""Celery entry points of rating rounds: the daily expiry reminders (R-XC-02)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(name="funding.rating_expiry_reminders")
def rating_expiry_reminders_task(as_of: str | None = None) -> dict:
    """Daily (beat): a reminder for each grade expiring soon; idempotent per rating."""
    from funding.ratings.services import rating_expiry_reminders_create

    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    within = int(getattr(settings, "RATING_EXPIRY_REMINDER_DAYS", 180))
    created = rating_expiry_reminders_create(on=day, within_days=within)
    return {"as_of": day.isoformat(), "created": created}
