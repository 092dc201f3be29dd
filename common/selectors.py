"""Reads of the API accounts."""

from __future__ import annotations

from .models import ApiToken, hash_token_key


def api_token_get_by_key(*, key: str) -> ApiToken | None:
    """The token whose hash matches `key`, with its user and membership (one query)."""
    return (
        ApiToken.objects.select_related("user", "user__department_membership")
        .filter(key_hash=hash_token_key(key))
        .first()
    )
