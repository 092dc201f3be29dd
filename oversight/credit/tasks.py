"""Celery entry points of the credit lists: the daily rules run (R-XC-02)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone


@shared_task(name="oversight.run_credit_rules")
def run_credit_rules_task(as_of: str | None = None) -> dict:
    """Daily (beat, 02:00): the credit rules propose pending decisions (DESIGN.md §4.4)."""
    from oversight.credit.runs import credit_rules_run

    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    result = credit_rules_run(as_of=day)
    return {
        "as_of": day.isoformat(),
        "candidates": len(result.candidates),
        "new": len(result.new),
        "obsoleted": result.obsoleted,
    }
