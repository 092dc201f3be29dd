"""Issue an API token from the shell; prints only the key (for scripts: KEY=$(...))."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from common.services import api_token_create, department_user_ensure, scope_unit_model


class Command(BaseCommand):
    help = (
        "签发 API 令牌并只打印令牌本身。带 --unit 时为该业务主管单位的部门账号签发"
        "（账号不存在则创建）；不带 --unit 时 --user 必须是已有的局机关工作人员。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="用户名")
        parser.add_argument("--unit", help="业务主管单位代码（部门账号）")
        # Read as text and checked in handle(): argparse's own errors are in English.
        parser.add_argument("--expires-days", help="有效天数（1–3650）；不填则不过期")
        parser.add_argument("--name", default="", help="用途说明")

    def handle(self, *args, user: str, unit: str | None, expires_days: str | None, **options):
        user = (user or "").strip()
        if not user:
            raise CommandError("--user 不能为空。")
        expires_at = _expires_at(expires_days)
        try:
            with transaction.atomic():
                if unit:
                    Unit = scope_unit_model()
                    try:
                        unit_obj = Unit.objects.get(code=unit)
                    except Unit.DoesNotExist as exc:
                        raise CommandError(f"没有代码为 {unit} 的业务主管单位。") from exc
                    account = department_user_ensure(username=user, unit=unit_obj)
                else:
                    account = get_user_model().objects.filter(username=user).first()
                    if account is None or not account.is_staff:
                        raise CommandError(
                            f"用户 {user} 不存在或不是局机关工作人员；部门账号请用 --unit 指定单位。"
                        )
                _token, key = api_token_create(
                    user=account, name=options["name"], expires_at=expires_at
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(key)


MAX_EXPIRES_DAYS = 3650


def _expires_at(raw: str | None) -> datetime.datetime | None:
    if raw is None:
        return None
    try:
        days = int(raw.strip())
    except ValueError:
        raise CommandError(
            f"--expires-days 必须是 1 到 {MAX_EXPIRES_DAYS} 的整数，收到“{raw}”。"
        ) from None
    if not 1 <= days <= MAX_EXPIRES_DAYS:
        raise CommandError(f"--expires-days 必须是 1 到 {MAX_EXPIRES_DAYS} 的整数，收到“{raw}”。")
    return timezone.now() + datetime.timedelta(days=days)
