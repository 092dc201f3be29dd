"""Public pages of the reports app (no login), under /public/register/."""

from django.urls import path

from reports import public_views

app_name = "public_register"

urlpatterns = [
    path("", public_views.register_extracts, name="extracts"),
    path("register-<str:day>.csv", public_views.register_extract_download, name="extract-file"),
]
