"""A workbook that is not saved leaves nothing on disk: openpyxl's write-only sheets keep
their rows in temporary files that it removes only when saving, or when the process exits
(a web or Celery worker lives for days)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from common.excel import xlsx_write, xlsx_write_sheets


def test_rows_that_fail_mid_export_leave_no_temporary_file():
    def rows():
        for n in range(5_000):
            yield (n, f"第{n}行")
        raise RuntimeError("the query died")

    before = set(ALL_TEMP_FILES)
    with pytest.raises(RuntimeError, match="the query died"):
        xlsx_write_sheets(
            io.BytesIO(),
            sheets=[
                {"title": "甲", "headers": ["序号", "名称"], "rows": [(1, "一")]},
                {"title": "乙", "headers": ["序号", "名称"], "rows": rows()},
            ],
        )
    assert set(ALL_TEMP_FILES) <= before


def test_a_saved_workbook_is_whole_and_leaves_no_temporary_file():
    before = set(ALL_TEMP_FILES)
    buffer = io.BytesIO()
    assert xlsx_write(buffer, headers=["序号"], rows=[(n,) for n in range(3)]) == 3
    assert set(ALL_TEMP_FILES) <= before
    sheet = load_workbook(buffer, read_only=True).active
    assert [r for r in sheet.iter_rows(values_only=True)] == [("序号",), (0,), (1,), (2,)]
