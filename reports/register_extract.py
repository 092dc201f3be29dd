"""The public register extract (issue 15, after the UK Charity Commission's daily register
extract): once a day every organization's fields that are public by law — name, USCC, type,
industry category, registration date, status and credit-list standing — are written to a CSV
file in the project's storage, with its SHA-256 printed on the public page so anyone can check
the copy they hold.

Rows are streamed from a server-side cursor into a temporary file while the digest is computed,
so memory stays flat at a million organizations. The extract of a day is written once: a second
run (or a second worker) finds it and returns it."""

from __future__ import annotations

import datetime
import hashlib
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.csvstream import csv_chunks
from oversight.credit.choices import CreditStanding
from oversight.credit.selectors import organizations_with_credit_standing
from registry.choices import LifecycleStatus, OrganizationType
from registry.models import Organization
from reports.models import RegisterExtract

STORAGE_DIR = "public/register"
CHUNK_SIZE = 5000
HEADER = [
    "统一社会信用代码",
    "名称",
    "组织类型",
    "行业分类",
    "成立登记日期",
    "登记状态",
    "信用状况",
]
# Excel opens UTF-8 CSV correctly only with a byte-order mark; the public opens it in Excel.
BOM = "\ufeff"


def _public_rows(on: datetime.date):
    org_types = dict(OrganizationType.choices)
    statuses = dict(LifecycleStatus.choices)
    standings = dict(CreditStanding.choices)
    rows = (
        organizations_with_credit_standing(Organization.objects.all(), on=on)
        .order_by("uscc")
        .values_list(
            "uscc",
            "name",
            "org_type",
            "industry_category__name",
            "established_on",
            "status",
            "credit_standing",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for uscc, name, org_type, category, established, status, standing in rows:
        yield [
            uscc,
            name,
            org_types.get(org_type, org_type),
            category or "",
            established.isoformat() if established else "",
            statuses.get(status, status),
            standings.get(standing, standing),
        ]


def _write_csv(handle, on: datetime.date) -> tuple[str, int, int]:
    """Write the extract to the binary `handle`; return (sha256, rows, bytes)."""
    digest = hashlib.sha256()
    size = rows = 0

    def counted():
        nonlocal rows
        for row in _public_rows(on):
            rows += 1
            yield row

    for chunk in csv_chunks(HEADER, counted(), lineterminator="\r\n", prefix=BOM):
        data = chunk.encode("utf-8")
        handle.write(data)
        digest.update(data)
        size += len(data)
    return digest.hexdigest(), rows, size


def register_extract_publish(*, on: datetime.date | None = None) -> RegisterExtract:
    """Publish the extract of `on` (default today) unless it exists; return it."""
    on = on or timezone.localdate()
    if existing := RegisterExtract.objects.filter(published_on=on).first():
        return existing
    with tempfile.TemporaryFile() as handle:
        sha256, rows, size = _write_csv(handle, on)
        handle.seek(0)
        name = default_storage.save(
            f"{STORAGE_DIR}/register-{on:%Y-%m-%d}-{sha256[:12]}.csv", File(handle)
        )
    try:
        with transaction.atomic():
            return RegisterExtract.objects.create(
                published_on=on, file=name, sha256=sha256, row_count=rows, size=size
            )
    except IntegrityError:
        # Another worker published the same day first: keep its file, drop ours.
        default_storage.delete(name)
        return RegisterExtract.objects.get(published_on=on)
