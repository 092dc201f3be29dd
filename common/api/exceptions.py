"""JSON errors everywhere: `{"detail": "..."}`, field errors as `{field: [messages]}`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

# The one body of every "no such object" answer: a row outside the caller's scope must be
# indistinguishable from a row that does not exist (DESIGN.md §8).
NOT_FOUND_DETAIL = "未找到。"
SERVER_ERROR_DETAIL = "服务器内部错误，请稍后重试或联系登记管理机关。"


def api_exception_handler(exc, context):
    """DRF's handler, with 404s made uniform and Django's own errors turned into JSON."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND_DETAIL)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        # A model or service rule refused the write: keyed by field when it says which.
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    elif isinstance(response.data, dict) and list(response.data) == ["detail"]:
        detail = response.data["detail"]
        if isinstance(detail, list):
            response.data = {"detail": "；".join(str(m) for m in detail)}
    return response


def json_not_found(request, exception=None):
    """handler404 for URLs under /api/ that match no route: the same body as a missing object."""
    return JsonResponse({"detail": NOT_FOUND_DETAIL}, status=404)


def json_server_error(request):
    return JsonResponse({"detail": SERVER_ERROR_DETAIL}, status=500)
