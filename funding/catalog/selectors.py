"""Reads of the catalog: eligibility of the whole register, the published editions."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from itertools import chain

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from common.eligibility import CATALOG, eligibility_snapshot, organization_obstacles
from common.gcpause import cyclic_gc_paused
from registry.models import Organization, Rating

from .choices import EditionStatus
from .models import CatalogEdition, CatalogEntry
from .rules import Eligibility, catalog_decide


def grades_valid_on(on: datetime.date) -> dict[int, str]:
    """{organization id: grade} of the ratings valid on `on`, the latest award winning."""
    rows = (
        Rating.objects.filter(valid_from__lte=on, expires_on__gte=on)
        .order_by("awarded_on", "id")
        .values_list("organization_id", "grade")
    )
    return dict(rows.iterator(chunk_size=10_000))


def _organization_rows(
    publication_date: datetime.date,
) -> Iterator[tuple[int, bool, datetime.date]]:
    """(id, deregistering on the day, established on) of every organization on the register
    on `publication_date`, as the lifecycle stood that day (an edition of an earlier year is
    judged by that day's register, not today's statuses). Read with a plain cursor in chunks,
    the rows handed on as the driver returns them: the ORM's per-row machinery, or a Python
    generator per row, would cost more than the rules on a million rows."""
    query = (
        Organization.objects.registered_on(publication_date)
        .order_by()
        .annotate(
            deregistering=ExpressionWrapper(
                Q(deregistration_started_on__lte=publication_date), output_field=BooleanField()
            )
        )
        .values_list("id", "deregistering", "established_on")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        chunks = iter(lambda: cursor.fetchmany(50_000), [])
        if connection.vendor == "postgresql":
            yield from chain.from_iterable(chunks)
            return
        for chunk in chunks:  # SQLite: booleans come back as 0/1 or None
            for pk, deregistering, established in chunk:
                if isinstance(established, str):  # an expression's date comes back as text
                    established = datetime.date.fromisoformat(established)
                yield pk, bool(deregistering), established


def catalog_eligibility(
    *, application_date: datetime.date, publication_date: datetime.date, min_age_years: int
) -> Eligibility:
    """Every organization on the register on `publication_date`, eligible or with reasons
    (D9): one query for the register, one for grades, one per obstacle provider and date."""
    with cyclic_gc_paused():
        with eligibility_snapshot():  # one read of what the two dates share
            at_application = organization_obstacles(None, application_date, purpose=CATALOG)
            at_publication = organization_obstacles(None, publication_date, purpose=CATALOG)
        return catalog_decide(
            organizations=_organization_rows(publication_date),
            grades=grades_valid_on(publication_date),
            obstacles_at_application=at_application,
            obstacles_at_publication=at_publication,
            publication_date=publication_date,
            min_age_years=min_age_years,
        )


def catalog_current_edition() -> CatalogEdition | None:
    """The latest published edition (the one in force), or None."""
    return CatalogEdition.objects.filter(status=EditionStatus.PUBLISHED).order_by("-number").first()


def catalog_published_editions() -> QuerySet[CatalogEdition]:
    return CatalogEdition.objects.filter(status=EditionStatus.PUBLISHED).order_by("-number")


def catalog_entries(*, edition: CatalogEdition, search: str = "") -> QuerySet[CatalogEntry]:
    """An edition's entries, priority first, optionally matching a name or USCC fragment."""
    qs = CatalogEntry.objects.filter(edition=edition)
    search = search.strip()
    if search:
        qs = qs.filter(name__icontains=search) | qs.filter(uscc__istartswith=search.upper())
    return qs.order_by("-is_priority", "name", "id")
