"""Counts of services by kind: 家次 (organizations served) and 场次 (sessions held)."""

from __future__ import annotations

import datetime

from django.db.models import Count

from .choices import ServiceKind
from .models import ServiceRecord


def service_record_counts(
    *, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, dict[str, int]]:
    """{kind: {"households": 家次, "sessions": 场次}} for services dated in [start, end]."""
    qs = ServiceRecord.objects.all()
    if start:
        qs = qs.filter(served_on__gte=start)
    if end:
        qs = qs.filter(served_on__lte=end)
    rows = qs.values("kind").annotate(
        households=Count("id"), sessions=Count("session", distinct=True)
    )
    counts = {kind: {"households": 0, "sessions": 0} for kind in ServiceKind.values}
    for row in rows.order_by():
        counts[row["kind"]] = {"households": row["households"], "sessions": row["sessions"]}
    return counts
