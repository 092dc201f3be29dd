"""Monthly circulars of the cleanup's progress per supervising unit, each with its Excel workbook (R-ZMB-03)."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet

from common.excel import xlsx_write_sheets
from common.history import history_stamp
from oversight.credit.models import CreditListing
from oversight.credit.rules import active_listing_rows
from oversight.inspections.models import Circular
from oversight.zombies.choices import ZombieStage
from oversight.zombies.detection import CRITERION_LABELS
from oversight.zombies.models import ZombieCase
from registry.models import SupervisingUnit

# ------------------------------------------------------------------ circulars (通报)


CASE_HEADERS = [
    "统一社会信用代码",
    "名称",
    "认定标准",
    "阶段",
    "认定日期",
    "告知日期",
    "办结日期",
    "责任人",
]
LISTING_HEADERS = [
    "统一社会信用代码",
    "名称",
    "名录",
    "列入依据",
    "决定书文号",
    "决定日期",
    "生效日期",
    "期满日期",
]


def active_listings_on(as_of: datetime.date) -> QuerySet[CreditListing]:
    """Listings in effect on `as_of`: the credit rules' one definition (R-CRD-11)."""
    return active_listing_rows(on=as_of)


def circular_title(*, as_of: datetime.date, unit: SupervisingUnit) -> str:
    return f"{as_of.year}年{as_of.month}月僵尸型社会组织清理整治及信用名录情况通报（{unit.name}）"


def zombie_circulars_issue(*, as_of: datetime.date, actor: Any = None) -> list[Circular]:
    """月度通报 (DESIGN.md §4.5): one circular to each supervising unit whose organizations
    have cleanup cases or listings in effect, with an Excel workbook of both; once per unit
    and month (a second run returns the month's circulars)."""
    cases = ZombieCase.objects.filter(
        identified_on__lte=as_of, organization__supervising_unit__isnull=False
    ).select_related("organization")
    listings = active_listings_on(as_of).filter(organization__supervising_unit__isnull=False)
    unit_ids = set(cases.values_list("organization__supervising_unit", flat=True).distinct())
    unit_ids |= set(listings.values_list("organization__supervising_unit", flat=True).distinct())
    cases_by_unit: dict[int, list[ZombieCase]] = defaultdict(list)
    for case in cases.order_by("organization__uscc", "identified_on"):
        cases_by_unit[case.organization.supervising_unit_id].append(case)
    listings_by_unit: dict[int, list[CreditListing]] = defaultdict(list)
    for listing in listings.select_related("organization").order_by(
        "organization__uscc", "decided_on"
    ):
        listings_by_unit[listing.organization.supervising_unit_id].append(listing)

    issued = []
    for unit in SupervisingUnit.objects.filter(pk__in=unit_ids).order_by("code"):
        title = circular_title(as_of=as_of, unit=unit)
        # Recognised by what it is (kind, month, addressee), never by its title (issue 10.11).
        key = Circular.key_for(kind="zombie_progress", period=f"{as_of:%Y-%m}", unit_code=unit.code)
        with transaction.atomic():
            # Lock the unit: two concurrent jobs issue the month's circular once.
            SupervisingUnit.objects.select_for_update().filter(pk=unit.pk).first()
            existing = Circular.objects.filter(issue_key=key).first()
            if existing:
                issued.append(existing)
                continue
            issued.append(
                _circular_write(
                    unit=unit,
                    title=title,
                    key=key,
                    as_of=as_of,
                    cases=cases_by_unit.get(unit.pk, []),
                    listings=listings_by_unit.get(unit.pk, []),
                    actor=actor,
                )
            )
    return issued


def _case_row(c: ZombieCase) -> tuple:
    return (
        c.organization.uscc,
        c.organization.name,
        "；".join(CRITERION_LABELS.get(code, code) for code in c.criteria),
        c.get_stage_display(),
        c.identified_on,
        c.notified_on,
        c.closed_on,
        c.responsible_person,
    )


def _listing_row(item: CreditListing) -> tuple:
    return (
        item.organization.uscc,
        item.organization_name,
        item.get_list_type_display(),
        item.get_ground_display(),
        item.decision_no,
        item.decided_on,
        item.effective_on,
        item.review_due_on,
    )


def _circular_workbook(*, cases: list[ZombieCase], listings: list[CreditListing]) -> bytes:
    """The circular's attachment: one sheet of the unit's cases, one of its listings."""
    buffer = io.BytesIO()
    xlsx_write_sheets(
        buffer,
        sheets=[
            {
                "title": "僵尸型社会组织案件",
                "headers": CASE_HEADERS,
                "widths": [20, 36, 30, 12, 12, 12, 12, 10],
                "rows": (_case_row(c) for c in cases),
            },
            {
                "title": "信用名录",
                "headers": LISTING_HEADERS,
                "widths": [20, 36, 16, 30, 24, 12, 12, 12],
                "rows": (_listing_row(item) for item in listings),
            },
        ],
    )
    return buffer.getvalue()


def _circular_body(
    *, as_of: datetime.date, cases: list[ZombieCase], listings: list[CreditListing]
) -> str:
    stages = defaultdict(int)
    for c in cases:
        stages[c.stage] += 1
    progress = "，".join(f"{ZombieStage(s).label}{n}家" for s, n in sorted(stages.items()))
    return (
        f"截至{as_of}，贵单位主管的社会组织中，僵尸型社会组织清理整治案件{len(cases)}件"
        f"{f'（{progress}）' if progress else ''}，在列信用名录记录{len(listings)}条"
        "（R-ZMB-02、R-CRD-11），明细见附件，请督促整改。"
    )


def _circular_write(
    *,
    unit: SupervisingUnit,
    title: str,
    key: str,
    as_of: datetime.date,
    cases: list[ZombieCase],
    listings: list[CreditListing],
    actor: Any,
) -> Circular:
    workbook = _circular_workbook(cases=cases, listings=listings)
    circular = Circular(
        title=title,
        issue_key=key,
        issued_on=as_of,
        supervising_unit=unit,
        body=_circular_body(as_of=as_of, cases=cases, listings=listings),
    )
    circular.attachment.save(
        f"zombie-credit-{unit.code}-{as_of:%Y-%m}.xlsx", ContentFile(workbook), save=False
    )
    history_stamp(circular, actor=actor)
    circular.save()
    return circular
