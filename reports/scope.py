"""What a figure is computed over: the whole district, or one department's organizations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from common.scoping import user_scope_unit_id

ORG_UNIT = "个"


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole district, or one department's organizations."""

    department: bool = False
    unit_id: int | None = None

    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or user.is_superuser or user.is_staff:
            return cls()
        return cls(department=True, unit_id=user_scope_unit_id(user))

    def organizations(self, qs: QuerySet, path: str = "supervising_unit") -> QuerySet:
        """`qs` narrowed to this scope through `path` (the record's supervising unit)."""
        if not self.department:
            return qs
        if self.unit_id is None:
            return qs.none()
        return qs.filter(**{f"{path}_id": self.unit_id})


def default_since(as_of: datetime.date) -> datetime.date:
    """ "Listed since": the letter counts from 1 January of the year before."""
    return datetime.date(as_of.year - 1, 1, 1)
