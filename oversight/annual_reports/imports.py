"""Excel import of annual reports: new reports keyed by (USCC, year), all or nothing.

Every row is validated and every problem reported (row, column, reason); if any row is bad
nothing is written (DESIGN.md §4.1). Valid files are written set-wise in one transaction with
their history recorded explicitly, because bulk writes bypass `save()` (STYLE.md Audit).
Lookups are a few queries per file, never one per row, so 10k rows import in seconds.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from common.actors import saved_user
from common.excel import (
    CellError,
    RowError,
    Sheet,
    SheetRow,
    is_blank,
    parse_bool_cell,
    parse_date_cell,
    parse_money_cell,
    xlsx_read,
)
from oversight.annual_reports.choices import AnnualReportStatus
from oversight.annual_reports.exports import (
    ANNUAL_REPORT_COLUMNS,
    ANNUAL_REPORT_HEADERS,
    SUBMITTED_ON,
    USCC,
    YEAR,
    Column,
)
from oversight.annual_reports.models import AnnualReport
from oversight.annual_reports.services import annual_report_initial_status
from registry.import_cells import _parse_uscc as parse_uscc_cell
from registry.models import Organization
from registry.selectors import organizations_by_uscc

CHANGE_REASON = "Excel导入"
MAX_ROWS = 200_000
BATCH_SIZE = 2000
_LOOKUP_CHUNK = 5000

# Net assets may legitimately be negative (liabilities above assets, 资不抵债); every other
# figure of the report is an amount or a head count and cannot be.
_MAY_BE_NEGATIVE = frozenset({"net_assets"})
_MAX_MONEY = Decimal(10) ** 14  # max_digits=16 with 2 decimal places
_MAX_COUNT = 2_147_483_647  # PositiveIntegerField
_FIRST_YEAR = 1949


@dataclass
class AnnualReportImportResult:
    """What an import found (a preview) or did (a commit): every error, and the counts."""

    errors: list[RowError] = field(default_factory=list)
    to_create: int = 0
    to_opinion: int = 0  # of to_create: awaiting the supervising unit's opinion first
    to_review: int = 0  # of to_create: straight to the bureau (no supervising unit)
    created: int = 0
    committed: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors


def annual_reports_import(
    *, fileobj: IO[bytes], actor: Any = None, commit: bool = True
) -> AnnualReportImportResult:
    """年报导入: create annual reports from an .xlsx sheet, one per (USCC, year).

    With `commit=False` it only validates and counts (the preview). With `commit=True` it
    writes nothing unless every row is valid. Each report starts where `annual_report_submit`
    would put it. Raises `common.excel.ExcelFormatError` for a file that cannot be read at
    all (not .xlsx, empty, wrong headers).
    """
    sheet = xlsx_read(
        fileobj, columns=ANNUAL_REPORT_HEADERS, required=ANNUAL_REPORT_HEADERS, max_rows=MAX_ROWS
    )
    if not commit:
        result, _ = _plan(sheet)
        return result
    try:
        with transaction.atomic():
            result, reports = _plan(sheet)
            if result.errors:
                return result
            user = saved_user(actor)
            bulk_create_with_history(
                reports,
                AnnualReport,
                batch_size=BATCH_SIZE,
                default_user=user,
                default_change_reason=CHANGE_REASON,
                default_date=timezone.now(),
            )
    except IntegrityError:
        # The unique (organization, year) constraint: a report arrived through the API or
        # another import between validation and the write. Nothing of this file was written.
        return AnnualReportImportResult(
            errors=[
                RowError(
                    0,
                    "",
                    "写入时发现同一组织同一年度的报告刚被他人报送，未写入任何数据，请重新导入。",
                )
            ]
        )
    result.created = len(reports)
    result.committed = True
    return result


# ---------------------------------------------------------------------------- validation


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    uscc: str | None
    year: int | None
    submitted_on: datetime.date | None
    bad: bool


def _plan(sheet: Sheet) -> tuple[AnnualReportImportResult, list[AnnualReport]]:
    result = AnnualReportImportResult(errors=list(sheet.errors))
    rows = [_parse_row(row, result.errors) for row in sheet.rows]
    organizations = _organizations_by_uscc({r.uscc for r in rows if r.uscc})
    existing = _existing_reports(
        {o.pk for o in organizations.values()}, {r.year for r in rows if r.year}
    )
    first_row_of: dict[tuple[str, int], int] = {}
    reports: list[AnnualReport] = []
    for row in rows:
        report = _check_row(row, organizations, existing, first_row_of, result.errors)
        if report is not None:
            reports.append(report)
    order = {h: i for i, h in enumerate(ANNUAL_REPORT_HEADERS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    if result.errors:
        return result, []
    result.to_create = len(reports)
    result.to_opinion = sum(r.status == AnnualReportStatus.AWAITING_OPINION for r in reports)
    result.to_review = result.to_create - result.to_opinion
    return result, reports


def _parse_row(row: SheetRow, errors: list[RowError]) -> _Row:
    values: dict[str, Any] = {}
    bad = bool(row.refused)
    for column in ANNUAL_REPORT_COLUMNS:
        if column.header in row.refused:
            continue
        try:
            values[column.field] = _parse_cell(column, row.values.get(column.header))
        except CellError as exc:
            errors.append(RowError(row.number, column.header, str(exc)))
            bad = True
    return _Row(
        number=row.number,
        values=values,
        uscc=values.get("organization"),
        year=values.get("year"),
        submitted_on=values.get("submitted_on"),
        bad=bad,
    )


def _check_row(
    row: _Row,
    organizations: dict[str, Organization],
    existing: set[tuple[int, int]],
    first_row_of: dict[tuple[str, int], int],
    errors: list[RowError],
) -> AnnualReport | None:
    organization = organizations.get(row.uscc) if row.uscc else None
    problems = [
        *_unknown_organization(row, organization=organization),
        *_repeated_in_file(row, first_row_of=first_row_of),
        *_year_problems(row, organization=organization, existing=existing),
        *_submitted_too_early(row),
    ]
    errors.extend(problems)
    if row.bad or problems or organization is None:
        return None
    figures = {k: v for k, v in row.values.items() if k != "organization"}
    return AnnualReport(
        organization=organization,
        status=annual_report_initial_status(organization),
        **figures,
    )


def _unknown_organization(row: _Row, *, organization: Organization | None) -> list[RowError]:
    if row.uscc and organization is None:
        return [
            RowError(
                row.number,
                USCC,
                f"系统中没有统一社会信用代码为“{row.uscc}”的社会组织；请核对代码，"
                "或先办理该组织的登记。",
            )
        ]
    return []


def _repeated_in_file(row: _Row, *, first_row_of: dict[tuple[str, int], int]) -> list[RowError]:
    """One report per organization and year in a file; the first row that has it is kept."""
    if not (row.uscc and row.year):
        return []
    key = (row.uscc, row.year)
    if key in first_row_of:
        return [
            RowError(
                row.number,
                YEAR,
                f"与第{first_row_of[key]}行重复：同一组织同一年度只能有一份报告。",
            )
        ]
    first_row_of[key] = row.number
    return []


def _year_problems(
    row: _Row, *, organization: Organization | None, existing: set[tuple[int, int]]
) -> list[RowError]:
    """The year's report is not in the system yet, and the organization existed that year."""
    if organization is None or not row.year:
        return []
    problems = []
    if (organization.pk, row.year) in existing:
        problems.append(
            RowError(
                row.number,
                YEAR,
                f"该组织{row.year}年度的年度工作报告已在系统中，不能重复导入。",
            )
        )
    # The same two rules as oversight.services.annual_report_submit.
    if organization.established_on > datetime.date(row.year, 12, 31):
        problems.append(
            RowError(
                row.number,
                YEAR,
                f"该组织成立于{organization.established_on}，无{row.year}年度报告。",
            )
        )
    return problems


