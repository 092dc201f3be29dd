"""A parsed sheet kept between the phases of one import, so the upload is parsed once
(issue 14): the preview keeps it, signed, beside the stored upload
(common.admin_import_jobs), and the commit's `xlsx_read` returns it instead of parsing the
workbook again."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from .excel import ExcelFormatError, Progress, RowError, Sheet, SheetRow, check_headers


class SheetMemo:
    """A parsed sheet kept between the phases of one import (see xlsx_read).

    `dumps()` gives signed, compressed JSON to store beside the upload; `loads()` returns
    None for anything not signed by this deployment's key (a tampered or foreign file is
    parsed again from the upload instead of trusted). Cell values are what openpyxl reads:
    text, numbers, booleans, dates and times, or nothing.

    `plan` is what the first phase concluded about the rows, kept for the second to verify
    and reuse instead of validating every row again (JSON, owned by the import that sets
    it: registry.import_plan); the signature covers it as it covers the cells."""

    salt = "common.sheet_memo.SheetMemo"

    def __init__(self, sheet: Sheet | None = None, plan: dict | None = None) -> None:
        self._sheet = sheet
        self._rows: dict | None = None  # the loaded payload, until the sheet is asked for
        self.plan = plan

    @property
    def sheet(self) -> Sheet | None:
        # Built on first use: a commit that writes the kept plan never reads the cells.
        if self._sheet is None and self._rows is not None:
            self._sheet, self._rows = _sheet_from_payload(self._rows), None
        return self._sheet

    @sheet.setter
    def sheet(self, sheet: Sheet | None) -> None:
        self._sheet, self._rows = sheet, None

    def reuse(
        self,
        *,
        columns: Sequence[str],
        required: Sequence[str],
        max_rows: int | None,
        progress: Progress | None,
    ) -> Sheet:
        sheet = self.sheet
        check_headers(
            list(sheet.headers), known=set(columns), columns=columns, required=required, row=1
        )
        if max_rows is not None and len(sheet.rows) > max_rows:
            raise ExcelFormatError(f"数据行超过 {max_rows} 行，请拆分后分批导入。")
        if progress is not None:
            progress("read", len(sheet.rows), len(sheet.rows))
        return sheet

    def dumps(self) -> bytes:
        from django.core import signing

        sheet = self.sheet
        headers = sheet.headers
        # A row's values as a list in header order (refused cells, absent from `values`,
        # are null there and listed by name): the headers are not repeated on every row.
        payload = {
            "h": headers,
            "r": [
                [row.number, [_memo_value(row.values.get(h)) for h in headers], sorted(row.refused)]
                for row in sheet.rows
            ],
            "e": [[e.row, e.column, e.message] for e in sheet.errors],
            "p": self.plan,
        }
        signed = signing.dumps(payload, salt=self.salt, serializer=_MemoJSON, compress=True)
        return signed.encode("ascii")

    @classmethod
    def loads(cls, data: bytes) -> SheetMemo | None:
        from django.core import signing

        try:
            payload = signing.loads(data.decode("ascii"), salt=cls.salt, serializer=_MemoJSON)
        except (signing.BadSignature, UnicodeDecodeError, ValueError):
            return None
        memo = cls(plan=payload.get("p"))
        memo._rows = payload
        return memo


def _sheet_from_payload(payload: dict) -> Sheet:
    headers = payload["h"]
    rows = []
    for number, values, refused in payload["r"]:
        cells = {h: _memo_cell(v) for h, v in zip(headers, values, strict=True)}
        for header in refused:
            cells.pop(header, None)
        rows.append(SheetRow(number, cells, frozenset(refused)))
    errors = [RowError(row, column, message) for row, column, message in payload["e"]]
    return Sheet(headers=headers, rows=rows, errors=errors)


class _MemoJSON:
    """Django's signing serializer, with Chinese text as UTF-8 rather than \\u escapes."""

    def dumps(self, obj: Any) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def loads(self, data: bytes) -> Any:
        return json.loads(data.decode("utf-8"))


# Cell values that JSON has no type for, tagged as [tag, text]; a cell is never a list.
_MEMO_TYPES = (
    ("dt", datetime.datetime, datetime.datetime.fromisoformat),
    ("d", datetime.date, datetime.date.fromisoformat),
    ("t", datetime.time, datetime.time.fromisoformat),
)


# The kinds JSON keeps as they are, tested by exact type first: a sheet is mostly text, and
# this runs once per cell (a union isinstance cost a tenth of the preview's own time).
_JSON_KINDS = frozenset({str, int, float, bool, type(None)})


def _memo_value(value: Any) -> Any:
    if type(value) in _JSON_KINDS or isinstance(value, str | bool | int | float):
        return value
    for tag, kind, _parse in _MEMO_TYPES:
        if isinstance(value, kind):
            return [tag, value.isoformat()]
    if isinstance(value, datetime.timedelta):
        return ["td", value.total_seconds()]
    raise TypeError(f"cannot keep a {type(value).__name__} cell in a sheet memo")


def _memo_cell(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    tag, text = value
    if tag == "td":
        return datetime.timedelta(seconds=text)
    return next(parse for t, _kind, parse in _MEMO_TYPES if t == tag)(text)
