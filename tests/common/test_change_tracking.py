"""`updated_at` is kept by the database (common.change_tracking): set-based writes that bypass
`auto_now` still stamp it, so `?updated_after=` misses nothing; a no-op UPDATE does not."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from common.change_tracking import FIELD
from registry.models import Organization
from tests.registry.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def tracked_models():
    return [m for m in apps.get_models() if any(f.name == FIELD for f in m._meta.fields)]


def test_every_tracked_table_has_the_stamping_trigger():
    tables = {m._meta.db_table for m in tracked_models() if not m._meta.proxy}
    assert "registry_organization" in tables and len(tables) >= 15
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%%_stamp_updated_at'")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE '%_stamp_updated_at'"
            )
        installed = {row[0].removesuffix("_stamp_updated_at") for row in cursor.fetchall()}
        if connection.vendor == "sqlite":
            # Tables guarded against updates keep auto_now only there (common.change_tracking).
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type='trigger' AND name LIKE '%no_update'"
            )
            tables -= {row[0] for row in cursor.fetchall()}
            assert "oversight_inspectiondraw" not in tables
    assert tables <= installed, tables - installed


def test_queryset_update_stamps_updated_at():
    org = OrganizationFactory()
    old = timezone.now() - datetime.timedelta(days=3)
    Organization.objects.filter(pk=org.pk).update(updated_at=old)  # an explicit value stays
    assert Organization.objects.get(pk=org.pk).updated_at == old
    before = timezone.now()
    Organization.objects.filter(pk=org.pk).update(phone="0755-12345678")
    assert Organization.objects.get(pk=org.pk).updated_at >= before


@pytest.mark.postgres_only
def test_raw_sql_update_stamps_and_a_no_op_update_does_not():
    org = OrganizationFactory(phone="0755-1")
    old = timezone.now() - datetime.timedelta(days=3)
    Organization.objects.filter(pk=org.pk).update(updated_at=old)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_organization SET phone = phone WHERE id = %s", [org.pk])
    assert Organization.objects.get(pk=org.pk).updated_at == old
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_organization SET phone = '0755-2' WHERE id = %s", [org.pk])
    assert Organization.objects.get(pk=org.pk).updated_at > old


@pytest.mark.parametrize(
    "raw",
    [
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
        "2025-13-01T00:00:00",  # well formed, no such month
        "yesterday",
    ],
)
def test_updated_after_out_of_range_is_a_field_error_not_a_500(raw):
    from rest_framework.exceptions import ValidationError

    from common.api.changes import UPDATED_AFTER, parse_updated_after

    with pytest.raises(ValidationError) as caught:
        parse_updated_after(raw)
    assert UPDATED_AFTER in caught.value.detail


def test_updated_after_keeps_the_instant_of_any_offset():
    from common.api.changes import parse_updated_after

    value = parse_updated_after("2025-01-31T20:00:00-15:30")
    assert value == datetime.datetime(2025, 2, 1, 11, 30, tzinfo=datetime.UTC)
    # PostgreSQL refuses offsets beyond ±15:59; in UTC the instant passes.
    far = parse_updated_after("0159-09-16T10:31:25.25-21:55")
    assert far.utcoffset() == datetime.timedelta(0) and far.day == 17
