"""Item 1: token issuance cannot escalate; every issuance and revocation is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from common.audit_models import AuditAction, AuditEvent
from common.models import ApiToken
from common.services import api_token_create, api_token_revoke
from common.testing.api import make_department_user
from tests.registry.factories import SupervisingUnitFactory

pytestmark = pytest.mark.django_db
ISSUE = "/admin/common/apitoken/issue/"


def clerk_with(django_user_model, *codenames: str, username="tokenclerk"):
    user = django_user_model.objects.create_user(username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="common", codename__in=codenames)
    )
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


def test_clerk_with_only_add_apitoken_cannot_issue_for_a_superuser(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.com", "x")
    clerk = clerk_with(django_user_model, "add_apitoken", "view_apitoken")
    client.force_login(clerk)
    form = client.get(ISSUE).content.decode()
    assert "boss" not in form  # not even offered
    response = client.post(ISSUE, {"user": boss.pk, "name": "x"})
    assert response.status_code == 200
    assert not ApiToken.objects.filter(user=boss).exists()
    with pytest.raises(ValidationError, match="超级用户"):
        api_token_create(user=boss, actor=clerk)


def test_clerk_cannot_issue_for_another_staff_user(django_user_model):
    clerk = clerk_with(django_user_model, "add_apitoken", "manage_department_accounts")
    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    with pytest.raises(ValidationError, match="只能由本人或超级用户"):
        api_token_create(user=colleague, actor=clerk)


def test_clerk_issues_for_themselves(client, django_user_model):
    clerk = clerk_with(django_user_model, "add_apitoken", "view_apitoken")
    client.force_login(clerk)
    response = client.post(ISSUE, {"user": clerk.pk, "name": "自用"})
    assert response.status_code == 200 and 'id="api-token-key"' in response.content.decode()
    assert ApiToken.objects.filter(user=clerk).count() == 1


def test_department_accounts_need_the_manage_permission(client, django_user_model):
    unit = SupervisingUnitFactory()
    dept = make_department_user(unit=unit)
    plain = clerk_with(django_user_model, "add_apitoken", "view_apitoken")
    with pytest.raises(ValidationError, match="管理部门账号"):
        api_token_create(user=dept, actor=plain)
    client.force_login(plain)
    client.post(ISSUE, {"new_username": "newdept", "supervising_unit": unit.pk})
    assert not django_user_model.objects.filter(username="newdept").exists()
    manager = clerk_with(
        django_user_model,
        "add_apitoken",
        "view_apitoken",
        "manage_department_accounts",
        username="manager",
    )
    client.force_login(manager)
    response = client.post(ISSUE, {"new_username": "newdept", "supervising_unit": unit.pk})
    assert 'id="api-token-key"' in response.content.decode()
    api_token_create(user=dept, actor=manager)


def test_issuance_and_revocation_are_audited_with_the_issuer(django_user_model):
    manager = clerk_with(django_user_model, "add_apitoken", "manage_department_accounts")
    dept = make_department_user(unit=SupervisingUnitFactory())
    token, _key = api_token_create(user=dept, actor=manager)
    api_token_revoke(token=token, actor=manager)
    rows = AuditEvent.objects.filter(object_id=str(token.pk)).order_by("id")
    assert [(r.action, r.user_id) for r in rows] == [
        (AuditAction.TOKEN_ISSUE, manager.pk),
        (AuditAction.TOKEN_REVOKE, manager.pk),
    ]
    assert dept.username in rows[0].detail
