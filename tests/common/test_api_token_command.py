"""manage.py create_api_token: prints only the key; department users created on demand."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from common.models import ApiToken, DepartmentMembership
from tests.registry.factories import OrganizationFactory, SupervisingUnitFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue()


def test_department_token_creates_the_user_and_prints_only_the_key():
    unit = SupervisingUnitFactory(code="JYJ", name="区教育局")
    org = OrganizationFactory(supervising_unit=unit)
    OrganizationFactory()  # another department's
    output = run("--user", "jyj-api", "--unit", "JYJ", "--expires-days", "30")
    key = output.strip()
    assert output == key + "\n" and " " not in key
    user = get_user_model().objects.get(username="jyj-api")
    assert not user.is_staff and not user.has_usable_password()
    assert DepartmentMembership.objects.get(user=user).supervising_unit == unit
    assert ApiToken.objects.get(user=user).expires_at is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = client.get("/api/v1/organizations/").json()
    assert [row["uscc"] for row in body["results"]] == [org.uscc]


def test_second_token_for_the_same_department_user():
    SupervisingUnitFactory(code="JYJ")
    first, second = run("--user", "u", "--unit", "JYJ"), run("--user", "u", "--unit", "JYJ")
    assert first != second
    assert ApiToken.objects.filter(user__username="u").count() == 2


def test_user_bound_to_another_unit_refused():
    SupervisingUnitFactory(code="A")
    SupervisingUnitFactory(code="B")
    run("--user", "u", "--unit", "A")
    with pytest.raises(CommandError, match="已属于"):
        run("--user", "u", "--unit", "B")


def test_without_unit_the_user_must_be_existing_staff(staff_user):
    assert run("--user", staff_user.username).strip()
    get_user_model().objects.create_user("plain")
    for name in ("plain", "nobody"):
        with pytest.raises(CommandError, match="工作人员"):
            run("--user", name)


def test_unknown_unit_refused():
    with pytest.raises(CommandError, match="没有代码为"):
        run("--user", "u", "--unit", "NOPE")
    assert not get_user_model().objects.filter(username="u").exists()
