"""Who may call which action; which rows they reach is `restrict()`'s job (common.scoping)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from common.scoping import permission_codename


class ScopedModelPermissions(BasePermission):
    """Staff need the Django model permission of the action (view included, unlike DRF's
    DjangoModelPermissions); department users may read, and write only through the actions
    a viewset lists in `department_actions`. Superusers pass."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if getattr(view, "swagger_fake_view", False):
            return True
        if user.is_superuser:
            return True
        action = view.get_scope_action()
        if action is None:
            return True
        if user.is_staff:
            return user.has_perm(permission_codename(view.queryset.model, action))
        return action == "view" or view.action in getattr(view, "department_actions", ())
