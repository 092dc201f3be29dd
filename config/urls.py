import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.views import protected_media

admin.site.site_header = "社会组织登记监管平台"
admin.site.site_title = "社会组织登记监管平台"
admin.site.index_title = "登记管理"

# Every app adds its API routes here; all of /api/v1/ is swept by
# tests/common/test_api_sweep.py, which fails for a route without generic scope tests.
api_v1_urlpatterns = [
    path("", include("registry.api.urls")),
    path("", include("oversight.urls")),
    path("", include("partybuilding.api.urls")),
    path("", include("funding.api.urls")),
    path("", include("reports.api")),
]

urlpatterns = [
    path("", include("reports.urls")),  # the workbench (/) and the dashboard
    path("admin/", admin.site.urls),
    path("public/catalog/", include("funding.public_urls")),
    path("public/register/", include("reports.public_urls")),
    path("public/", include("oversight.public_urls")),
    path("api/v1/", include((api_v1_urlpatterns, "api-v1"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "common.views.not_found"
handler500 = "common.views.server_error"

# Uploaded files are never served as static files, whatever DEBUG says: this view checks
# who may see the record that holds the file (common.views.protected_media).
urlpatterns += [
    re_path(
        "^" + re.escape(settings.MEDIA_URL.lstrip("/")) + r"(?P<path>.+)$",
        protected_media,
        name="protected-media",
    )
]
