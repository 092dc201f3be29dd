"""Who did something, as the records store it."""

from __future__ import annotations

from typing import Any


def saved_user(actor: Any) -> Any:
    """`actor` when it is a saved user, else None: jobs run without one and AnonymousUser has
    no row, so neither can be the author of a record."""
    return actor if getattr(actor, "pk", None) else None
