"""`Authorization: Token <key>` against hashed ApiToken rows (401 for anything not valid)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from common.selectors import api_token_get_by_key
from common.services import api_token_touch

KEYWORD = "Token"


class ApiTokenAuthentication(BaseAuthentication):
    """Finds the token by the SHA-256 of the presented key; refuses revoked or expired ones."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # no credentials: the permission check answers 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("请求头格式应为：Authorization: Token <令牌>。")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("令牌无效。") from exc
        token = api_token_get_by_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效。")
        now = timezone.now()
        if token.is_revoked:
            raise exceptions.AuthenticationFailed("令牌已吊销。")
        if token.is_expired(now):
            raise exceptions.AuthenticationFailed("令牌已过期。")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("用户已停用。")
        api_token_touch(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate value makes DRF answer 401 (not 403) when credentials are missing.
        return KEYWORD
