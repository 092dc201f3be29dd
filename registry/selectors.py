"""Reads of the register shared by admin, API, exports, reports and other apps."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Count, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from .choices import LifecycleDecisionKind
from .models import LifecycleDecision, Organization, Rating


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


def current_rating_subquery(*, on: datetime.date) -> Subquery:
    """The rating valid on `on` as `{"grade", "expires_on"}` (an ISO date), or NULL, for
    annotation: one correlated subquery per row instead of one per value."""
    return Subquery(
        Rating.objects.filter(organization=OuterRef("pk"), valid_from__lte=on, expires_on__gte=on)
        .order_by("-awarded_on")
        .values(rating=JSONObject(grade="grade", expires_on="expires_on"))[:1],
        output_field=JSONField(),
    )


def lifecycle_decisions(
    *,
    kinds: Sequence[str] | None = None,
    on: datetime.date | None = None,
    since: datetime.date | None = None,
    organizations: Iterable[int] | QuerySet[Organization] | None = None,
) -> QuerySet[LifecycleDecision]:
    """登记状态决定 (R-XC-03) decided in [since, on], optionally of some kinds or some
    organizations, newest first, with the organization joined. Other apps read the register's
    decisions here, never the model (e.g. R-CRD-05(7) reads the revocations)."""
    qs = LifecycleDecision.objects.select_related("organization")
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    if on is not None:
        qs = qs.filter(decided_on__lte=on)
    if since is not None:
        qs = qs.filter(decided_on__gte=since)
    if organizations is not None:
        qs = qs.filter(organization__in=organizations)
    return qs.order_by("-decided_on", "-pk")


def revocations(
    *, on: datetime.date | None = None, since: datetime.date | None = None
) -> QuerySet[LifecycleDecision]:
    """撤销登记 decisions decided in [since, on] (R-CRD-05(7)): each with its document number,
    authority, date and evidence, whether or not the organization has since completed 注销登记."""
    return lifecycle_decisions(kinds=[LifecycleDecisionKind.REVOCATION], on=on, since=since)


USCC_LOOKUP_CHUNK = 5000


def organizations_by_uscc(
    codes: Iterable[str], *, only: Sequence[str] = (), row_version: bool = False
) -> dict[str, Organization]:
    """The organizations of `codes` by USCC, read in chunks of USCC_LOOKUP_CHUNK (an import of
    tens of thousands of rows stays a few queries, each with a bounded IN list); `only` limits
    the columns read, `row_version` adds each row's version (with_row_version). Codes with no
    organization are simply absent."""
    ordered = sorted(set(codes))
    found: dict[str, Organization] = {}
    for start in range(0, len(ordered), USCC_LOOKUP_CHUNK):
        qs = Organization.objects.filter(uscc__in=ordered[start : start + USCC_LOOKUP_CHUNK])
        if only:
            qs = qs.only(*only)
        if row_version:
            qs = with_row_version(qs)
        found.update((org.uscc, org) for org in qs)
    return found


def row_versions_available() -> bool:
    return connection.vendor == "postgresql"


def with_row_version(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Each organization read with `row_version`: which transaction wrote the row as read
    (PostgreSQL's xmin) and where that version lies (its ctid). Any later write of the row
    (a service, a set-based job, an UPDATE by hand) makes a new version, with another ctid
    and, from another transaction, another xmin; a lock or a freeze changes neither. A
    table rewrite (VACUUM FULL) moves every ctid: a change seen where there was none, never
    the reverse. Where there are no such columns the queryset is returned as it is and
    callers must not rely on a version (row_versions_available)."""
    if not row_versions_available():
        return queryset
    return queryset.annotate(row_version=RawSQL("xmin::text || ctid::text", ()))
