"""Public page of the purchase-of-services catalog (no login), under /public/catalog/."""

from django.urls import path

from funding.catalog import views

app_name = "public_catalog"

urlpatterns = [
    path("", views.catalog_public, name="catalog"),
]
