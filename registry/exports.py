"""Excel export of the register: the organization sheet, one column definition shared with
the import (registry/imports.py), so an exported file can be edited and imported back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet

from common.excel import xlsx_write

from .choices import LifecycleStatus, OrganizationType
from .models import Organization


@dataclass(frozen=True)
class Column:
    """One column of the organization sheet: Chinese header, the `values()` key it is read
    from on export, the model field it writes on import, whether import requires it."""

    header: str
    source: str
    field: str
    width: int
    required: bool = False


USCC = "统一社会信用代码"
NAME = "名称"
ORG_TYPE = "组织类型"
INDUSTRY_ASSOCIATION = "行业协会商会"
INDUSTRY_CATEGORY = "行业分类"
SUPERVISING_UNIT = "业务主管单位"
LEGAL_REPRESENTATIVE = "法定代表人"
DOMICILE = "住所"
PHONE = "联系电话"
BUSINESS_SCOPE = "业务范围"
REGISTERED_CAPITAL = "注册资金（元）"
CERTIFICATE_NO = "登记证号"
ESTABLISHED_ON = "成立日期"
STATUS = "登记状态"

ORGANIZATION_COLUMNS: tuple[Column, ...] = (
    Column(USCC, "uscc", "uscc", 22, required=True),
    Column(NAME, "name", "name", 36, required=True),
    Column(ORG_TYPE, "org_type", "org_type", 16, required=True),
    Column(INDUSTRY_ASSOCIATION, "is_industry_association", "is_industry_association", 14),
    Column(INDUSTRY_CATEGORY, "industry_category__name", "industry_category", 18, required=True),
    Column(SUPERVISING_UNIT, "supervising_unit__name", "supervising_unit", 28),
    Column(LEGAL_REPRESENTATIVE, "legal_representative", "legal_representative", 12, True),
    Column(DOMICILE, "domicile", "domicile", 40, required=True),
    Column(PHONE, "phone", "phone", 16),
    Column(BUSINESS_SCOPE, "business_scope", "business_scope", 50),
    Column(REGISTERED_CAPITAL, "registered_capital", "registered_capital", 16),
    Column(CERTIFICATE_NO, "registration_certificate_no", "registration_certificate_no", 20),
    Column(ESTABLISHED_ON, "established_on", "established_on", 12, required=True),
    Column(STATUS, "status", "status", 12),
)
ORGANIZATION_HEADERS = tuple(c.header for c in ORGANIZATION_COLUMNS)
COLUMN_BY_FIELD = {c.field: c for c in ORGANIZATION_COLUMNS}

YES, NO = "是", "否"
EXPORT_CHUNK_SIZE = 2000

_TYPE_LABELS = dict(OrganizationType.choices)
_STATUS_LABELS = dict(LifecycleStatus.choices)


def _export_row(values: tuple) -> list:
    row = list(values)
    for index, column in enumerate(ORGANIZATION_COLUMNS):
        value = row[index]
        if column.field == "org_type":
            row[index] = _TYPE_LABELS.get(value, value)
        elif column.field == "status":
            row[index] = _STATUS_LABELS.get(value, value)
        elif column.field == "is_industry_association":
            row[index] = YES if value else NO
        elif value is None:
            row[index] = ""
    return row


def organizations_export_xlsx(*, queryset: QuerySet[Organization], fileobj: IO[bytes]) -> int:
    """名录导出: write the organizations of `queryset` (already filtered and scoped by the
    caller) as an .xlsx sheet to `fileobj`, in the queryset's order; returns the rows written."""
    # values_list + iterator: a server-side cursor and one fetch per chunk, no model
    # instances, so a city-scale register (100k+ rows) exports in flat memory.
    rows = (
        _export_row(values)
        for values in queryset.values_list(*(c.source for c in ORGANIZATION_COLUMNS)).iterator(
            chunk_size=EXPORT_CHUNK_SIZE
        )
    )
    return xlsx_write(
        fileobj,
        headers=ORGANIZATION_HEADERS,
        rows=rows,
        widths=[c.width for c in ORGANIZATION_COLUMNS],
        sheet_title="社会组织名录",
    )
