"""Writes of service records."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from registry.models import Organization

from .models import ServiceRecord


@transaction.atomic
def service_record_create(
    *,
    organization: Organization,
    kind: str,
    on: datetime.date,
    session: str,
    notes: str = "",
    actor: Any = None,
) -> ServiceRecord:
    """记录一家次服务 in a session of a kind."""
    record = ServiceRecord(
        organization=organization, kind=kind, served_on=on, session=session.strip(), notes=notes
    )
    record.full_clean()
    record.save()
    return record
