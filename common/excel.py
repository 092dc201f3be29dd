"""Excel (.xlsx) helpers shared by every app: a streaming writer and a guarded reader.

Domain-free on purpose (STYLE.md: common imports no app). The apps' `exports.py` and
`imports.py` say which columns a sheet has and what the values mean; this module only
moves cells in and out of files and refuses files it cannot read safely.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from .xlsx_guard import ExcelFormatError, check_archive

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# progress(stage, done, total): how an import reports rows read / validated / written to a
# background job's progress bar (common.admin_excel); called every PROGRESS_ROWS rows.
Progress = Callable[[str, int, int], None]
PROGRESS_ROWS = 1000

_DATE_FORMAT = "yyyy-mm-dd"
_DECIMAL_FORMAT = "0.00"
_BLANKS = re.compile(r"^[\s\u3000]*$")


@dataclass(frozen=True)
class RowError:
    """One refused cell or row: Excel row number (0 for the whole file), column header, reason."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


@dataclass
class SheetRow:
    """One non-blank data row: `values` keyed by header; cells the reader refused are absent
    from `values` and listed in `refused` so callers do not report them a second time."""

    number: int
    values: dict[str, Any]
    refused: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Sheet:
    headers: list[str]
    rows: list[SheetRow]
    errors: list[RowError]


# ---------------------------------------------------------------------------- writing


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _safe_value(ws: Any, value: Any) -> Any:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            # openpyxl would store this as a formula; data is never executable in our sheets.
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell
        return value
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = _DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = _DECIMAL_FORMAT
        return cell
    return value


def xlsx_write(
    fileobj: IO[bytes],
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int | None] | None = None,
    sheet_title: str = "Sheet1",
) -> int:
    """Stream `rows` into a one-sheet workbook written to `fileobj`; returns the rows written.

    Uses openpyxl's write-only mode, so memory stays flat whatever the number of rows; the
    header row is bold and frozen. `widths` (in characters) default to the header's width.
    """
    (written,) = xlsx_write_sheets(
        fileobj,
        sheets=[{"title": sheet_title, "headers": headers, "rows": rows, "widths": widths}],
    )
    return written


def _write_sheet(wb: Workbook, *, title: str, headers, rows, widths=None) -> int:
    ws = wb.create_sheet(title=title)
    for index, header in enumerate(headers, start=1):
        hint = widths[index - 1] if widths and index - 1 < len(widths) else None
        width = max(hint or 0, display_width(header) + 4, 8)
        ws.column_dimensions[get_column_letter(index)].width = min(width, 80)
    ws.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for row in rows:
        ws.append([_safe_value(ws, value) for value in row])
        count += 1
    return count


def xlsx_write_sheets(fileobj: IO[bytes], *, sheets: Sequence[Mapping[str, Any]]) -> list[int]:
    """Several sheets in one workbook, each as `xlsx_write` writes its one: `sheets` are
    mappings with `title`, `headers`, `rows` and optional `widths`. Returns the rows written
    per sheet. A sheet with no rows still gets its header row (an empty list is an answer)."""
    wb = Workbook(write_only=True)
    try:
        written = [
            _write_sheet(
                wb,
                title=spec["title"],
                headers=spec["headers"],
                rows=spec["rows"],
                widths=spec.get("widths"),
            )
            for spec in sheets
        ]
        wb.save(fileobj)
    except BaseException:  # rows that fail mid-export (a query, a cancelled job)
        xlsx_discard(wb)
        raise
    return written


def xlsx_discard(workbook: Workbook) -> None:
    """Close a write-only workbook that will not be saved and remove its sheets' temporary
    files. openpyxl removes them when it saves, and otherwise only when the process exits,
    which for a web or Celery worker is days later: a failed 100k-row export would leave its
    rows on disk until then."""
    for sheet in workbook.worksheets:
        if not sheet.closed:
            with suppress(Exception):  # a sheet that failed mid-row may not close cleanly
                sheet.close()
        writer = sheet._writer  # openpyxl has no public way to drop an unsaved sheet
        if writer is not None:
            with suppress(OSError, ValueError):  # already removed by a save that failed later
                writer.cleanup()


# ---------------------------------------------------------------------------- reading


