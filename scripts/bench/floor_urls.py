"""The API bench's floor (issue 14 item 1): a minimal Django view returning the same 50 rows
as the department list page with `.values()` and JsonResponse — no authentication, scope,
serializer, renderer or count — mounted beside the project's own URLs."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import include, path

FLOOR_PATH = "/bench-floor/organizations/"


def organizations_floor(request):
    from registry.models import Organization

    rows = Organization.objects.filter(
        org_type=request.GET.get("org_type", "social_group"),
        status=request.GET.get("status", "active"),
    )
    if request.GET.get("unit"):
        rows = rows.filter(supervising_unit_id=request.GET["unit"])
    return JsonResponse({"results": list(rows.order_by("name", "id").values()[:50])})


urlpatterns = [
    path(FLOOR_PATH.strip("/") + "/", organizations_floor),
    path("", include("config.urls")),
]
