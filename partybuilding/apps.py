from django.apps import AppConfig


class PartybuildingConfig(AppConfig):
    name = "partybuilding"
    verbose_name = "党建"
