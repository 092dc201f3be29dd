"""Excel export of annual reports: one column definition shared with the import
(oversight/imports.py), so an exported sheet is also the import template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet

from common.excel import xlsx_write
from oversight.annual_reports.models import AnnualReport


@dataclass(frozen=True)
class Column:
    """One column of the annual-report sheet: Chinese header, the `values()` key it is read
    from on export, the model field it writes on import, its kind and display width."""

    header: str
    source: str
    field: str
    kind: str  # "uscc", "year", "date", "bool", "money", "count"
    width: int


USCC = "统一社会信用代码"
YEAR = "报告年度"
SUBMITTED_ON = "报送日期"
IS_SEALED = "已签字盖章"

ANNUAL_REPORT_COLUMNS: tuple[Column, ...] = (
    Column(USCC, "organization__uscc", "organization", "uscc", 22),
    Column(YEAR, "year", "year", "year", 10),
    Column(SUBMITTED_ON, "submitted_on", "submitted_on", "date", 12),
    Column(IS_SEALED, "is_sealed", "is_sealed", "bool", 12),
    Column("本年收入（元）", "income", "income", "money", 16),
    Column("本年支出（元）", "expenditure", "expenditure", "money", 16),
    Column("年末净资产（元）", "net_assets", "net_assets", "money", 16),
    Column("工作人员数", "staff_count", "staff_count", "count", 10),
    Column("专职工作人员数", "full_time_staff", "full_time_staff", "count", 14),
    Column("开展活动次数", "activities_held", "activities_held", "count", 12),
    Column("正式党员数", "party_members", "party_members", "count", 10),
    Column("预备党员数", "probationary_party_members", "probationary_party_members", "count", 10),
)
ANNUAL_REPORT_HEADERS = tuple(c.header for c in ANNUAL_REPORT_COLUMNS)
COLUMN_BY_FIELD = {c.field: c for c in ANNUAL_REPORT_COLUMNS}

YES, NO = "是", "否"
EXPORT_CHUNK_SIZE = 2000


def annual_reports_export_xlsx(*, queryset: QuerySet[AnnualReport], fileobj: IO[bytes]) -> int:
    """年报导出: write the reports of `queryset` (already filtered by the caller) as an .xlsx
    sheet to `fileobj`, in the queryset's order; returns the rows written."""
    sealed = [c.kind == "bool" for c in ANNUAL_REPORT_COLUMNS]
    # values_list + iterator: no model instances and one fetch per chunk, flat memory.
    rows = (
        [
            (YES if value else NO) if is_bool else value
            for value, is_bool in zip(values, sealed, strict=True)
        ]
        for values in queryset.values_list(*(c.source for c in ANNUAL_REPORT_COLUMNS)).iterator(
            chunk_size=EXPORT_CHUNK_SIZE
        )
    )
    return xlsx_write(
        fileobj,
        headers=ANNUAL_REPORT_HEADERS,
        rows=rows,
        widths=[c.width for c in ANNUAL_REPORT_COLUMNS],
        sheet_title="年度工作报告",
    )
