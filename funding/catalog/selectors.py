"""Reads of the catalog: eligibility of the whole register, the published editions."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import QuerySet

from common.eligibility import CATALOG, organization_obstacles
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


def _stream(sql: str, params, *, on: datetime.date):
    """(id, deregistering on `on`, established on) rows of `sql`, fetched in chunks."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(50_000):
            for pk, started, established in chunk:
                if isinstance(established, str):  # SQLite hands dates back as text
                    established = datetime.date.fromisoformat(established)
                    started = started and datetime.date.fromisoformat(started)
                yield pk, bool(started and started <= on), established


def catalog_eligibility(
    *, application_date: datetime.date, publication_date: datetime.date, min_age_years: int
) -> Eligibility:
    """Every organization on the register on `publication_date`, eligible or with reasons
    (D9): one query for the register, one for grades, one per obstacle provider and date."""
    # The lifecycle as it stood on the publication date (an edition of an earlier year is
    # judged by that day's register, not today's statuses). Read with a plain cursor: the
    # ORM's per-row machinery would cost more than the rules on a million rows.
    query = (
        Organization.objects.registered_on(publication_date)
        .order_by()
        .values_list("id", "deregistration_started_on", "established_on")
    )
    sql, params = query.query.sql_with_params()
    organizations = _stream(sql, params, on=publication_date)
    return catalog_decide(
        organizations=organizations,
        grades=grades_valid_on(publication_date),
        obstacles_at_application=organization_obstacles(None, application_date, purpose=CATALOG),
        obstacles_at_publication=organization_obstacles(None, publication_date, purpose=CATALOG),
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
