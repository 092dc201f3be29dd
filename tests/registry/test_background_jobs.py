"""Issue 14: the register import in the background (progress, failure, a killed worker) and
the upload parsed once (the sheet memo kept between the preview and the commit)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from common import admin_import_jobs
from registry.imports import CHANGE_REASON, organizations_import
from registry.models import Organization
from tests.registry.factories import OrganizationFactory, organization_sheet_row, xlsx_file

ROOT = Path(__file__).resolve().parents[2]
CHANGELIST = "/admin/registry/organization/"
HistoricalOrganization = Organization.history.model


def _phone_sheet(orgs, phone: str):
    rows = []
    for org in orgs:
        row = organization_sheet_row(
            org_type=org.org_type,
            **{
                "统一社会信用代码": org.uscc,
                "名称": org.name,
                "行业协会商会": "是" if org.is_industry_association else "否",
                "行业分类": org.industry_category.name,
                "业务主管单位": org.supervising_unit.name if org.supervising_unit else "",
                "法定代表人": org.legal_representative,
                "住所": org.domicile,
                "联系电话": phone,
                "业务范围": org.business_scope,
                "注册资金（元）": org.registered_capital,
                "登记证号": org.registration_certificate_no,
                "成立日期": org.established_on,
                "登记状态": org.get_status_display(),
            },
        )
        rows.append(list(row.values()))
    return xlsx_file(rows)


# ---------------------------------------------------------------------------- progress


@pytest.mark.django_db
def test_import_reports_rows_read_validated_and_written_in_order(staff_user):
    orgs = OrganizationFactory.create_batch(2100)
    reports = []
    result = organizations_import(
        fileobj=_phone_sheet(orgs, "0755-1"),
        actor=staff_user,
        progress=lambda stage, done, total: reports.append((stage, done, total)),
    )
    assert result.committed and result.updated == 2100
    stages = [stage for stage, _, _ in reports]
    assert stages.index("read") < stages.index("validated") < stages.index("written")
    assert ("read", 1000, 2100) in reports  # partway, against the sheet's dimension
    assert reports[-1] == ("written", 2100, 2100)
    for stage in ("read", "validated"):
        done = [d for s, d, _ in reports if s == stage]
        assert done == sorted(done) and done[-1] == 2100


@pytest.mark.django_db
def test_waiting_page_shows_the_workers_progress(staff_client, monkeypatch):
    from common import tasks

    queued = []
    monkeypatch.setattr(tasks.excel_import_job, "delay", lambda **kw: queued.append(kw))
    orgs = OrganizationFactory.create_batch(3)
    upload = _phone_sheet(orgs, "0755-2")
    upload.name = "名录.xlsx"
    staff_client.post("/admin/registry/organization/import/", {"file": upload})
    job = queued[0]
    admin_import_jobs.progress_reporter(job["token"], "preview")("validated", 2, 3)
    page = staff_client.get("/admin/registry/organization/import/", {"job": job["token"]})
    html = page.content.decode()
    assert "已校验 2 / 3 行" in html and '<progress max="3" value="2"' in html
    tasks.excel_import_job.run(**job)
    assert admin_import_jobs.import_progress(job["token"], "preview") == {
        "stage": "validated",
        "done": 3,
        "total": 3,
    }


# ---------------------------------------------------------------------------- failure


@pytest.mark.django_db
def test_a_failing_write_leaves_nothing_written_and_tells_the_page(staff_user, monkeypatch):
    from common import tasks

    orgs = OrganizationFactory.create_batch(5)
    before = HistoricalOrganization.objects.count()
    token = "f" * 40
    name = f"imports/pending/registry_organization/{token}.xlsx"
    default_storage.save(name, ContentFile(_phone_sheet(orgs, "0755-3").getvalue()))

    def broken_history(*args, **kwargs):
        raise RuntimeError("history write failed")

    monkeypatch.setattr("registry.bulk.history_insert_select", broken_history)
    job = {
        "admin_label": "registry.organization",
        "token": token,
        "user_id": staff_user.pk,
        "phase": "commit",
    }
    with pytest.raises(RuntimeError):
        tasks.excel_import_job.run(**job)
    assert not Organization.objects.filter(phone="0755-3").exists()  # the UPDATE rolled back
    assert HistoricalOrganization.objects.count() == before
    assert admin_import_jobs.cache.get(admin_import_jobs.job_key(token, "commit")) == {
        "error": admin_import_jobs.IMPORT_FAILED
    }


# ---------------------------------------------------------------------------- killed worker

_WORKER = """
import os, sys
import django
django.setup()
from common import tasks
tasks.excel_import_job.run(admin_label="registry.organization", token=sys.argv[1],
                           user_id=None, phase="commit")
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_write_leaves_nothing_and_a_rerun_completes(settings):
    orgs = OrganizationFactory.create_batch(50)
    token = "k" * 40
    name = f"imports/pending/registry_organization/{token}.xlsx"
    default_storage.save(name, ContentFile(_phone_sheet(orgs, "0755-4").getvalue()))
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    history_table = HistoricalOrganization._meta.db_table
    # Hold the history table so the worker stops after its UPDATE, inside its transaction.
    blocker = connection.cursor()
    blocker.execute("BEGIN")
    blocker.execute(f"LOCK TABLE {history_table} IN EXCLUSIVE MODE")
    worker = subprocess.Popen(
        [sys.executable, "-c", _WORKER, token], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )
    try:
        _wait_until_blocked_on(blocker, history_table)
        os.kill(worker.pid, signal.SIGKILL)  # the worker dies mid-task: no finally runs
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        blocker.execute("ROLLBACK")
    assert not Organization.objects.filter(phone="0755-4").exists()
    assert not HistoricalOrganization.objects.filter(history_change_reason=CHANGE_REASON).exists()
    assert default_storage.exists(name)  # the upload is still there for the redelivered task

    rerun = subprocess.run(
        [sys.executable, "-c", _WORKER, token], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert Organization.objects.filter(phone="0755-4").count() == 50
    assert HistoricalOrganization.objects.filter(history_change_reason=CHANGE_REASON).count() == 50
    assert not default_storage.exists(name)


def _wait_until_blocked_on(cursor, table: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = %s AND NOT l.granted",
            [table],
        )
        if cursor.fetchone()[0]:
            return
        time.sleep(0.1)
    raise AssertionError("the worker never reached the history write")


# ---------------------------------------------------------------------------- parse once


def _stored_upload(orgs, phone: str) -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    name = _registry_admin().excel_upload_name(token)
    default_storage.save(name, ContentFile(_phone_sheet(orgs, phone).getvalue()))
    return token, name


def _registry_admin():
    from django.contrib import admin

    return admin.site._registry[Organization]


@pytest.mark.django_db
def test_the_commit_reads_the_sheet_the_preview_parsed(staff_user):
    orgs = OrganizationFactory.create_batch(3)
    token, name = _stored_upload(orgs, "0755-5")
    model_admin = _registry_admin()
    preview = model_admin.excel_import_run(token=token, actor=staff_user, phase="preview")
    assert preview["result"].to_update == 3
    assert default_storage.exists(name + ".sheet")
    # The upload itself is no longer read: garbage in its place changes nothing.
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"not a workbook"))
    committed = model_admin.excel_import_run(token=token, actor=staff_user, phase="commit")
    assert committed["result"].committed and committed["result"].updated == 3
    assert Organization.objects.filter(phone="0755-5").count() == 3
    assert not default_storage.exists(name) and not default_storage.exists(name + ".sheet")


