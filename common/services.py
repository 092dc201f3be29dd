"""Writes of the API accounts: department users, issuing and revoking tokens."""

from __future__ import annotations

import datetime
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .actors import saved_user
from .audit_models import AuditAction
from .models import ApiToken, DepartmentMembership, hash_token_key

TOKEN_KEY_PREFIX = "so_"
# Refresh last_used_at at most this often, so authentication is not one write per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
SHELL_ISSUER = "（命令行）"


def scope_unit_model():
    """The model of supervising units (settings.SCOPE_UNIT_MODEL), without importing its app."""
    return apps.get_model(settings.SCOPE_UNIT_MODEL)


def department_user_ensure(*, username: str, unit) -> object:
    """The department user `username` bound to `unit`, created (without a password) if new.

    An existing user keeps their account; one bound to another unit, or a staff user, is
    refused: a token must never widen or silently move someone's scope."""
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if user.is_staff or user.is_superuser:
            raise ValidationError(f"用户 {username} 是局机关工作人员，不能绑定业务主管单位。")
        membership = DepartmentMembership.objects.filter(user=user).first()
        if membership is None:
            DepartmentMembership.objects.create(user=user, supervising_unit=unit)
        elif membership.supervising_unit_id != unit.pk:
            raise ValidationError(
                f"用户 {username} 已属于 {membership.supervising_unit}，不能再绑定 {unit}。"
            )
    return user


MANAGE_DEPARTMENT_ACCOUNTS = "common.manage_department_accounts"


def api_token_issue_check(*, issuer, user) -> None:
    """Refuse an issuance that would hand `issuer` more than they hold (issue 9, item 1).

    The API authorizes a staff token by its user's own Django permissions (common.api.
    permissions), so a token for another staff user could carry rights the issuer lacks:
    only that user or a superuser may issue one, and only a superuser for a superuser.
    Department accounts see one unit's rows; issuing for them is the separate right
    `common.manage_department_accounts`. `issuer` None is the shell (manage.py), which
    already holds the database."""
    if issuer is None or issuer.is_superuser or issuer.pk == user.pk:
        return
    if user.is_superuser:
        raise ValidationError("只有超级用户可以为超级用户签发令牌。")
    if user.is_staff:
        raise ValidationError(
            f"不能为其他局机关工作人员（{user.get_username()}）签发令牌："
            "令牌带有其本人的全部权限，只能由本人或超级用户签发。"
        )
    if not issuer.has_perm(MANAGE_DEPARTMENT_ACCOUNTS):
        raise ValidationError("为部门账号签发令牌需要“管理部门账号”权限。")


def api_token_create(
    *,
    user,
    name: str = "",
    expires_at: datetime.datetime | None = None,
    actor=None,
) -> tuple[ApiToken, str]:
    """Issue a token; returns it with the raw key, which is shown once and never stored.
    The issuance is checked against `actor` and written to the audit trail."""
    if not user.is_active:
        raise ValidationError("不能为已停用的用户创建令牌。")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "过期时间必须晚于当前时间。"})
    api_token_issue_check(issuer=actor, user=user)
    key = TOKEN_KEY_PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=key[: len(TOKEN_KEY_PREFIX) + 6],
            key_hash=hash_token_key(key),
            expires_at=expires_at,
            created_by=saved_user(actor),
        )
        audit.record(
            action=AuditAction.TOKEN_ISSUE,
            user=actor,
            username="" if actor else SHELL_ISSUER,
            obj=token,
            detail=f"为 {user.get_username()} 签发"
            + (f"，{expires_at:%Y-%m-%d %H:%M} 过期" if expires_at else "，不过期"),
        )
    return token, key


def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    """Revoke a token for good; the row stays as the record of who could call and when."""
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.revoked_by = saved_user(actor)
            token.save(update_fields=["revoked_at", "revoked_by"])
            audit.record(
                action=AuditAction.TOKEN_REVOKE,
                user=actor,
                username="" if actor else SHELL_ISSUER,
                obj=token,
                detail=f"吊销 {token.user.get_username()} 的令牌",
            )
    return token


def api_token_touch(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Record use of a token, at most once per LAST_USED_RESOLUTION (one UPDATE, no read)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
