"""Item 6: production settings by default for WSGI and Celery; media only through a view
that checks who may see the record holding the file, whatever DEBUG says."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import clear_url_caches

from common.audit_models import AuditAction, AuditEvent
from tests.registry.factories import SupervisingUnitFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module", ["config.wsgi", "config.celery"])
def test_entry_points_default_to_production(module):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = f"import os, {module}; print(os.environ['DJANGO_SETTINGS_MODULE'])"
    env["SECRET_KEY"] = "x" * 64
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "config.settings.production", result.stderr


@pytest.fixture
def circular_file(db):
    Circular = apps.get_model("oversight", "Circular")
    name = default_storage.save("circulars/2026/名单.xlsx", ContentFile(b"PK-secret"))
    own, other = SupervisingUnitFactory(), SupervisingUnitFactory()
    Circular.objects.create(
        title="通报", issued_on=datetime.date(2026, 6, 1), supervising_unit=other, attachment=name
    )
    yield name, own, other
    default_storage.delete(name)


@pytest.mark.parametrize("debug", [False, True])
def test_media_never_served_without_a_permission_check(client, circular_file, debug):
    name, own, _other = circular_file
    with override_settings(DEBUG=debug):
        clear_url_caches()
        anonymous = client.get(f"/media/{name}")
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
        from common.testing.api import make_department_user

        client.force_login(make_department_user(unit=own))
        assert client.get(f"/media/{name}").status_code == 404
        assert client.get("/media/../config/settings/base.py").status_code == 404
    clear_url_caches()


def test_staff_with_permission_downloads_and_it_is_audited(staff_client, circular_file):
    name, _own, _other = circular_file
    response = staff_client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK-secret"
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, detail=name).exists()


def test_file_nobody_points_to_is_404(staff_client):
    name = default_storage.save("imports/orphan.xlsx", ContentFile(b"x"))
    try:
        assert staff_client.get(f"/media/{name}").status_code == 404
    finally:
        default_storage.delete(name)
