from django.apps import AppConfig


class PartybuildingConfig(AppConfig):
    name = "partybuilding"
    verbose_name = "党建"

    def ready(self) -> None:
        # R-CRD-02(2): oversight's credit rules call the trigger through common, never us.
        from common.credit_triggers import register_credit_trigger

        from .credit import PARTY_ORGANIZATION_MISSING

        register_credit_trigger(PARTY_ORGANIZATION_MISSING)
