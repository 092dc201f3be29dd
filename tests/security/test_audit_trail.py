"""Item 5: the audit trail is append-only in the database, chained per day, verifiable,
purged only past the retention, and fed by logins, admin writes and personal reads."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from common.audit import GENESIS_DIGEST, audit_chain_verify, audit_days_seal, audit_purge, record
from common.audit_models import AuditAction, AuditDigest, AuditEvent

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def event_on(day: datetime.date, **kwargs) -> AuditEvent:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return AuditEvent.objects.create(
        occurred_at=moment, action=AuditAction.EXPORT, username="clerk", **kwargs
    )


def verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit_chain", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), err.getvalue()
    return 0, out.getvalue()


def test_days_chain_and_an_edited_row_is_detected():
    today = timezone.localdate()
    for offset in (3, 3, 2, 1):
        event_on(today - offset * DAY, detail=f"d{offset}")
    assert audit_days_seal() == 3
    assert audit_days_seal() == 0  # idempotent
    first, second, third = AuditDigest.objects.order_by("day")
    assert first.previous_digest == GENESIS_DIGEST and first.rows == 2
    assert second.previous_digest == first.digest and third.previous_digest == second.digest
    code, output = verify()
    assert code == 0 and "完整" in output

    row = AuditEvent.objects.filter(day=today - 2 * DAY).get()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE common_auditevent DISABLE TRIGGER USER")
        cursor.execute("UPDATE common_auditevent SET username = 'mallory' WHERE id = %s", [row.pk])
        cursor.execute("ALTER TABLE common_auditevent ENABLE TRIGGER USER")
    code, output = verify()
    assert code == 1
    assert str(today - 2 * DAY) in output and "不符" in output


def test_database_refuses_update_and_delete():
    event = event_on(timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(ValueError):
        event.save()
    event_on(timezone.localdate() - DAY)
    audit_days_seal()
    digest = AuditDigest.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditDigest.objects.filter(pk=digest.pk).update(digest="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditDigest.objects.filter(pk=digest.pk).delete()


def test_a_deleted_sealed_day_is_detected():
    today = timezone.localdate()
    for offset in (3, 2, 1):
        event_on(today - offset * DAY)
    audit_days_seal()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE common_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM common_auditevent WHERE day = %s", [today - 2 * DAY])
        cursor.execute("ALTER TABLE common_auditevent ENABLE TRIGGER USER")
    assert not audit_chain_verify().ok


def test_purge_keeps_the_retention_and_the_chain_verifiable(settings):
    settings.AUDIT_RETENTION_DAYS = 30  # below the floor: 180 days apply
    today = timezone.localdate()
    old, kept = today - 200 * DAY, today - 100 * DAY
    event_on(old)
    event_on(kept)
    audit_days_seal()
    assert audit_purge() == (20, 1)  # days 200..181 ago, and the one old event
    assert not AuditEvent.objects.filter(day=old).exists()
    assert AuditEvent.objects.filter(day=kept).exists()
    assert AuditDigest.objects.order_by("day").first().day == today - 180 * DAY
    assert audit_chain_verify().ok
    assert audit_purge() == (0, 0)


def test_logins_failures_and_admin_writes_are_recorded(client, django_user_model, settings):
    user = django_user_model.objects.create_superuser("auditboss", "a@example.com", "Gd7#kq2!Lm9p")
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "auditboss", "password": "wrong"},
        REMOTE_ADDR="10.1.2.3",
    )
    client.post(
        "/admin/login/?next=/admin/",
        {"username": "auditboss", "password": "Gd7#kq2!Lm9p"},
        REMOTE_ADDR="10.1.2.3",
    )
    actions = list(
        AuditEvent.objects.order_by("id").values_list("action", "username", "ip_address")
    )
    assert actions[:2] == [
        (AuditAction.LOGIN_FAILED, "auditboss", "10.1.2.3"),
        (AuditAction.LOGIN, "auditboss", "10.1.2.3"),
    ]
    client.post(
        "/admin/registry/industrycategory/add/",
        {"code": "99", "name": "测试类别", "scope": "测试"},
        REMOTE_ADDR="10.1.2.3",
    )
    write = AuditEvent.objects.filter(action=AuditAction.ADMIN_ADD).get()
    assert write.user_id == user.pk and write.object_type == "registry.industrycategory"
    assert write.ip_address == "10.1.2.3"


def test_admin_lists_and_exports_but_cannot_change(staff_client):
    record(action=AuditAction.EXPORT, username="clerk", detail="名录")
    listing = staff_client.get("/admin/common/auditevent/")
    assert listing.status_code == 200 and "导出 Excel" in listing.content.decode()
    export = staff_client.get("/admin/common/auditevent/export/")
    assert export.status_code == 200
    assert staff_client.get("/admin/common/auditevent/add/").status_code == 403
    event = AuditEvent.objects.first()
    response = staff_client.post(f"/admin/common/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403


def test_personal_reads_in_admin_and_api_are_recorded(staff_client, staff_user):
    from rest_framework.test import APIClient

    from common.services import api_token_create
    from tests.registry.factories import OrganizationFactory

    org = OrganizationFactory()
    assert staff_client.get(f"/admin/registry/organization/{org.pk}/change/").status_code == 200
    _token, key = api_token_create(user=staff_user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(f"/api/v1/organizations/{org.uscc}/", REMOTE_ADDR="10.8.8.8").status_code == 200
    reads = AuditEvent.objects.filter(action=AuditAction.PERSONAL_READ, object_id=str(org.pk))
    assert sorted(r.detail.split("：")[0] for r in reads) == ["API", "后台"]
    assert reads.filter(ip_address="10.8.8.8", user=staff_user).exists()
    uses = AuditEvent.objects.filter(action=AuditAction.TOKEN_USE, user=staff_user)
    api.get("/api/v1/organizations/")
    assert uses.count() == 1  # one row per token and day, not per request
