"""Item 3: hostile spreadsheets are refused before parsing, cheaply; a huge amount is a row
error; uploads are removed on every path; imports are parsed by the worker's task."""

from __future__ import annotations

import io
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from common.excel import CellError, ExcelFormatError, parse_money_cell, xlsx_read

SI = b"<si><t>a</t></si>"
IMPORT = "/admin/registry/organization/import/"


def bomb(uncompressed_mb: int) -> io.BytesIO:
    """A small .xlsx whose shared-strings part inflates to `uncompressed_mb` MB."""
    buf = io.BytesIO()
    chunk = SI * (1 << 16)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            for _ in range(uncompressed_mb * 1024 * 1024 // len(chunk)):
                part.write(chunk)
    buf.seek(0)
    return buf


@pytest.fixture(scope="module")
def big_bomb():
    return bomb(480)


def test_shared_strings_bomb_refused_in_well_under_a_second(big_bomb):
    assert len(big_bomb.getvalue()) < 1.5 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ExcelFormatError, match="上限"):
        xlsx_read(big_bomb, columns=["名称"])
    assert time.perf_counter() - started < 0.3


def test_too_many_shared_strings_refused_while_streaming(settings):
    settings.EXCEL_MAX_SHARED_STRINGS = 100_000
    small = bomb(24)  # ~1.5 million strings, within the size limits
    started = time.perf_counter()
    with pytest.raises(ExcelFormatError, match="共享字符串超过 100000 个"):
        xlsx_read(small, columns=["名称"])
    assert time.perf_counter() - started < 0.3


def test_part_size_limit_is_configurable(settings):
    settings.EXCEL_MAX_PART_BYTES = 1024 * 1024
    with pytest.raises(ExcelFormatError, match="超过单个部件 1 MB"):
        xlsx_read(bomb(2), columns=["名称"])


@pytest.mark.parametrize("raw", [1e30, "1e30", "-1e300", 10**40])
def test_huge_amount_is_a_cell_error_not_a_crash(raw):
    with pytest.raises(CellError, match="超出范围"):
        parse_money_cell(
            raw, label="注册资金", allow_negative=True, limit=Decimal("1e12"), limit_text="< 1 万亿"
        )


@pytest.mark.django_db
def test_huge_amount_in_an_import_names_the_cell(staff_client):
    from tests.registry.factories import organization_sheet_row, xlsx_file

    row = organization_sheet_row(**{"注册资金（元）": 1e30})
    buf = xlsx_file([list(row.values())])
    buf.name = "名录.xlsx"
    response = staff_client.post(IMPORT, {"file": buf})
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert [e.column for e in errors] == ["注册资金（元）"]


def _pending_files() -> list[str]:
    try:
        _dirs, files = default_storage.listdir("imports/pending/registry_organization")
    except FileNotFoundError:
        return []
    return files


@pytest.mark.django_db
def test_uploads_removed_on_every_path(staff_client, monkeypatch, big_bomb):
    from django.contrib import admin

    from registry.models import Organization

    before = set(_pending_files())
    big_bomb.name = "炸弹.xlsx"
    refused = staff_client.post(IMPORT, {"file": big_bomb})
    assert "上限" in refused.content.decode()
    model_admin = admin.site._registry[Organization]

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(model_admin, "excel_import", explode)
    from tests.registry.factories import organization_sheet_row, xlsx_file

    buf = xlsx_file([list(organization_sheet_row().values())])
    buf.name = "名录.xlsx"
    with pytest.raises(RuntimeError):
        staff_client.post(IMPORT, {"file": buf})
    assert set(_pending_files()) == before


@pytest.mark.django_db
def test_import_waits_for_the_worker_when_it_has_not_finished(staff_client, monkeypatch):
    """With a real worker the request only stores the file and queues the task: the page
    polls until the outcome is there."""
    from common import tasks
    from tests.registry.factories import organization_sheet_row, xlsx_file

    queued = []
    monkeypatch.setattr(tasks.excel_import_job, "delay", lambda **kw: queued.append(kw))
    buf = xlsx_file([list(organization_sheet_row().values())])
    buf.name = "名录.xlsx"
    waiting = staff_client.post(IMPORT, {"file": buf})
    assert "正在校验" in waiting.content.decode() and len(queued) == 1
    job = queued[0]
    assert default_storage.exists(f"imports/pending/registry_organization/{job['token']}.xlsx")
    tasks.excel_import_job.run(**job)  # what the worker does
    done = staff_client.get(IMPORT, {"job": job["token"], "phase": "preview"})
    assert done.context["result"].to_create == 1 and "确认导入" in done.content.decode()
