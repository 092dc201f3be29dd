"""The situation report and the organization file as formatted Excel workbooks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from registry.models import Organization

from .figures import AREAS, Figure
from .org_file import Event

TITLE_FONT = Font(name="等线", size=14, bold=True)
HEADER_FONT = Font(name="等线", bold=True)
BODY_FONT = Font(name="等线")
HEADER_FILL = PatternFill("solid", fgColor="F1F5F9")
THIN = Side(style="thin", color="CBD5E1")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIGURE_HEADERS = ("指标", "数值", "单位", "指标代码")
FIGURE_WIDTHS = (46, 14, 8, 40)


def situation_report_xlsx(
    *, figures: list[Figure], as_of: datetime.date, scope_label: str, fileobj: IO[bytes]
) -> None:
    """Sheet 1 the headline figures, then one sheet per area with all its figures."""
    wb = Workbook()
    ws = wb.active
    ws.title = "主要数据"
    title = f"社会组织登记管理工作情况（统计日 {as_of:%Y年%m月%d日}，{scope_label}）"
    _figure_sheet(ws, title, [f for f in figures if f.headline], with_area=True)
    for area in AREAS:
        rows = [f for f in figures if f.area == area]
        if rows:
            _figure_sheet(wb.create_sheet(area[:31]), f"{area}（{as_of:%Y-%m-%d}）", rows)
    wb.save(fileobj)


def _figure_sheet(ws, title: str, figures: Iterable[Figure], *, with_area: bool = False) -> None:
    headers = ("领域", *FIGURE_HEADERS) if with_area else FIGURE_HEADERS
    widths = (22, *FIGURE_WIDTHS) if with_area else FIGURE_WIDTHS
    _title(ws, title, len(headers))
    _header_row(ws, 2, headers, widths)
    for r, f in enumerate(figures, start=3):
        values = (f.label, f.value, f.unit, f.key)
        if with_area:
            values = (f.area, *values)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font, cell.border = BODY_FONT, BORDER
            if isinstance(value, float):
                cell.number_format = "#,##0.00"
            elif isinstance(value, int):
                cell.number_format = "#,##0"
    ws.freeze_panes = "A3"


def _title(ws, text: str, columns: int) -> None:
    ws.cell(row=1, column=1, value=text).font = TITLE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws.row_dimensions[1].height = 24


def _header_row(ws, row: int, headers, widths) -> None:
    for c, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=c, value=header)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = width


ORG_FIELDS = (
    ("名称", "name"),
    ("统一社会信用代码", "uscc"),
    ("组织类型", "get_org_type_display"),
    ("行业分类", "industry_category"),
    ("业务主管单位", "supervising_unit"),
    ("法定代表人", "legal_representative"),
    ("住所", "domicile"),
    ("成立日期", "established_on"),
    ("登记状态", "get_status_display"),
)


def organization_field_rows(org: Organization) -> list[tuple[str, str]]:
    out = []
    for label, attr in ORG_FIELDS:
        value = getattr(org, attr)
        value = value() if callable(value) else value
        out.append((label, "" if value is None else str(value)))
    return out


def organization_file_xlsx(
    *, organization: Organization, events: list[Event], fileobj: IO[bytes]
) -> None:
    """一户一档 as a workbook: the registration card, then every event in date order."""
    wb = Workbook()
    ws = wb.active
    ws.title = "登记信息"
    _title(ws, f"一户一档：{organization.name}", 2)
    _header_row(ws, 2, ("项目", "内容"), (20, 60))
    for r, (label, value) in enumerate(organization_field_rows(organization), start=3):
        ws.cell(row=r, column=1, value=label).font = HEADER_FONT
        ws.cell(row=r, column=2, value=value).font = BODY_FONT
    ev = wb.create_sheet("档案记录")
    _title(ev, f"{organization.name}（{organization.uscc}）档案记录", 4)
    _header_row(ev, 2, ("日期", "类别", "事项", "说明"), (12, 14, 48, 48))
    for r, e in enumerate(events, start=3):
        for c, value in enumerate((e.on, e.category, e.title, e.detail), start=1):
            cell = ev.cell(row=r, column=c, value=value)
            cell.font, cell.border = BODY_FONT, BORDER
            if c == 1:
                cell.number_format = "yyyy-mm-dd"
    ev.freeze_panes = "A3"
    wb.save(fileobj)