def _submitted_too_early(row: _Row) -> list[RowError]:
    if row.year and row.submitted_on and row.submitted_on.year <= row.year:
        return [
            RowError(
                row.number,
                SUBMITTED_ON,
                f"报送日期{row.submitted_on}不在报告年度之后：{row.year}年度报告应在"
                f"{row.year + 1}年及以后报送。",
            )
        ]
    return []


def _organizations_by_uscc(codes: set[str]) -> dict[str, Organization]:
    return organizations_by_uscc(
        codes, only=("id", "uscc", "name", "established_on", "supervising_unit_id")
    )


def _existing_reports(organization_ids: set[int], years: set[int]) -> set[tuple[int, int]]:
    if not organization_ids or not years:
        return set()
    ordered = sorted(organization_ids)
    found: set[tuple[int, int]] = set()
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        found.update(
            AnnualReport.objects.filter(
                organization_id__in=ordered[start : start + _LOOKUP_CHUNK], year__in=years
            ).values_list("organization_id", "year")
        )
    return found


# ---------------------------------------------------------------------------- cell parsers


def _parse_date(column: Column, raw: Any) -> datetime.date:
    return parse_date_cell(raw)


def _parse_bool(column: Column, raw: Any) -> bool:
    return parse_bool_cell(raw, extra_true={"已盖章"}, extra_false={"未盖章"})


def _parse_money(column: Column, raw: Any) -> Decimal:
    return parse_money_cell(
        raw,
        label=column.header.removesuffix("（元）"),
        allow_negative=column.field in _MAY_BE_NEGATIVE,
        limit=_MAX_MONEY,
        limit_text="绝对值应小于一百万亿元",
    )


def _parse_cell(column: Column, raw: Any) -> Any:
    if is_blank(raw):
        raise CellError("必填，不能为空。")
    return _PARSERS[column.kind](column, raw)


def _parse_uscc(column: Column, raw: Any) -> str:
    # The register's own cell parser (registry.uscc: format, check characters, R-USCC-01…06),
    # so a code the register would refuse is refused here too. The type digit cannot disagree
    # with a type this sheet does not carry.
    code, problems = parse_uscc_cell(raw, org_type=None)
    if code is None or problems:
        raise CellError("；".join(problems))
    return code


def _parse_year(column: Column, raw: Any) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().removesuffix("年度").removesuffix("年")
    if isinstance(raw, bool) or not text.isdigit():
        raise CellError(f"“{raw}”不是有效年度，应为四位数字，如 2023。")
    year = int(text)
    if not _FIRST_YEAR <= year <= timezone.localdate().year:
        raise CellError(f"报告年度{year}超出范围（{_FIRST_YEAR}年至今）。")
    return year


def _parse_count(column: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError("应为整数。")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise CellError(f"“{raw}”不是整数，{column.header}应为整数。")
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        text = re.sub(r"[,，\s\u3000]", "", str(raw)).removesuffix("人").removesuffix("次")
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(f"“{raw}”不是整数，{column.header}应为整数。")
        value = int(text)
    if value < 0:
        raise CellError(f"{column.header}不能为负数。")
    if value > _MAX_COUNT:
        raise CellError(f"{column.header}超出范围。")
    return value


_PARSERS = {
    "uscc": _parse_uscc,
    "year": _parse_year,
    "date": _parse_date,
    "bool": _parse_bool,
    "money": _parse_money,
    "count": _parse_count,
}
