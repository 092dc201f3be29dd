"""Reads of the register shared by admin, API, exports, reports and other apps."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, QuerySet, Subquery

from .models import Organization, Rating


def organizations_registered_on(*, day: datetime.date) -> QuerySet[Organization]:
    """The register as it stood on `day` (DESIGN.md §3): established, not yet deregistered or revoked."""
    return Organization.objects.registered_on(day)


def organization_counts_registered_on(*, day: datetime.date) -> dict[str, int]:
    """Registered organizations on `day` by type, plus industry associations and the total."""
    qs = organizations_registered_on(day=day)
    by_type = dict(qs.values_list("org_type").annotate(n=Count("id")).order_by())
    return {
        **by_type,
        "industry_association": qs.filter(is_industry_association=True).count(),
        "total": sum(by_type.values()),
    }


def current_rating_subquery(*, field: str = "grade", on: datetime.date) -> Subquery:
    """The grade (or another field) of the rating valid on `on`, for annotation."""
    return Subquery(
        Rating.objects.filter(organization=OuterRef("pk"), valid_from__lte=on, expires_on__gte=on)
        .order_by("-awarded_on")
        .values(field)[:1]
    )
