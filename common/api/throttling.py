"""Rate limit per API token (settings REST_FRAMEWORK DEFAULT_THROTTLE_RATES["api_token"])."""

from rest_framework.throttling import SimpleRateThrottle

from common.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """One bucket per token, so a department's several integrations do not starve each other;
    requests without a token are refused by authentication before they could be counted."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        # The random prefix keeps buckets apart even when a recreated database reuses pks.
        return self.cache_format % {"scope": self.scope, "ident": f"{token.pk}-{token.prefix}"}
