from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "监督管理"

    def ready(self) -> None:
        from common.history import expose_history_models

        expose_history_models(self)

        # Funding's live eligibility asks oversight through common.eligibility (D9, D12).
        from .eligibility import register_providers

        register_providers()

        # D11: registry's lifecycle and 变更登记 refuse what oversight's audits do not allow.
        from oversight.inspections.services import (
            departure_audit_guard,
            departure_audit_guard_bulk,
            liquidation_audit_guard,
        )
        from registry.services import (
            register_legal_representative_guard,
            register_transition_guard,
        )

        register_transition_guard(liquidation_audit_guard)
        register_legal_representative_guard(departure_audit_guard, bulk=departure_audit_guard_bulk)

        # DESIGN.md §3: credit standing is derived from active listings, and the register's
        # admin, API and exports filter by it through the one FilterSet.
        import django_filters

        from oversight.credit.choices import CreditStanding
        from oversight.credit.selectors import organizations_by_credit_standing
        from registry.filters import organization_filter_extend

        def filter_credit_standing(queryset, name, value):
            return organizations_by_credit_standing(value, qs=queryset) if value else queryset

        organization_filter_extend(
            "credit_standing",
            django_filters.ChoiceFilter(
                choices=CreditStanding.choices, method=filter_credit_standing, label="信用状态"
            ),
        )