def normalize_header(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\u3000", " ").strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and bool(_BLANKS.match(value)))


def xlsx_read(
    fileobj: IO[bytes],
    *,
    columns: Sequence[str],
    required: Sequence[str] = (),
    max_rows: int | None = None,
    progress: Progress | None = None,
) -> Sheet:
    """Read the first worksheet of an uploaded .xlsx into rows keyed by header.

    The first non-blank row is the header row; every header must be one of `columns`, appear
    once, and every `required` header must be present. Raises ExcelFormatError for a file that
    cannot be used at all. Formula cells (and text starting with “=”) are refused cell by
    cell in `Sheet.errors`: a formula's value is whatever Excel last computed, not data
    someone entered, and it would execute again when the sheet is re-opened.

    An import that runs in two phases (the preview, then the commit of the same stored
    upload) parses the file once: a `SheetMemo` (common.sheet_memo) set as the file's `sheet_memo` attribute
    keeps what the first phase read, and the second phase reads the memo instead
    (common.sheet_memo; common.admin_import_jobs stores it beside the upload, signed).
    """
    memo = getattr(fileobj, "sheet_memo", None)
    if memo is not None and memo.sheet is not None:
        return memo.reuse(columns=columns, required=required, max_rows=max_rows, progress=progress)
    sheet = _xlsx_parse(
        fileobj, columns=columns, required=required, max_rows=max_rows, progress=progress
    )
    if memo is not None:
        memo.sheet = sheet
    return sheet


def _xlsx_parse(
    fileobj: IO[bytes],
    *,
    columns: Sequence[str],
    required: Sequence[str],
    max_rows: int | None,
    progress: Progress | None,
) -> Sheet:
    check_archive(fileobj)
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises a zoo of errors on damaged packages
        raise ExcelFormatError(
            "Excel 文件已损坏或格式不受支持，无法读取。请在 Excel 或 WPS 中另存为 .xlsx 后重新上传。"
        ) from exc
    try:
        if not wb.worksheets:
            raise ExcelFormatError("Excel 文件中没有工作表。")
        return _read_sheet(
            wb.worksheets[0],
            columns=columns,
            required=required,
            max_rows=max_rows,
            progress=progress,
        )
    except ExcelFormatError:
        raise
    except Exception as exc:
        raise ExcelFormatError(
            "Excel 文件内容已损坏，无法读取。请在 Excel 或 WPS 中另存为 .xlsx 后重新上传。"
        ) from exc
    finally:
        wb.close()


def _is_formula(value: Any) -> bool:
    """A formula as a values-only read of a non-data_only workbook gives it: its text, which
    starts with “=”, or an array or data-table formula object. Text someone typed with a
    leading “=” is refused with them (see xlsx_read)."""
    if isinstance(value, str):
        return value.lstrip().startswith("=")
    return isinstance(value, ArrayFormula | DataTableFormula)


def _read_sheet(
    ws: Any,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    max_rows: int | None,
    progress: Progress | None = None,
) -> Sheet:
    known = set(columns)
    # The sheet's declared dimension (Excel and openpyxl write it): the bar's length.
    expected = max((getattr(ws, "max_row", None) or 1) - 1, 1)
    headers: list[str] | None = None
    header_row = 0
    rows: list[SheetRow] = []
    errors: list[RowError] = []
    # Values, not cell objects (a third of the read's time): openpyxl yields every row from
    # the first, missing ones as blanks, so counting gives Excel's row numbers.
    for number, cells in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
        if all(is_blank(value) for value in cells):
            continue
        if headers is None:
            headers = [normalize_header(value) for value in cells]
            header_row = number
            check_headers(headers, known=known, columns=columns, required=required, row=number)
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise ExcelFormatError(f"数据行超过 {max_rows} 行，请拆分后分批导入。")
        rows.append(_data_row(cells, headers=headers, number=number, errors=errors))
        if progress is not None and len(rows) % PROGRESS_ROWS == 0:
            progress("read", len(rows), max(expected, len(rows)))
    if progress is not None:
        progress("read", len(rows), len(rows))
    if headers is None:
        raise ExcelFormatError("Excel 文件是空的：第一个工作表没有任何内容。")
    if not rows:
        raise ExcelFormatError(f"Excel 文件只有表头（第{header_row}行），没有数据行。")
    return Sheet(headers=[h for h in headers if h], rows=rows, errors=errors)


def _data_row(cells: Any, *, headers: list[str], number: int, errors: list[RowError]) -> SheetRow:
    """One data row keyed by header; a cell under no header or holding a formula is reported
    in `errors` (formula cells also go to `refused`), every other header gets its value or None."""
    values: dict[str, Any] = {}
    refused: set[str] = set()
    for index, value in enumerate(cells):
        header = headers[index] if index < len(headers) else ""
        if not header:
            if not is_blank(value):
                errors.append(
                    RowError(
                        number,
                        f"{get_column_letter(index + 1)}列",
                        "该列没有表头，数据无法识别；请删除该列数据或补上表头。",
                    )
                )
            continue
        if _is_formula(value):
            errors.append(
                RowError(
                    number,
                    header,
                    "单元格含有公式（或以“=”开头），不接受公式；"
                    "请复制后“选择性粘贴为数值”，或去掉开头的“=”。",
                )
            )
            refused.add(header)
            continue
        values[header] = value
    for header in headers:
        if header and header not in values and header not in refused:
            values[header] = None
    return SheetRow(number=number, values=values, refused=frozenset(refused))


def check_headers(
    headers: list[str],
    *,
    known: set[str],
    columns: Sequence[str],
    required: Sequence[str],
    row: int,
) -> None:
    present = [h for h in headers if h]
    problems: list[str] = []
    unknown = [h for h in present if h not in known]
    if unknown:
        problems.append("无法识别的表头：" + "、".join(f"“{h}”" for h in unknown))
    duplicates = sorted({h for h in present if present.count(h) > 1}, key=present.index)
    if duplicates:
        problems.append("重复的表头：" + "、".join(f"“{h}”" for h in duplicates))
    missing = [h for h in required if h not in present]
    if missing:
        problems.append("缺少必需的列：" + "、".join(f"“{h}”" for h in missing))
    if problems:
        raise ExcelFormatError(
            f"表头（第{row}行）不正确。"
            + "；".join(problems)
            + "。表头应为："
            + "、".join(columns)
            + "。建议先导出一份名录作为模板。"
        )


# ---------------------------------------------------------------------------- cell parsers
# Shared by every import so that a date, a yes/no or an amount is read the same way (and
# refused with the same words) whichever sheet it is in.


class CellError(Exception):
    """A cell that cannot be read; str(exc) is the reason shown in the row error."""


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
TRUE_WORDS = frozenset({"是", "true", "1", "y", "yes", "√"})
FALSE_WORDS = frozenset({"否", "false", "0", "n", "no", "×"})
_CENT = Decimal("0.01")


def parse_date_cell(raw: Any, *, example: str = "2024-03-15") -> datetime.date:
    """A date typed as an Excel date or as text in one of DATE_FORMATS."""
    if is_blank(raw):
        raise CellError("必填，不能为空。")
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"“{text}”不是有效日期，应为“年-月-日”格式，如 {example}。")


