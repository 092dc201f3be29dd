"""Demo catalog (seed letter: published 8 times): one edition a year 2015–2022, each
published through `catalog_edition_publish` from the eligible set, some with a recorded
manual exclusion. Deterministic: the rules decide, the seed only picks the exclusions."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from .models import CatalogEdition
from .selectors import catalog_eligibility
from .services import catalog_edition_create, catalog_edition_publish, catalog_exclusion_add

CATALOG_SEED = 20150728
EDITIONS = 8
FIRST_YEAR = 2015
EXCLUSION_REASONS = (
    "上年度购买服务项目绩效评价不合格",
    "被投诉服务质量问题经核实",
    "主动申请暂不列入",
)


def catalog_demo_seed() -> int:
    """Publish the demo editions once; returns the editions created (0 when present)."""
    if CatalogEdition.objects.exists():
        return 0
    rng = random.Random(CATALOG_SEED)
    with transaction.atomic():
        for number in range(1, EDITIONS + 1):
            year = FIRST_YEAR + number - 1
            application_date = datetime.date(year, 6, 30)
            published_on = datetime.date(year, 7, 28)
            edition = catalog_edition_create(
                number=number,
                year=year,
                title=f"福田区具备承接政府职能转移和购买服务资质的社会组织目录（{year}年）",
                application_date=application_date,
            )
            eligible = sorted(
                catalog_eligibility(
                    application_date=application_date,
                    publication_date=published_on,
                    min_age_years=edition.min_age_years,
                ).eligible
            )
            for org_id in rng.sample(eligible, min(len(eligible), rng.randint(0, 2))):
                from registry.models import Organization

                catalog_exclusion_add(
                    edition=edition,
                    organization=Organization.objects.get(pk=org_id),
                    reason=rng.choice(EXCLUSION_REASONS),
                )
            catalog_edition_publish(edition=edition, on=published_on)
    return EDITIONS
