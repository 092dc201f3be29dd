"""django-simple-history beside models kept in sub-packages of an app."""

from __future__ import annotations

import importlib

from django.apps import AppConfig


def expose_history_models(app_config: AppConfig) -> None:
    """Make each historical model importable where its `__module__` says it lives.

    For a model defined outside `<app>.models` (e.g. `oversight.zombies.models.ZombieCase`),
    simple-history names the app package as the historical model's module (`oversight`) but
    attaches the class to the defining module, so `manage.py shell`'s auto-import, pickling and
    anything else that resolves `HistoricalZombieCase` by its module fail. Attach it there too.
    """
    package = importlib.import_module(app_config.name)
    for model in app_config.get_models():
        if model.__name__.startswith("Historical") and model.__module__ == app_config.name:
            setattr(package, model.__name__, model)
