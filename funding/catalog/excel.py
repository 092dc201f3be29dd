"""Excel of a catalog edition: export of its entries, and import of an edition published
before the system (a record of what was published, so it bypasses the eligibility rules but
not the register: every USCC must match an organization). Same columns both ways."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from common.actors import saved_user
from common.excel import RowError, is_blank, parse_bool_cell, xlsx_read, xlsx_write
from registry.choices import RatingGrade
from registry.selectors import organizations_by_uscc

from .choices import EditionStatus
from .models import CatalogEdition, CatalogEntry

USCC, NAME, GRADE, PRIORITY, AUTO = (
    "统一社会信用代码",
    "社会组织名称",
    "评估等级",
    "优先（3A及以上）",
    "5A自动入选",
)
ENTRY_HEADERS = (USCC, NAME, GRADE, PRIORITY, AUTO)
YES, NO = "是", "否"


def catalog_edition_export_xlsx(*, edition: CatalogEdition, fileobj: IO[bytes]) -> int:
    """目录导出: one edition's entries, priority first."""
    rows = (
        (uscc, name, grade, YES if priority else NO, YES if auto else NO)
        for uscc, name, grade, priority, auto in CatalogEntry.objects.filter(edition=edition)
        .order_by("-is_priority", "name", "id")
        .values_list("uscc", "name", "grade", "is_priority", "auto_admitted")
        .iterator(chunk_size=2000)
    )
    return xlsx_write(
        fileobj,
        headers=ENTRY_HEADERS,
        rows=rows,
        widths=[22, 40, 10, 16, 12],
        sheet_title=f"第{edition.number}次目录",
    )


@dataclass
class EditionImportResult:
    errors: list[RowError] = field(default_factory=list)
    edition: CatalogEdition | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _entries_from_sheet(sheet) -> tuple[list[dict[str, Any]], list[RowError]]:
    errors = list(sheet.errors)
    codes = {str(r.values.get(USCC) or "").strip().upper() for r in sheet.rows}
    orgs = organizations_by_uscc(codes)
    seen: set[str] = set()
    entries = []
    for row in sheet.rows:
        code = str(row.values.get(USCC) or "").strip().upper()
        org = orgs.get(code)
        if org is None:
            errors.append(RowError(row.number, USCC, "系统中没有这个统一社会信用代码的社会组织。"))
            continue
        if code in seen:
            errors.append(RowError(row.number, USCC, "同一组织在文件中出现了两次。"))
            continue
        seen.add(code)
        grade = "" if is_blank(row.values.get(GRADE)) else str(row.values[GRADE]).strip().upper()
        if grade and grade not in RatingGrade.values:
            errors.append(RowError(row.number, GRADE, "应为1A至5A，或留空。"))
            continue
        try:
            priority = parse_bool_cell(row.values.get(PRIORITY), blank=False)
            auto = parse_bool_cell(row.values.get(AUTO), blank=False)
        except Exception as exc:  # CellError: the reason is its text
            errors.append(RowError(row.number, PRIORITY, str(exc)))
            continue
        name = "" if is_blank(row.values.get(NAME)) else str(row.values[NAME]).strip()
        entries.append(
            {
                "organization": org,
                "name": name or org.name,
                "uscc": code,
                "grade": grade,
                "is_priority": priority,
                "auto_admitted": auto,
            }
        )
    return entries, errors


def catalog_edition_import(
    *,
    fileobj: IO[bytes],
    number: int,
    year: int,
    title: str,
    application_date: datetime.date,
    published_on: datetime.date,
    actor: Any = None,
) -> EditionImportResult:
    """历史目录导入: create a published edition holding exactly the file's organizations."""
    sheet = xlsx_read(fileobj, columns=ENTRY_HEADERS, required=(USCC,))
    entries, errors = _entries_from_sheet(sheet)
    result = EditionImportResult(errors=errors)
    if errors:
        return result
    with transaction.atomic():
        edition = CatalogEdition(
            number=number,
            year=year,
            title=title,
            application_date=application_date,
            status=EditionStatus.DRAFT,
        )
        try:
            edition.full_clean()
        except ValidationError as exc:
            result.errors = [RowError(0, "", m) for m in exc.messages]
            return result
        edition.save()
        CatalogEntry.objects.bulk_create(
            [CatalogEntry(edition=edition, **e) for e in entries], batch_size=2000
        )
        edition.status = EditionStatus.PUBLISHED
        edition.published_on = published_on
        edition.published_by = saved_user(actor)
        edition.save()
    result.edition = edition
    return result