def parse_bool_cell(raw: Any, *, extra_true=(), extra_false=(), blank: bool | None = None) -> bool:
    """是/否 (and the usual spellings); `blank` is the value of an empty cell, None = refused."""
    if isinstance(raw, bool):
        return raw
    text = "" if is_blank(raw) else str(raw).strip().lower()
    if not text and blank is not None:
        return blank
    if text in TRUE_WORDS or text in extra_true:
        return True
    if text in FALSE_WORDS or text in extra_false:
        return False
    hint = "（留空视为“否”）" if blank is False else ""
    raise CellError(f"“{raw}”无法识别，应填“是”或“否”{hint}。")


def parse_money_cell(
    raw: Any, *, label: str = "金额", allow_negative: bool = False, limit: Decimal, limit_text: str
) -> Decimal:
    """An amount in yuan with at most two decimals; thousands separators and 元 are allowed."""
    if isinstance(raw, bool):
        raise CellError(f"{label}应为金额数字（单位：元）。")
    if isinstance(raw, int | float):
        text = repr(raw)
    else:
        text = re.sub(r"[,，\s\u3000]", "", str(raw)).removesuffix("元")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"{label}“{raw}”不是有效金额，应为数字（单位：元）。") from None
    if not value.is_finite():
        raise CellError(f"{label}“{raw}”不是有效金额，应为数字（单位：元）。")
    if value < 0 and not allow_negative:
        raise CellError(f"{label}不能为负数。")
    # Range first: quantizing 1e30 to cents exceeds the decimal context and raises
    # InvalidOperation (a 500 until issue 9).
    if abs(value) >= limit:
        raise CellError(f"{label}“{raw}”超出范围（{limit_text}）。")
    try:
        cents = value.quantize(_CENT)
    except InvalidOperation:
        raise CellError(f"{label}“{raw}”超出范围（{limit_text}）。") from None
    if value != cents:
        raise CellError(f"{label}最多保留两位小数（单位：元）。")
    return cents
