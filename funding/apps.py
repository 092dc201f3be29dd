from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "培育扶持"

    def ready(self) -> None:
        from common.history import expose_history_models

        expose_history_models(self)
