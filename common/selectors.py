"""Reads of the API accounts."""

from __future__ import annotations

from .models import ApiToken, hash_token_key
from .token_cache import token_cache_get, token_cache_set


def api_token_get_by_key(*, key: str) -> ApiToken | None:
    """The token whose hash matches `key`, with its user and membership: from the token
    cache (common.token_cache, dropped on every change) or one query."""
    key_hash = hash_token_key(key)
    token = token_cache_get(key_hash)
    if token is None:
        token = (
            ApiToken.objects.select_related("user", "user__department_membership")
            .filter(key_hash=key_hash)
            .first()
        )
        if token is not None:
            token_cache_set(token)
    return token
