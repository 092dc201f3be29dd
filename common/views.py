"""Project-wide error views: JSON under /api/, Django's own pages elsewhere."""

from __future__ import annotations

from django.views import defaults

from common.api.exceptions import json_not_found, json_server_error

API_PATH_PREFIX = "/api/"


def not_found(request, exception=None):
    if request.path.startswith(API_PATH_PREFIX):
        return json_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PATH_PREFIX):
        return json_server_error(request)
    return defaults.server_error(request)
