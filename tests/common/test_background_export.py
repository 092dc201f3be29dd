"""Large changelist exports run in the background (issue 14 item 3, common.admin_export_jobs):
progress while the worker writes, a link only the requester can use, that expires, and a
failed job that leaves no file behind."""

from __future__ import annotations

import io
import time
from urllib.parse import urlparse

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from common import admin_export_jobs as export_jobs
from common.admin_export_jobs import export_file_name, export_job_get
from registry.models import Organization
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
EXPORT = reverse("admin:registry_organization_export")


@pytest.fixture
def over_threshold(settings):
    settings.EXCEL_BACKGROUND_EXPORT_ROWS = 2
    OrganizationFactory.create_batch(3, org_type="social_group")
    OrganizationFactory(org_type="foundation")


def start(client, **query) -> str:
    response = client.get(EXPORT, query)
    assert response.status_code == 302, response
    path = urlparse(response["Location"]).path
    return path.rstrip("/").rsplit("/", 1)[-1]


def job_url(token: str) -> str:
    return reverse("admin:registry_organization_export_job", args=[token])


def test_small_export_stays_in_the_request(staff_client, settings):
    settings.EXCEL_BACKGROUND_EXPORT_ROWS = 10
    OrganizationFactory.create_batch(3)
    response = staff_client.get(EXPORT)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


def test_large_export_runs_in_the_background_with_the_changelist_filters(
    staff_client, over_threshold
):
    token = start(staff_client, org_type="social_group")
    page = staff_client.get(job_url(token))
    assert "导出完成：3 行" in page.content.decode()
    download = staff_client.get(job_url(token), {"download": "1"})
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3


def test_progress_is_reported_while_rows_stream(staff_client, over_threshold, monkeypatch):
    import common.admin_export_jobs as jobs

    seen = []
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0)
    original = jobs._job_set

    def spy(token, job):
        seen.append((job["state"], job["done"]))
        original(token, job)

    monkeypatch.setattr(jobs, "_job_set", spy)
    start(staff_client)
    assert ("queued", 0) in seen
    assert [done for state, done in seen if state == "running"] == [1, 2, 3, 4]
    assert seen[-1] == ("done", 4)


def test_waiting_page_shows_the_bar(staff_client, over_threshold, monkeypatch):
    import common.tasks

    monkeypatch.setattr(common.tasks.excel_export_job, "delay", lambda **kwargs: None)
    token = start(staff_client)
    page = staff_client.get(job_url(token)).content.decode()
    assert "正在导出 4 行" in page and "<progress" in page and 'http-equiv="refresh"' in page


def test_another_user_cannot_use_the_link(staff_client, over_threshold, django_user_model, client):
    token = start(staff_client)
    other = django_user_model.objects.create_superuser("other", "o@example.com", "pw")
    client.force_login(other)
    assert client.get(job_url(token), {"download": "1"}).status_code == 404
    assert client.get(job_url("x" * 43)).status_code == 404


def test_the_link_expires_and_the_file_is_deleted(staff_client, over_threshold, settings):
    token = start(staff_client)
    assert default_storage.exists(export_file_name(token))
    job = export_job_get(token)
    export_jobs._job_set(token, {**job, "expires": time.time() - 1})
    page = staff_client.get(job_url(token), {"download": "1"})
    assert "下载链接已过期" in page.content.decode()
    assert not default_storage.exists(export_file_name(token))


def test_a_failed_export_leaves_no_file_and_a_rerun_completes(
    staff_client, over_threshold, monkeypatch
):
    import common.admin_export_jobs as jobs
    from registry.admin import OrganizationAdmin

    token = "f" * 43
    monkeypatch.setattr(jobs.secrets, "token_urlsafe", lambda n: token)

    def broken(self, *, queryset, fileobj):
        fileobj.write(b"half a workbook")
        raise RuntimeError("worker died")

    monkeypatch.setattr(OrganizationAdmin, "excel_export", broken)
    with pytest.raises(RuntimeError):  # eager tasks propagate; a worker would log it
        staff_client.get(EXPORT)
    assert export_job_get(token)["state"] == "failed"
    assert not default_storage.exists(export_file_name(token))
    assert "导出失败" in staff_client.get(job_url(token)).content.decode()

    monkeypatch.undo()
    again = start(staff_client)
    assert export_job_get(again)["rows"] == Organization.objects.count()
    assert default_storage.exists(export_file_name(again))


def test_the_job_of_an_account_deactivated_since_queuing_fails_instead_of_waiting(staff_user):
    token = "d" * 43
    export_jobs._job_set(token, {"user_id": staff_user.pk, "state": "queued", "done": 0})
    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    export_jobs.excel_export_job_run(
        admin_label="registry.organization", token=token, user_id=staff_user.pk, query=""
    )
    assert export_job_get(token)["state"] == "failed"
    assert not default_storage.exists(export_file_name(token))
