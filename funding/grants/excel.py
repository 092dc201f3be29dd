"""Excel export of grant projects and import of applications (third-party intake, R-FND-03).

One column list serves both ways, so an exported sheet is the import template; the columns
the import does not write (status, approved amount) are read back and ignored. An import is
all or nothing: every row goes through `grant_submit` (eligibility, open round, window) in
one transaction and every bad row is reported with its row number and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from common.excel import (
    CellError,
    RowError,
    is_blank,
    parse_date_cell,
    parse_money_cell,
    xlsx_read,
    xlsx_write,
)
from registry.selectors import organizations_by_uscc

from .choices import GrantCategory, GrantStatus
from .models import FundRound, GrantProject
from .services import grant_submit

ROUND, USCC, NAME, TITLE, CATEGORY = "期次", "统一社会信用代码", "组织名称", "项目名称", "项目类别"
REQUESTED, SUBMITTED_ON, STATUS, APPROVED = "申请金额（元）", "申报日期", "状态", "资助金额（元）"
GRANT_HEADERS = (ROUND, USCC, NAME, TITLE, CATEGORY, REQUESTED, SUBMITTED_ON, STATUS, APPROVED)
REQUIRED = (ROUND, USCC, TITLE, CATEGORY, REQUESTED, SUBMITTED_ON)
MAX_AMOUNT = Decimal(10) ** 12
CATEGORY_BY_LABEL = {label: value for value, label in GrantCategory.choices}
STATUS_LABELS = dict(GrantStatus.choices)
CATEGORY_LABELS = dict(GrantCategory.choices)


def grants_export_xlsx(*, queryset: QuerySet[GrantProject], fileobj: IO[bytes]) -> int:
    """资助项目导出: the projects of `queryset` in its order; returns the rows written."""
    rows = (
        (
            number,
            uscc,
            name,
            title,
            CATEGORY_LABELS.get(category, category),
            requested,
            submitted_on,
            STATUS_LABELS.get(status, status),
            approved,
        )
        for number, uscc, name, title, category, requested, submitted_on, status, approved in (
            queryset.values_list(
                "round__number",
                "organization__uscc",
                "organization__name",
                "title",
                "category",
                "requested_amount",
                "submitted_on",
                "status",
                "approved_amount",
            ).iterator(chunk_size=2000)
        )
    )
    return xlsx_write(
        fileobj,
        headers=GRANT_HEADERS,
        rows=rows,
        widths=[6, 22, 30, 36, 14, 14, 12, 10, 14],
        sheet_title="资助项目",
    )


@dataclass
class GrantImportResult:
    errors: list[RowError] = field(default_factory=list)
    to_create: int = 0
    created: int = 0
    committed: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    """Raised inside the transaction of a preview or a failed file to undo every row."""


def _parse_amount(raw: Any):
    # max_digits=14 with two decimals: below one trillion yuan.
    return parse_money_cell(raw, label="申请金额", limit=MAX_AMOUNT, limit_text="1万亿元")


def _parse_row(
    values: dict[str, Any], rounds, orgs
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    parsed: dict[str, Any] = {}
    for header in REQUIRED:
        if is_blank(values.get(header)):
            problems.append((header, "必填，不能为空。"))
    if problems:
        return parsed, problems
    parsed["fund_round"] = rounds.get(str(values[ROUND]).strip())
    if parsed["fund_round"] is None:
        problems.append((ROUND, f"没有第{values[ROUND]}期。"))
    parsed["organization"] = orgs.get(str(values[USCC]).strip().upper())
    if parsed["organization"] is None:
        problems.append((USCC, "系统中没有这个统一社会信用代码的社会组织。"))
    parsed["category"] = CATEGORY_BY_LABEL.get(str(values[CATEGORY]).strip())
    if parsed["category"] is None:
        problems.append((CATEGORY, "应为：" + "、".join(CATEGORY_BY_LABEL) + "。"))
    for header, key, parse in (
        (REQUESTED, "requested_amount", _parse_amount),
        (SUBMITTED_ON, "on", parse_date_cell),
    ):
        try:
            parsed[key] = parse(values[header])
        except CellError as exc:
            problems.append((header, str(exc)))
    parsed["title"] = str(values[TITLE]).strip()
    return parsed, problems


def grants_import(
    *, fileobj: IO[bytes], actor: Any = None, commit: bool = True
) -> GrantImportResult:
    """资助申报导入: one application per row through `grant_submit`; all rows or none."""
    sheet = xlsx_read(fileobj, columns=GRANT_HEADERS, required=REQUIRED)
    result = GrantImportResult(errors=list(sheet.errors))
    numbers = {str(r.values.get(ROUND)).strip() for r in sheet.rows}
    rounds = {
        str(r.number): r
        for r in FundRound.objects.filter(number__in=[n for n in numbers if n.isdigit()])
    }
    codes = {str(r.values.get(USCC) or "").strip().upper() for r in sheet.rows}
    orgs = organizations_by_uscc(codes)
    try:
        with transaction.atomic():
            for row in sheet.rows:
                parsed, problems = _parse_row(row.values, rounds, orgs)
                if not problems:
                    try:
                        with transaction.atomic():
                            grant_submit(**parsed, actor=actor)
                        result.to_create += 1
                    except ValidationError as exc:
                        problems = [("", m) for m in exc.messages]
                result.errors.extend(RowError(row.number, col, msg) for col, msg in problems)
            if result.errors or not commit:
                raise _Rollback
    except _Rollback:
        if result.errors:
            result.to_create = 0
        return result
    result.created, result.committed = result.to_create, True
    return result
