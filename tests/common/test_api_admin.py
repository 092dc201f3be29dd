"""Admin: staff issue a token (key shown once, only its hash stored) and revoke it."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from common.models import ApiToken, DepartmentMembership, hash_token_key
from common.services import api_token_create
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db


def test_issue_token_for_a_new_department_user_shows_the_key_once(staff_client):
    unit = SupervisingUnitFactory(name="区教育局")
    org = OrganizationFactory(supervising_unit=unit)
    assert staff_client.get("/admin/common/apitoken/add/").status_code == 200
    response = staff_client.post(
        "/admin/common/apitoken/add/",
        {"new_username": "jyj", "supervising_unit": unit.pk, "name": "教育局对接"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    key = re.search(r'id="api-token-key"[^>]*>([^<]+)<', html).group(1)
    token = ApiToken.objects.get(user__username="jyj")
    assert token.key_hash == hash_token_key(key)
    assert DepartmentMembership.objects.get(user=token.user).supervising_unit == unit
    # The changelist lists the token but never the key again.
    listing = staff_client.get("/admin/common/apitoken/").content.decode()
    assert token.prefix in listing and key not in listing
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"/api/v1/organizations/{org.uscc}/").status_code == 200


def test_issue_form_requires_user_or_new_username(staff_client):
    response = staff_client.post("/admin/common/apitoken/add/", {"name": "x"})
    assert response.status_code == 200
    assert "二选一" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_action_keeps_the_record(staff_client, staff_user):
    token, key = api_token_create(user=staff_user)
    response = staff_client.post(
        "/admin/common/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
        follow=True,
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == staff_user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/organizations/").status_code == 401


def test_membership_inline_on_the_user_admin(staff_client, staff_user):
    response = staff_client.get(f"/admin/auth/user/{staff_user.pk}/change/")
    assert response.status_code == 200
    assert "部门账号" in response.content.decode()
