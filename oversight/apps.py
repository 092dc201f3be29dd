from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "监督管理"

    def ready(self) -> None:
        # D11: registry's lifecycle and 变更登记 refuse what oversight's audits do not allow.
        from registry.services import (
            register_legal_representative_guard,
            register_transition_guard,
        )

        from .services import departure_audit_guard, liquidation_audit_guard

        register_transition_guard(liquidation_audit_guard)
        register_legal_representative_guard(departure_audit_guard)
