from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "公共"

    def ready(self) -> None:
        # The OpenAPI extension describing the token header; the audit trail's hooks on
        # logins and on the admin's own log.
        from common import audit_signals  # noqa: F401
        from common.api import schema  # noqa: F401
        from common.history import expose_history_models

        # The legal-period table lives in common.policy, outside common.models.
        expose_history_models(self)
