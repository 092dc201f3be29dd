"""django-simple-history: who, when and why of a service's write, and historical models beside
models kept in sub-packages of an app."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

from django.apps import AppConfig

from common.actors import saved_user


def history_stamp(
    obj: Any, *, actor: Any, at: datetime.datetime | None = None, reason: str | None = None
) -> None:
    """Tell simple-history, for the next save of `obj`, who made the change (a saved user, or
    nobody for a job), when (a service's `at`, else now) and why. It reads these attributes
    when the write happens outside a request."""
    if saved_user(actor) is not None:
        obj._history_user = actor
    if at is not None:
        obj._history_date = at
    if reason is not None:
        obj._change_reason = reason


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
