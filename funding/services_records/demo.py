"""Demo service records (seed letter): 5,000 annual-report trainings (家次), 550
qualification pre-reviews, 50 rating-evaluation services, and 1,020 finance/HR services in
500 sessions — each one a record through `service_record_create`, counted by aggregates."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from registry.models import Organization

from .choices import ServiceKind
from .models import ServiceRecord
from .services import service_record_create

SERVICE_SEED = 20150415
FIRST_YEAR, LAST_YEAR = 2015, 2022
# kind → (records, sessions, session code, month of the year they are held in)
PLAN = {
    ServiceKind.ANNUAL_REPORT_TRAINING: (5000, 40, "NB", 3),
    ServiceKind.QUALIFICATION_PREREVIEW: (550, 8, "ZS", 6),
    ServiceKind.RATING_SERVICE: (50, 6, "PG", 9),
    ServiceKind.FINANCE_HR: (1020, 500, "CW", None),
}


def _sessions(kind, records: int, sessions: int, code: str, month):
    """(session code, date, organizations served) per session, sizes differing by ≤ 1."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    for i in range(sessions):
        size = records // sessions + (1 if i < records % sessions else 0)
        year = years[i * len(years) // sessions]
        if month is None:  # finance/HR sessions spread over the months of the year
            day = datetime.date(year, 1 + i % 6 if year == LAST_YEAR else 1 + i % 12, 10 + i % 15)
        else:
            day = datetime.date(year, month, 10 + i % 15)
        yield f"{year}-{code}-{i + 1:03d}", day, size


def services_demo_seed() -> int:
    """Seed the demo service records once; returns the records created."""
    if ServiceRecord.objects.exists():
        return 0
    rng = random.Random(SERVICE_SEED)
    created = 0
    with transaction.atomic():
        for kind, (records, sessions, code, month) in PLAN.items():
            for session, day, size in _sessions(kind, records, sessions, code, month):
                pool = list(Organization.objects.registered_on(day).order_by("uscc"))
                for org in rng.sample(pool, size):
                    service_record_create(organization=org, kind=kind, on=day, session=session)
                    created += 1
    return created
