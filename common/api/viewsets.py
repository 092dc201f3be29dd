"""Base viewsets: the caller's scope is applied once, in `initial()`, to every queryset.

The shape is NetBox's `BaseViewSet.initial`: after authentication, permissions and throttles,
`self.queryset` is replaced by `self.queryset.restrict(user, action)`, so list, detail,
filters and writes all start from the restricted rows. An object outside the scope is then
simply not found (404, the same body as a missing one). Writes re-read the saved object
through the restricted queryset inside the transaction and roll back when it fell out.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.viewsets import GenericViewSet

from common.api.changes import (
    UpdatedAfterFilter,
    if_none_match,
    representation_etag,
)
from common.api.values import values_plan

# HTTP method → the Django permission action (and `restrict()` action) it needs.
HTTP_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedViewSet(GenericViewSet):
    """Every resource of /api/v1/ derives from this (directly or through the classes below).

    - `queryset` must be a `common.scoping.ScopedQuerySet` (its model declares
      `scope_unit_path`);
    - `action_scope_map` maps a custom action to the permission action it needs
      (default: from the HTTP method, e.g. POST → add);
    - `department_actions` lists the non-read actions department users may call.
    """

    action_scope_map: dict[str, str] = {}
    department_actions: tuple[str, ...] = ()
    # `updated_after` on every list (common.api.changes), after the app's own filters.
    filter_backends = [*api_settings.DEFAULT_FILTER_BACKENDS, UpdatedAfterFilter]

    def finalize_response(self, request, response, *args, **kwargs):
        # Detail reads carry an ETag of what the caller sees; a matching If-None-Match gets
        # 304 without a body (issue 15: a mirror re-reads only what changed).
        if (
            getattr(self, "action", None) == "retrieve"
            and isinstance(response, Response)
            and response.status_code == status.HTTP_200_OK
        ):
            etag = representation_etag(response.data)
            if if_none_match(request, etag):
                response = Response(status=status.HTTP_304_NOT_MODIFIED)
            response["ETag"] = etag
        return super().finalize_response(request, response, *args, **kwargs)

    def get_scope_action(self) -> str | None:
        if self.action in self.action_scope_map:
            return self.action_scope_map[self.action]
        return HTTP_ACTIONS.get(self.request.method)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._reject_nul_characters(request, kwargs)
        if not hasattr(self.queryset, "restrict"):
            raise ImproperlyConfigured(
                f"{type(self).__name__}.queryset 必须是 ScopedQuerySet（common.scoping）。"
            )
        # Restrict the view's queryset once: everything below starts from permitted rows.
        self.queryset = self.queryset.restrict(request.user, self.get_scope_action() or "view")
        self._scope_applied = True

    def get_queryset(self):
        if not getattr(self, "_scope_applied", False) and not getattr(
            self, "swagger_fake_view", False
        ):
            # Fail closed: a queryset read before initial() (or by a path that skipped it)
            # must not leak rows.
            return self.queryset.none()
        return super().get_queryset()

    @staticmethod
    def _reject_nul_characters(request, kwargs) -> None:
        # PostgreSQL cannot compare strings containing NUL; answer 400 instead of a 500.
        values = [*kwargs.values()]
        for key, vals in request.query_params.lists():
            values.append(key)
            values.extend(vals)
        if any("\x00" in str(v) for v in values):
            raise exceptions.ValidationError({"detail": "参数中不得包含空字符（\\x00）。"})


class ScopedWriteMixin:
    """Create/update inside a transaction that is rolled back when the saved object is no
    longer within the caller's scope (e.g. a department moving an organization elsewhere)."""

    out_of_scope_detail = "保存后的记录不在您的权限范围内，操作未生效。"

    def _save_within_scope(self, serializer) -> None:
        with transaction.atomic():
            instance = serializer.save()
            if not self.get_queryset().filter(pk=instance.pk).exists():
                raise exceptions.PermissionDenied(self.out_of_scope_detail)

    def perform_create(self, serializer) -> None:
        self._save_within_scope(serializer)

    def perform_update(self, serializer) -> None:
        self._save_within_scope(serializer)


class ValuesListModelMixin(mixins.ListModelMixin):
    """DRF's list, with the page read as `values_list` rows and rendered by the serializer's
    values plan when it has one (common.api.values): same body, no model instances."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        plan = None
        if getattr(self.paginator, "cursor_query_param", None) not in request.query_params:
            plan = values_plan(self.get_serializer_class(), queryset)
        if plan is None:
            page = self.paginate_queryset(queryset)
            if page is None:
                return Response(self.get_serializer(queryset, many=True).data)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        rows = queryset.values_list(*plan.columns)
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(plan.rows(rows))
        return self.get_paginated_response(plan.rows(page))


class ScopedReadOnlyModelViewSet(ValuesListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """List and detail of a scoped model."""


class ScopedModelViewSet(
    ScopedWriteMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ValuesListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """List, detail, create and update of a scoped model (no delete: records are kept)."""