@pytest.mark.django_db
def test_a_tampered_sheet_memo_is_ignored_and_the_upload_parsed_again(staff_user):
    orgs = OrganizationFactory.create_batch(2)
    token, name = _stored_upload(orgs, "0755-6")
    model_admin = _registry_admin()
    model_admin.excel_import_run(token=token, actor=staff_user, phase="preview")
    with default_storage.open(name + ".sheet", "rb") as fh:
        signed = fh.read()
    # Someone with write access to the storage swaps a phone number in the memo: the
    # signature no longer matches, so the commit trusts the upload instead.
    forged = signed.replace(b"0755-6", b"0755-X")
    default_storage.delete(name + ".sheet")
    default_storage.save(name + ".sheet", ContentFile(forged))
    committed = model_admin.excel_import_run(token=token, actor=staff_user, phase="commit")
    assert committed["result"].updated == 2
    assert Organization.objects.filter(phone="0755-6").count() == 2


def test_sheet_memo_keeps_every_kind_of_cell():
    import datetime

    from common.excel import RowError, Sheet, SheetRow
    from common.sheet_memo import SheetMemo

    values = {
        "文本": "福田",
        "整数": 3,
        "小数": 2.5,
        "是否": True,
        "空": None,
        "日期时间": datetime.datetime(2024, 3, 1, 9, 30),
        "日期": datetime.date(2024, 3, 1),
        "时间": datetime.time(9, 30),
        "时长": datetime.timedelta(hours=2),
    }
    sheet = Sheet(
        headers=list(values),
        rows=[SheetRow(2, values, frozenset({"公式"}))],
        errors=[RowError(2, "公式", "不接受公式")],
    )
    again = SheetMemo.loads(SheetMemo(sheet).dumps()).sheet
    assert again == sheet
    assert SheetMemo.loads(b"forged") is None
