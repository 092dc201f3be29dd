"""Item 7: bad arguments to common's management commands give a CommandError in Chinese."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "args",
    [
        ["--user", "u", "--expires-days", "abc"],
        ["--user", "u", "--expires-days", "0"],
        ["--user", "u", "--expires-days", "99999999999"],
        ["--user", "u", "--expires-days", "NaN"],
        ["--user", "  "],
    ],
)
def test_create_api_token_bad_arguments(args, staff_user):
    with pytest.raises(CommandError, match=r"[\u4e00-\u9fff]"):
        call_command("create_api_token", *args, stdout=io.StringIO())


@pytest.mark.parametrize("args", [["--username", ""], ["--url", "javascript:alert(1)"]])
def test_ensure_staff_login_bad_arguments(args):
    with pytest.raises(CommandError, match=r"[\u4e00-\u9fff]"):
        call_command("ensure_staff_login", *args, stdout=io.StringIO())
