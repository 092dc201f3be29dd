"""Row scope in one place: who may see which rows of a scoped model.

Each scoped model says in code how a row reaches its supervising unit, with the class
attribute `scope_unit_path` (a lookup path ending at the unit: `"supervising_unit"` on
Organization, `"organization__supervising_unit"` on records about organizations, `"pk"` on
the unit itself). A model without it is invisible to department users (fail closed).

The path may cross a to-many relation (`"inspections__organization__supervising_unit"` on
a draw: a department sees a draw in which one of its organizations was selected). Such a
path is applied as a semi-join (`EXISTS`), so a row reached through several related rows is
returned once, without a `DISTINCT` that would sort the whole restricted set. A model that
cannot carry the declaration itself may declare it on a `ScopedQuerySet` subclass instead;
the queryset's declaration wins over the model's. A model (or queryset) whose rows may reach
no unit on purpose — a circular addressed to all departments — declares
`scope_include_null = True`: such rows are visible to every department (to-one paths only).

- superusers see every row;
- staff (`is_staff`) see every row of a model for which they hold the Django model permission
  `<app>.<action>_<model>`, and none otherwise;
- any other user is a department user: the rows that reach the unit of their
  `DepartmentMembership`, and none without a membership.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q


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


def path_is_to_many(model: type[models.Model], path: str) -> bool:
    """Whether the lookup `path` from `model` crosses a one-to-many or many-to-many relation
    (then a plain filter would repeat a row once per related row that matches)."""
    for part in path.split("__"):
        if part == "pk":
            return False
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup or transform (`__in`, `__exact`): the path ends here
        if not field.is_relation:
            return False
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def scope_unit_path(queryset: models.QuerySet) -> str | None:
    """How rows of `queryset` reach their supervising unit: the queryset's declaration, else
    the model's, else None (invisible to departments)."""
    return getattr(queryset, "scope_unit_path", None) or getattr(
        queryset.model, "scope_unit_path", None
    )


def scope_include_null(queryset: models.QuerySet) -> bool:
    """Whether rows whose path reaches no unit are addressed to every unit (a circular to
    all departments), declared like the path with `scope_include_null = True`."""
    declared = getattr(queryset, "scope_include_null", None)  # a queryset's own word wins
    if declared is None:
        declared = getattr(queryset.model, "scope_include_null", False)
    return bool(declared)


def filter_by_unit(queryset: models.QuerySet, path: str, unit_id: int) -> models.QuerySet:
    """`queryset` narrowed to the rows whose `path` reaches unit `unit_id`, each row once."""
    if not path_is_to_many(queryset.model, path):
        if scope_include_null(queryset):
            return queryset.filter(Q(**{path: unit_id}) | Q(**{f"{path}__isnull": True}))
        return queryset.filter(**{path: unit_id})
    # EXISTS over the related rows: one row per object whatever the number of matches, and
    # PostgreSQL plans it as a semi-join (no DISTINCT sort over the restricted set).
    matching = queryset.model._base_manager.filter(pk=OuterRef("pk"), **{path: unit_id})
    return queryset.filter(Exists(matching))


def restrict_queryset(queryset: models.QuerySet, user, action: str = "view") -> models.QuerySet:
    """`queryset` narrowed to the rows `user` may `action` (view/add/change/delete)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    model = queryset.model
    if user.is_staff:
        return queryset if user.has_perm(permission_codename(model, action)) else queryset.none()
    path = scope_unit_path(queryset)
    unit_id = user_scope_unit_id(user)
    if path is None or unit_id is None:
        return queryset.none()
    return filter_by_unit(queryset, path, unit_id)


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a scoped model; the API base viewset calls `restrict` on every request.

    A subclass may set `scope_unit_path` to declare the path for a model that does not."""

    scope_unit_path: str | None = None
    scope_include_null: bool | None = None  # None: as the model declares

    def restrict(self, user, action: str = "view") -> ScopedQuerySet:
        return restrict_queryset(self, user, action)
