"""Writes of the catalog: draft editions, manual exclusions, publication (R-PUR, D9)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from common.actors import saved_user
from registry.models import Organization

from .choices import EditionStatus
from .models import CatalogEdition, CatalogEntry, CatalogExclusion
from .rules import is_auto_admitted, is_priority
from .selectors import catalog_eligibility


@transaction.atomic
def catalog_edition_create(*, actor: Any = None, **fields: Any) -> CatalogEdition:
    """编制新一版目录 (draft)."""
    edition = CatalogEdition(**fields, status=EditionStatus.DRAFT)
    edition.full_clean()
    edition.save()
    return edition


def _locked_draft(edition: CatalogEdition) -> CatalogEdition:
    locked = CatalogEdition.objects.select_for_update().get(pk=edition.pk)
    if locked.status != EditionStatus.DRAFT:
        raise ValidationError({"edition": f"{locked}已发布，不能更改。"})
    return locked


@transaction.atomic
def catalog_exclusion_add(
    *, edition: CatalogEdition, organization: Organization, reason: str, actor: Any = None
) -> CatalogExclusion:
    """人工排除: leave an organization out of a draft edition, with the recorded reason."""
    locked = _locked_draft(edition)
    if not reason.strip():
        raise ValidationError({"reason": "人工排除须说明理由。"})
    exclusion = CatalogExclusion(
        edition=locked,
        organization=organization,
        reason=reason.strip(),
        excluded_by=saved_user(actor),
    )
    exclusion.full_clean()
    exclusion.save()
    return exclusion


@transaction.atomic
def catalog_edition_publish(
    *, edition: CatalogEdition, on: datetime.date, actor: Any = None
) -> CatalogEdition:
    """发布: the eligible set on `on` (credit checked at the application date and on `on`,
    R-PUR-05) less the recorded exclusions becomes the edition, which is frozen for good."""
    locked = _locked_draft(edition)
    if on < locked.application_date:
        raise ValidationError({"published_on": "发布日期不能早于申报基准日期。"})
    eligibility = catalog_eligibility(
        application_date=locked.application_date,
        publication_date=on,
        min_age_years=locked.min_age_years,
    )
    excluded = dict(locked.exclusions.values_list("organization_id", "reason"))
    not_eligible = sorted(set(excluded) - set(eligibility.eligible))
    if not_eligible:
        names = Organization.objects.filter(pk__in=not_eligible[:5]).values_list("name", flat=True)
        raise ValidationError(
            {"exclusions": "以下组织本就不符合入选条件，无需人工排除：" + "、".join(names) + "。"}
        )
    admitted = {pk: grade for pk, grade in eligibility.eligible.items() if pk not in excluded}
    facts = Organization.objects.registered_on(on).values_list("pk", "name", "uscc")
    CatalogEntry.objects.bulk_create(
        (
            CatalogEntry(
                edition=locked,
                organization_id=pk,
                name=name,
                uscc=uscc,
                grade=admitted[pk],
                is_priority=is_priority(admitted[pk]),
                auto_admitted=is_auto_admitted(admitted[pk]),
            )
            for pk, name, uscc in facts.iterator(chunk_size=20_000)
            if pk in admitted
        ),
        batch_size=2000,
    )
    locked.status = EditionStatus.PUBLISHED
    locked.published_on = on
    locked.published_by = saved_user(actor)
    locked.save()
    return locked
