"""Celery entry points of supervision: they take plain values and only call services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from celery import shared_task
from django.utils import timezone

from oversight.inspections.choices import DrawKind
from oversight.inspections.draw_services import inspection_draw_create, inspection_draw_execute
from oversight.inspections.services import missing_reports_circular_issue


@shared_task(name="oversight.inspection_draw_create")
def inspection_draw_create_task(
    kind: str,
    year: int,
    round: int = 1,
    ratio: str = "0.10",
    stratify_by: str = "",
    public_value_source: str = "",
    public_value_known_at: str | None = None,
    report_year: int | None = None,
    as_of: str | None = None,
    actor_id: int | None = None,
) -> int:
    """Step 1 of a draw; returns the draw id (the existing one when it was already created)."""
    draw, _ = inspection_draw_create(
        kind=kind,
        year=year,
        round=round,
        ratio=Decimal(ratio),
        stratify_by=stratify_by,
        public_value_source=public_value_source,
        public_value_known_at=(
            datetime.datetime.fromisoformat(public_value_known_at)
            if public_value_known_at
            else None
        ),
        report_year=report_year,
        as_of=datetime.date.fromisoformat(as_of) if as_of else None,
        actor=_user(actor_id),
    )
    return draw.pk


@shared_task(name="oversight.inspection_draw_execute")
def inspection_draw_execute_task(
    draw_id: int, public_value: str = "", actor_id: int | None = None
) -> int:
    """Step 2 of a draw; running it twice or in two workers executes the draw once."""
    draw, _ = inspection_draw_execute(
        draw_id=draw_id, public_value=public_value, actor=_user(actor_id)
    )
    return draw.pk


@shared_task(name="oversight.annual_report_audit_draw")
def annual_report_audit_draw_task(ratio: str = "0.10") -> int | None:
    """Yearly, after the bureau deadline (beat): create and execute the annual-report audit of
    last year's reports, over the register as it stands on the day (DESIGN.md §4.2). The
    draw is labelled by the year it is drawn, with last year as its report year (D16). A
    draw that declares a public value source is left for staff to execute when the value is
    out."""
    today = timezone.localdate()
    draw, _ = inspection_draw_create(
        kind=DrawKind.ANNUAL_REPORT_AUDIT,
        year=today.year,
        report_year=today.year - 1,
        ratio=Decimal(ratio),
        as_of=today,
    )
    if not draw.public_value_source:
        inspection_draw_execute(draw_id=draw.pk)
    return draw.pk


@shared_task(name="oversight.missing_annual_reports")
def missing_annual_reports_task(year: int | None = None) -> int | None:
    """After the statutory deadline: issue the circular listing organizations with no report."""
    today = timezone.localdate()
    circular = missing_reports_circular_issue(year=year or today.year - 1, as_of=today)
    return circular.pk if circular else None


def _user(user_id: int | None):
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()
