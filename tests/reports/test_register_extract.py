"""The daily public register extract (issue 15): public fields only, every organization, its
SHA-256 true to the bytes, written once a day, downloadable without login with an ETag."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django_celery_beat.models import PeriodicTask

from oversight.credit.choices import CreditGround
from registry.choices import LifecycleStatus
from reports.models import RegisterExtract
from reports.register_extract import HEADER, register_extract_publish
from reports.tasks import publish_register_extract
from tests.oversight.factories import make_listing
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


def read_rows(extract: RegisterExtract) -> list[list[str]]:
    with default_storage.open(extract.file, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == extract.sha256
    assert len(data) == extract.size
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_extract_holds_every_organization_with_public_fields_only():
    listed = OrganizationFactory(established_on=datetime.date(2015, 5, 4))
    make_listing(listed, CreditGround.A1_ANNUAL_REPORT, datetime.date(2026, 1, 5))
    revoked = OrganizationFactory(
        status=LifecycleStatus.REVOKED, revoked_on=datetime.date(2025, 6, 1)
    )
    plain = OrganizationFactory(phone="0755-88889999", legal_representative="张三")

    extract = register_extract_publish(on=DAY)

    header, *rows = read_rows(extract)
    assert header == HEADER
    assert extract.row_count == len(rows) == 3
    by_uscc = {row[0]: row for row in rows}
    assert by_uscc[listed.uscc][4] == "2015-05-04"
    assert by_uscc[listed.uscc][6] == "活动异常"
    assert by_uscc[revoked.uscc][5] == LifecycleStatus.REVOKED.label
    assert by_uscc[plain.uscc][6] == "正常"
    text = "\n".join(",".join(row) for row in rows)
    assert "0755-88889999" not in text and "张三" not in text


def test_credit_standing_is_the_one_on_the_publication_day():
    org = OrganizationFactory()
    make_listing(org, CreditGround.A1_ANNUAL_REPORT, DAY + datetime.timedelta(days=1))
    (_header, row) = read_rows(register_extract_publish(on=DAY))
    assert row[6] == "正常"


def test_a_day_is_published_once():
    OrganizationFactory()
    first = register_extract_publish(on=DAY)
    OrganizationFactory()
    again = register_extract_publish(on=DAY)
    assert again.pk == first.pk and again.row_count == 1
    assert RegisterExtract.objects.count() == 1


def test_public_page_and_download_without_login():
    OrganizationFactory()
    extract = register_extract_publish(on=DAY)
    client = Client()
    page = client.get("/public/register/")
    assert page.status_code == 200
    assert extract.sha256 in page.content.decode()
    url = "/public/register/register-2026-03-02.csv"
    download = client.get(url)
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == extract.sha256
    assert download["ETag"] == f'"{extract.sha256}"'
    assert client.get(url, HTTP_IF_NONE_MATCH=download["ETag"]).status_code == 304
    assert client.get("/public/register/register-2026-03-03.csv").status_code == 404
    assert client.get("/public/register/register-bad.csv").status_code == 404


def test_daily_task_is_scheduled_and_publishes_today():
    assert PeriodicTask.objects.filter(task="reports.publish_register_extract").exists()
    OrganizationFactory()
    sha = publish_register_extract.apply().get()
    assert RegisterExtract.objects.get().sha256 == sha
