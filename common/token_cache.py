"""A short-lived cache of API token lookups (issue 14 item 5).

Every API request used to read its token, user and department membership from PostgreSQL;
the cached lookup is one Redis round trip instead. Stale entries must never let a revoked
token, a deactivated user or a moved department account through, so every write that could
change the outcome deletes the entry at once (signals below, and api_token_revoke), and the
TTL (settings.API_TOKEN_CACHE_SECONDS, default 60 s; 0 turns the cache off) only bounds
writes that bypass signals (queryset.update() — which the project does not use for these).
Expiry (`expires_at`) is still checked against the clock on every request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import ApiToken, DepartmentMembership

KEY_FORMAT = "api:token:{}"
# Left in place of a dropped entry for one TTL: entries are written with cache.add, so a
# request that read the row just before a revocation committed cannot cache it afterwards.
FORGOTTEN = "forgotten"


def cache_seconds() -> int:
    return getattr(settings, "API_TOKEN_CACHE_SECONDS", 60)


def token_cache_key(key_hash: str) -> str:
    return KEY_FORMAT.format(key_hash)


def token_cache_get(key_hash: str) -> ApiToken | None:
    if not cache_seconds():
        return None
    value = cache.get(token_cache_key(key_hash))
    return value if isinstance(value, ApiToken) else None


def token_cache_set(token: ApiToken) -> None:
    if cache_seconds():
        cache.add(token_cache_key(token.key_hash), token, cache_seconds())


def token_cache_refresh(token: ApiToken) -> None:
    """Replace a live entry (after the minute's last-used write), never a FORGOTTEN one."""
    if cache_seconds() and token_cache_get(token.key_hash) is not None:
        cache.set(token_cache_key(token.key_hash), token, cache_seconds())


def token_cache_forget(*key_hashes: str) -> None:
    """Drop entries now and again after the surrounding transaction commits: a request that
    read the old row before the commit must not leave it cached behind the revocation."""
    entries = {token_cache_key(h): FORGOTTEN for h in key_hashes}
    if not entries:
        return
    ttl = max(cache_seconds(), 1)
    cache.set_many(entries, ttl)
    transaction.on_commit(lambda: cache.set_many(entries, ttl))


def forget_user_tokens(user_id: int | None) -> None:
    if user_id is not None:
        token_cache_forget(
            *ApiToken.objects.filter(user_id=user_id).values_list("key_hash", flat=True)
        )


def _token_changed(sender, instance: ApiToken, created: bool = False, **kwargs) -> None:
    if not created:  # a new token cannot be cached yet; a tombstone would only slow it
        token_cache_forget(instance.key_hash)


def _user_changed(sender, instance, **kwargs) -> None:
    forget_user_tokens(instance.pk)


def _membership_changed(sender, instance: DepartmentMembership, **kwargs) -> None:
    forget_user_tokens(instance.user_id)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_token_changed, sender=ApiToken, dispatch_uid=f"token_cache_{signal}")
        signal.connect(
            _user_changed, sender=get_user_model(), dispatch_uid=f"token_cache_user_{signal}"
        )
        signal.connect(
            _membership_changed,
            sender=DepartmentMembership,
            dispatch_uid=f"token_cache_membership_{signal}",
        )
