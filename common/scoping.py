"""Row scope in one place: who may see which rows of a scoped model.

Each scoped model says in code how a row reaches its supervising unit, with the class
attribute `scope_unit_path` (a lookup path ending at the unit: `"supervising_unit"` on
Organization, `"organization__supervising_unit"` on records about organizations, `"pk"` on
the unit itself). A model without it is invisible to department users (fail closed).

- superusers see every row;
- staff (`is_staff`) see every row of a model for which they hold the Django model permission
  `<app>.<action>_<model>`, and none otherwise;
- any other user is a department user: the rows that reach the unit of their
  `DepartmentMembership`, and none without a membership.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import models


def user_scope_unit_id(user) -> int | None:
    """The pk of the supervising unit a department user acts for, or None."""
    try:
        membership = user.department_membership
    except (ObjectDoesNotExist, AttributeError):
        return None
    return membership.supervising_unit_id if membership is not None else None


def permission_codename(model: type[models.Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def restrict_queryset(queryset: models.QuerySet, user, action: str = "view") -> models.QuerySet:
    """`queryset` narrowed to the rows `user` may `action` (view/add/change/delete)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    model = queryset.model
    if user.is_staff:
        return queryset if user.has_perm(permission_codename(model, action)) else queryset.none()
    path = getattr(model, "scope_unit_path", None)
    unit_id = user_scope_unit_id(user)
    if path is None or unit_id is None:
        return queryset.none()
    return queryset.filter(**{path: unit_id})


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a scoped model; the API base viewset calls `restrict` on every request."""

    def restrict(self, user, action: str = "view") -> ScopedQuerySet:
        return restrict_queryset(self, user, action)
