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

from .models import ApiToken, DepartmentMembership, hash_token_key

TOKEN_KEY_PREFIX = "so_"
# Refresh last_used_at at most this often, so authentication is not one write per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


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


def api_token_create(
    *,
    user,
    name: str = "",
    expires_at: datetime.datetime | None = None,
    actor=None,
) -> tuple[ApiToken, str]:
    """Issue a token; returns it with the raw key, which is shown once and never stored."""
    if not user.is_active:
        raise ValidationError("不能为已停用的用户创建令牌。")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "过期时间必须晚于当前时间。"})
    key = TOKEN_KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: len(TOKEN_KEY_PREFIX) + 6],
        key_hash=hash_token_key(key),
        expires_at=expires_at,
        created_by=actor,
    )
    return token, key


def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    """Revoke a token for good; the row stays as the record of who could call and when."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_touch(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Record use of a token, at most once per LAST_USED_RESOLUTION (one UPDATE, no read)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
