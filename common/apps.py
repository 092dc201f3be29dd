from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "公共"

    def ready(self) -> None:
        # Registers the OpenAPI extension describing the token header.
        from common.api import schema  # noqa: F401
