"""Reads of the credit lists: active listings, derived credit standing, the public lists.

Credit standing is never stored (R-XC-01, DESIGN.md §3): serious when the organization has an
active serious listing, else abnormal when it has an active abnormal one, else none. A
listing is active on a date when it is in effect by then (its effective date) and no removal
decided by then closes it: `rules.base.active_listing_rows`, the one definition.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from oversight.credit.choices import CreditList, CreditStanding, RemovalApplicationStatus
from oversight.credit.models import (
    CreditListing,
    CreditRemoval,
    CreditRemovalApplication,
    SpecialLetter,
)
from oversight.credit.rules.base import active_listing_rows
from registry.models import Organization


def unsigned_letter_q(*, on: datetime.date) -> Q:
    """D15, the one definition of an unsigned special letter on `on`: not signed for, and its
    return (退回) recorded by then — a letter still in transit proves nothing yet. The credit
    rule R-CRD-03 and zombie criterion R-ZMB-01(4) both read it (via `unsigned_letters`)."""
    return Q(signed_for=False, returned_on__isnull=False, returned_on__lte=on)


def unsigned_letters(*, on: datetime.date) -> QuerySet[SpecialLetter]:
    """The special letters unsigned on `on` (D15, `unsigned_letter_q`), sent by then."""
    return SpecialLetter.objects.filter(unsigned_letter_q(on=on), sent_on__lte=on)


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def active_listings(*, on: datetime.date | None = None) -> QuerySet[CreditListing]:
    """Listings in force on `on` (default today)."""
    return active_listing_rows(on=_today(on))


def credit_standing_annotation(*, on: datetime.date | None = None) -> Case:
    """An expression for Organization querysets: the credit standing on `on` (CreditStanding)."""
    day = _today(on)

    def active_on(list_type: str) -> Exists:
        return Exists(
            active_listing_rows(on=day, list_type=list_type).filter(organization=OuterRef("pk"))
        )

    return Case(
        When(active_on(CreditList.SERIOUS), then=Value(CreditStanding.SERIOUS)),
        When(active_on(CreditList.ABNORMAL), then=Value(CreditStanding.ABNORMAL)),
        default=Value(CreditStanding.NONE),
        output_field=CharField(),
    )


def organizations_with_credit_standing(
    qs: QuerySet[Organization] | None = None, *, on: datetime.date | None = None
) -> QuerySet[Organization]:
    """`qs` (default: every organization) annotated with `credit_standing`."""
    qs = Organization.objects.all() if qs is None else qs
    return qs.annotate(credit_standing=credit_standing_annotation(on=on))


def organizations_by_credit_standing(
    standing: str,
    *,
    qs: QuerySet[Organization] | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Organization]:
    """`qs` restricted to one credit standing on `on`, as semi-joins (an admin list filter or an
    export filter of the register calls this; the register itself cannot import oversight)."""
    qs = Organization.objects.all() if qs is None else qs
    day = _today(on)
    serious = active_listing_rows(on=day, list_type=CreditList.SERIOUS).values("organization_id")
    abnormal = active_listing_rows(on=day, list_type=CreditList.ABNORMAL).values("organization_id")
    if standing == CreditStanding.SERIOUS:
        return qs.filter(pk__in=serious)
    if standing == CreditStanding.ABNORMAL:
        return qs.filter(pk__in=abnormal).exclude(pk__in=serious)
    if standing == CreditStanding.NONE:
        return qs.exclude(pk__in=serious).exclude(pk__in=abnormal)
    raise ValueError(f"unknown credit standing {standing!r}")


def credit_standing_of(*, organization: Organization, on: datetime.date | None = None) -> str:
    """One organization's credit standing on `on` (R-CRD-13 checks at application, payment…)."""
    lists = set(
        active_listing_rows(on=_today(on), org_ids=[organization.pk]).values_list(
            "list_type", flat=True
        )
    )
    if CreditList.SERIOUS in lists:
        return CreditStanding.SERIOUS
    if CreditList.ABNORMAL in lists:
        return CreditStanding.ABNORMAL
    return CreditStanding.NONE


def public_credit_list(
    *, list_type: str, q: str = "", on: datetime.date | None = None
) -> QuerySet[CreditListing]:
    """The public list (R-CRD-12): listings in force, newest first, searchable by name (now or
    at listing) or USCC."""
    qs = active_listing_rows(on=_today(on), list_type=list_type).select_related("organization")
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(organization__name__icontains=q)
            | Q(organization_name__icontains=q)
            | Q(organization__uscc__iexact=q)
            | Q(organization__uscc__startswith=q.upper())
        )
    return qs.order_by("-decided_on", "-pk")


def listing_removal(listing: CreditListing) -> CreditRemoval | None:
    """The removal that closed `listing` (prefetched `removals` are used when present)."""
    removals = list(listing.removals.all())
    return min(removals, key=lambda r: (r.decided_on, r.pk)) if removals else None


def removal_applications_overdue(
    *, today: datetime.date, applications: QuerySet[CreditRemovalApplication] | None = None
) -> QuerySet[CreditRemovalApplication]:
    """移出申请逾期未决定 (R-CRD-07): verified, still pending, and `today` is past the last day
    for the removal decision (`due_on`, five working days after verification, D18). One query;
    `applications` lets a caller pass its scope."""
    applications = CreditRemovalApplication.objects.all() if applications is None else applications
    return applications.filter(status=RemovalApplicationStatus.PENDING, due_on__lt=today)
