"""Rate limits: per API token, and per client address for failed authentications."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from common.audit import client_ip
from common.counters import window_hit
from common.models import ApiToken


class AtomicRateThrottle(SimpleRateThrottle):
    """SimpleRateThrottle's rates and keys, counted in an atomic fixed window
    (common.counters) instead of a read-modify-write history list."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count, self._wait = window_hit(self.key, self.duration)
        return count <= self.num_requests

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class TokenRateThrottle(AtomicRateThrottle):
    """One bucket per token, so a department's several integrations do not starve each other;
    requests without a token are refused by authentication before they could be counted."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        # The random prefix keeps buckets apart even when a recreated database reuses pks.
        return self.cache_format % {"scope": self.scope, "ident": f"{token.pk}-{token.prefix}"}


class AuthFailureThrottle(AtomicRateThrottle):
    """Failed token authentications per client address (called by the authentication
    class on each failure, not as a view throttle): guessing keys stops at the rate."""

    scope = "api_auth_failure"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "-"}
