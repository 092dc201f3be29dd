"""`Authorization: Token <key>` against hashed ApiToken rows (401 for anything not valid)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from common.api.throttling import AuthFailureThrottle
from common.audit import client_ip, record, record_token_use
from common.audit_models import AuditAction
from common.selectors import api_token_get_by_key
from common.services import LAST_USED_RESOLUTION, api_token_touch

KEYWORD = "Token"


class ApiTokenAuthentication(BaseAuthentication):
    """Finds the token by the SHA-256 of the presented key; refuses revoked or expired ones."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # no credentials: the permission check answers 401
        try:
            token = self._token(parts)
        except exceptions.AuthenticationFailed as exc:
            self._failed(request, exc)
            raise
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            # At most once a minute per token: the day's first use goes to the audit trail.
            record_token_use(token=token, ip=client_ip(request))
        api_token_touch(token=token, now=now)
        return token.user, token

    @staticmethod
    def _token(parts):
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("请求头格式应为：Authorization: Token <令牌>。")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("令牌无效。") from exc
        token = api_token_get_by_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效。")
        if token.is_revoked:
            raise exceptions.AuthenticationFailed("令牌已吊销。")
        if token.is_expired(timezone.now()):
            raise exceptions.AuthenticationFailed("令牌已过期。")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("用户已停用。")
        return token

    @staticmethod
    def _failed(request, exc) -> None:
        """Count the failure per client address; past API_AUTH_FAILURE_RATE answer 429
        (and stop writing audit rows: a flood is recorded by its first failures)."""
        throttle = AuthFailureThrottle()
        if not throttle.allow_request(request, None):
            raise exceptions.Throttled(
                wait=throttle.wait(), detail="认证失败次数过多，请稍后再试。"
            ) from exc
        record(
            action=AuditAction.TOKEN_AUTH_FAILED,
            ip=client_ip(request),
            detail=str(exc.detail),
        )

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate value makes DRF answer 401 (not 403) when credentials are missing.
        return KEYWORD
